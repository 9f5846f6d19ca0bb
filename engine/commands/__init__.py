"""The engine's commands: ``impasto stylize``, ``presets`` and ``bench`` (the CLI's parser lives in ``cli``)."""
