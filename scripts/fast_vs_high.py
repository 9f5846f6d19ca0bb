"""Fast against high quality, side by side, with the measures issue 17 tunes the high-quality
schedule by: how well the photo's strongest edges survive at full size, how close the colours
come to the painting's, and whether the picture darkened into noise.

    PYTHONPATH=. python3 scripts/fast_vs_high.py OUT [--device cuda] [--side 1024] [--paintings DIR]

Writes OUT/fast_vs_high.md (the table) and one JPEG per pair: photo | fast | high quality.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from engine import Engine, EngineSettings, Picture, RenderRequest, RenderSettings, load_picture, painting
from engine.rendering.colour import srgb_to_lab
from engine.rendering.finishing import luma
from engine.settings import REFERENCE_LONG_SIDE

EDGE_SHARE = 0.05  # the photo's strongest 5 % of gradients are its edges


def edge_recall(photo: torch.Tensor, picture: torch.Tensor) -> float:
    """Of the photo's strongest edges, the share where the picture also has a strong gradient."""
    photo_edges, picture_edges = _gradient(photo), _gradient(picture)
    strong_in_photo = photo_edges >= torch.quantile(photo_edges.flatten()[::7], 1 - EDGE_SHARE)
    strong_in_picture = picture_edges >= torch.quantile(picture_edges.flatten()[::7], 1 - 2 * EDGE_SHARE)
    return float((strong_in_photo & strong_in_picture).sum() / strong_in_photo.sum())


def palette_distance(picture: torch.Tensor, reference: torch.Tensor, bins: int = 8) -> float:
    """1 - the intersection of the two pictures' colour histograms in Lab (0: the same colours)."""
    return 1.0 - float(torch.minimum(_lab_histogram(picture, bins), _lab_histogram(reference, bins)).sum())


def noise_ratio(picture: torch.Tensor, photo: torch.Tensor) -> float:
    """Fine (2-pixel) energy of the picture over the photo's: well above 1 reads as noise."""
    def fine(image):
        brightness = luma(image)
        return (brightness - F.avg_pool2d(brightness, 3, stride=1, padding=1, count_include_pad=False)).abs().mean()
    return float(fine(picture) / fine(photo).clamp_min(1e-6))


def _gradient(image: torch.Tensor) -> torch.Tensor:
    brightness = luma(image)
    dx = brightness[..., :, 1:] - brightness[..., :, :-1]
    dy = brightness[..., 1:, :] - brightness[..., :-1, :]
    return (dx[..., :-1, :] ** 2 + dy[..., :, :-1] ** 2).sqrt()


def _lab_histogram(image: torch.Tensor, bins: int) -> torch.Tensor:
    step = max(1, int((image.shape[-1] * image.shape[-2] / 250_000) ** 0.5))
    lab = srgb_to_lab(image[..., ::step, ::step]).reshape(3, -1).t()
    scaled = (lab - torch.tensor([0.0, -100.0, -100.0])) / torch.tensor([100.0, 200.0, 200.0])
    index = (scaled.clamp(0, 0.999) * bins).long()
    flat = index[:, 0] * bins * bins + index[:, 1] * bins + index[:, 2]
    histogram = torch.bincount(flat, minlength=bins**3).float()
    return histogram / histogram.sum()


def pairs(paintings_folder: Path | None) -> list[tuple[Picture, Picture]]:
    photos = [load_picture(ROOT / "resources" / "images" / "chelsea.png"),
              load_picture(ROOT / "tests" / "engine" / "data" / "coffee.jpg")]
    if paintings_folder is not None:
        paintings = [load_picture(p) for p in sorted(paintings_folder.iterdir()) if p.suffix.lower() in (".jpg", ".png")]
    else:
        sys.path.insert(0, str(ROOT / "tests" / "engine"))
        from conftest import textured_painting

        paintings = [textured_painting(side=384), Picture.from_uint8(np.ascontiguousarray(photos[1].pixels[::-1]))]
    return [(photo, art) for photo in photos for art in paintings]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--device", default="auto")
    parser.add_argument("--side", type=int, default=1024, help="the working size both renders run at")
    parser.add_argument("--paintings", type=Path, help="a folder of real paintings (default: built-in stand-ins)")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    engine = Engine(EngineSettings(device=args.device))
    rows = ["| pair | quality | seconds | edge recall | palette distance | noise ratio | mean brightness (photo) |",
            "|---|---|---|---|---|---|---|"]
    for number, (photo, art) in enumerate(pairs(args.paintings)):
        pictures = [photo.tensor()]
        for quality in ("fast", "high"):
            settings = RenderSettings(quality=quality, stroke=REFERENCE_LONG_SIDE / args.side)
            started = time.perf_counter()
            result = engine.render(RenderRequest(photo, painting(art), settings))
            seconds = time.perf_counter() - started
            picture = result.picture.tensor()
            pictures.append(picture)
            rows.append(f"| {number} | {quality} | {seconds:.1f} | {edge_recall(photo.tensor(), picture):.2f} | "
                        f"{palette_distance(picture, art.tensor()):.2f} | {noise_ratio(picture, photo.tensor()):.2f} | "
                        f"{float(luma(picture).mean()):.2f} ({float(luma(photo.tensor()).mean()):.2f}) |")
        strip = torch.cat(pictures, dim=-1)[0].permute(1, 2, 0).clamp(0, 1).mul(255).byte().numpy()
        Image.fromarray(strip).save(args.out / f"pair{number}.jpg", quality=88)
    (args.out / "fast_vs_high.md").write_text("\n".join(rows) + "\n")
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
