"""Draw Impasto's icon (resources/icons/impasto.png): a palette with thick dabs of paint.

Run once when the icon should change; the PNG is committed (a few KB)."""

from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

SIZE = 256
OUT = Path(__file__).resolve().parents[1] / "resources" / "icons" / "impasto.png"


def main() -> None:
    scale = 4  # draw large, shrink: smooth edges
    s = SIZE * scale
    image = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((s * 0.06, s * 0.14, s * 0.94, s * 0.86), fill=(226, 196, 150, 255), outline=(120, 84, 50, 255),
                 width=s // 40)
    draw.ellipse((s * 0.60, s * 0.52, s * 0.74, s * 0.66), fill=(0, 0, 0, 0))  # thumb hole
    dabs = [((0.22, 0.36), (214, 48, 49)), ((0.40, 0.26), (253, 203, 110)), ((0.60, 0.28), (0, 148, 133)),
            ((0.76, 0.40), (9, 132, 227)), ((0.26, 0.58), (108, 52, 131)), ((0.44, 0.66), (245, 246, 250))]
    for (x, y), colour in dabs:
        r = s * 0.085
        draw.ellipse((x * s - r, y * s - r, x * s + r, y * s + r), fill=colour + (255,))
        draw.ellipse((x * s - r * 0.5, y * s - r * 0.7, x * s - r * 0.05, y * s - r * 0.3),
                     fill=tuple(min(255, c + 60) for c in colour) + (255,))
    image = image.filter(ImageFilter.SMOOTH).resize((SIZE, SIZE), Image.LANCZOS)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    image.save(OUT, optimize=True)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
