"""Argument types the commands share."""

from __future__ import annotations

import argparse
import math


def number_in(kind: type, low: float, high: float, what: str):
    """An argument type: a ``kind`` (int or float) from ``low`` to ``high``, else a message naming ``what``."""

    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            value = math.nan
        if not low <= value <= high:  # nan fails it too
            raise argparse.ArgumentTypeError(f"{what} from {low:g} to {high:g}, got {text!r}")
        return value

    return parse
