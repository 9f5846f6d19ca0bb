"""``impasto bench --quality``: how close each way of painting comes to the painting, and how much
of the photo it keeps, on a photo the learning did not see.

Per painting: the fast render, the learned style (learned here, at the default steps, unless a
learned file lies beside the painting) and, with ``--quality-high``, High quality.
Distances, on the loss network (VGG-16): style, the Gram matrices at relu1_2..relu4_3 against the
painting's, mean squared, at two viewing sizes (the output's long side 512 and 1024, the painting
at the same long side); content, relu3_3 against the photo's; palette, the mean distance in CIE Lab
between the two pictures' colour means and spreads. Lower is closer. Times on this machine.
"""

from __future__ import annotations

import time
from pathlib import Path

VIEW_SIDES = (512, 1024)
TIMED_RUNS = 5  # the median is shown


def quality_rows(device: str, paintings: list[Path], photo_path: Path | None, steps: int, out=print,
                 high_quality: bool = False) -> list[dict]:
    import platform
    from datetime import date

    import torch

    from ..engine import Engine
    from ..io.imageio import load_picture
    from ..learned_style import read_learned, save_learned
    from ..learning import gram, learn_style
    from ..networks import LOSS_NETWORK
    from ..request import RenderRequest
    from ..resources import resource_path
    from ..settings import EngineSettings, RenderSettings
    from ..styles import painting as painting_style
    from .learn import learned_path_beside

    engine = Engine(EngineSettings(device=device))
    photo = load_picture(photo_path or resource_path("images", "bench", "astronaut.jpg"))
    loss_net = engine.networks.get(LOSS_NETWORK, engine.device)
    out(f"Impasto bench --quality — {date.today()} — {engine.device.description} — torch {torch.__version__} — "
        f"{platform.processor() or platform.machine()} — photo {photo.name} {photo.size[0]}x{photo.size[1]}")
    out("")
    out("| painting | way | style @512 | style @1024 | content @512 | content @1024 | palette | seconds |")
    out("|---|---|---|---|---|---|---|---|")
    rows = []
    for path in paintings:
        painting = load_picture(path)
        beside = learned_path_beside(path)
        started = time.monotonic()
        if beside.is_file():
            learned, learn_seconds = read_learned(beside, painting), None
        else:
            learned = learn_style(engine, painting, steps=steps)
            learn_seconds = time.monotonic() - started
            save_learned(learned, beside)
        ways = {"fast": (painting_style(painting), "fast"), "learned": (painting_style(painting, learned), "fast")}
        if high_quality:  # minutes per picture on a CPU
            ways["high quality"] = (painting_style(painting), "high")
        for way, (style, quality) in ways.items():
            row: dict = {"painting": path.name, "way": way}
            for side in VIEW_SIDES:
                request = RenderRequest(photo, style, RenderSettings(output_long_side=side, quality=quality))
                picture = engine.render(request).picture  # also the warm-up: the painting's vector is cached
                times = []
                for _ in range(1 if quality == "high" else TIMED_RUNS):
                    began = time.monotonic()
                    engine.render(request)
                    times.append(time.monotonic() - began)
                row[f"seconds@{side}"] = sorted(times)[len(times) // 2]
                row[f"style@{side}"], row[f"content@{side}"] = _distances(loss_net, gram, picture, painting, photo, side)
                row["palette"] = _palette_distance(picture, painting)
            rows.append(row)
            out(f"| {path.name} | {way} | {row['style@512']:.3g} | {row['style@1024']:.3g} | {row['content@512']:.3g} | "
                f"{row['content@1024']:.3g} | {row['palette']:.1f} | {row['seconds@1024']:.2f} |")
        if learn_seconds is not None:
            out(f"| {path.name} | learning ({learned.steps} steps) | | | | | | {learn_seconds:.0f} |")
    _summary(rows, out)
    return rows


def _tensor_at(picture, side: int):
    from ..rendering.resizing import resized

    scale = side / max(picture.size)
    return resized(picture, max(1, round(picture.width * scale)), max(1, round(picture.height * scale))).tensor()


def _distances(loss_net, gram, picture, painting, photo, side: int) -> tuple[float, float]:
    import torch

    with torch.no_grad():
        out, target, original = loss_net(_tensor_at(picture, side)), loss_net(_tensor_at(painting, side)), \
            loss_net(_tensor_at(photo, side))
        style = sum(float(torch.mean((gram(out[k]) - gram(target[k])) ** 2) / torch.mean(gram(target[k]) ** 2))
                    for k in out) / len(out)
        content = float(torch.mean((out["relu3_3"] - original["relu3_3"]) ** 2) / torch.mean(original["relu3_3"] ** 2))
    return style, content


def _palette_distance(picture, painting) -> float:
    import numpy as np
    from PIL import Image, ImageCms

    def lab_stats(p):
        image = Image.fromarray(p.pixels[..., :3] if p.pixels.dtype == np.uint8 else (p.pixels >> 8).astype(np.uint8))
        srgb, lab = ImageCms.createProfile("sRGB"), ImageCms.createProfile("LAB")
        converted = np.asarray(ImageCms.applyTransform(image.convert("RGB"),
                                                       ImageCms.buildTransform(srgb, lab, "RGB", "LAB")), np.float64)
        flat = converted.reshape(-1, 3)
        return flat.mean(0), flat.std(0)

    (mean_a, std_a), (mean_b, std_b) = lab_stats(picture), lab_stats(painting)
    return float(np.abs(mean_a - mean_b).mean() + np.abs(std_a - std_b).mean())


def _summary(rows: list[dict], out) -> None:
    out("")
    by_way: dict[str, list[dict]] = {}
    for row in rows:
        by_way.setdefault(row["way"], []).append(row)
    fast = by_way.get("fast", [])
    for way, group in by_way.items():
        if way == "fast" or not fast:
            continue
        parts = []
        for key in ("style@512", "style@1024", "content@512", "content@1024"):
            ratio = sum(r[key] for r in group) / max(sum(r[key] for r in fast), 1e-12)
            parts.append(f"{key} {100 * (ratio - 1):+.0f} %")
        timing = sum(r["seconds@1024"] for r in group) / max(sum(r["seconds@1024"] for r in fast), 1e-9)
        out(f"- {way} against the fast render, summed over the paintings: " + ", ".join(parts)
            + f"; time at 1024 px x{timing:.2f}")
