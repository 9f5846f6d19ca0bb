"""Impasto's desktop app (PySide6). It talks to the engine only through RenderRequest and CancelToken."""
