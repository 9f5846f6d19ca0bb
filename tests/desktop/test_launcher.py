"""The ``impasto`` command routes to the studio, the selftest or the engine's command line."""

from desktop.app import launcher


def test_routes(monkeypatch, tmp_path):
    calls = []
    monkeypatch.setattr("desktop.app.startup.run_gui", lambda argv, files=(): calls.append(("gui", list(files))) or 0)
    monkeypatch.setattr("engine.commands.cli.main", lambda argv: calls.append(("cli", argv)) or 0)
    photo = tmp_path / "photo.png"
    photo.write_bytes(b"x")
    launcher.main([])
    launcher.main([str(photo)])  # a desktop's "Open with Impasto"
    launcher.main(["stylize", str(photo), "--preset", "1"])
    launcher.main(["no-such-thing"])  # not a file: the command line explains the error
    assert calls == [("gui", []), ("gui", [photo]), ("cli", ["stylize", str(photo), "--preset", "1"]),
                     ("cli", ["no-such-thing"])]
