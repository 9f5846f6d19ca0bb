"""The desktop app's start: the ``impasto`` command, the window's start-up, the selftest and the studio bench."""
