"""The high-quality renderer: an optimisation in the manner of Gatys et al. (2016) on
EfficientNet-Lite0 features, coarse to fine.

The picture is optimised (L-BFGS) so that its features match the photo's content (block 7)
and the painting's style (Gram matrices of the stem and of the depthwise activations of blocks
1, 3, 5 and 8), with a total-variation term that stops the 2-pixel dither such optimisations
otherwise paint. Every loss term is relative to its target's size, so one style weight suits
every layer and every picture. Cancellation and progress go through the token at every
evaluation; ``token.intermediate`` receives the current picture now and then for a live preview.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import torch
import torch.nn.functional as F

from ..errors import OutOfMemoryError
from ..networks.efficientnet_lite import EfficientNetLite0
from ..picture import Picture
from ..progress import CancelToken
from ..styles import PaintingBlend, StyleSpec
from .resizing import resized

STYLE_LAYERS = ("stem", "depthwise1", "depthwise3", "depthwise5", "depthwise8")
CONTENT_LAYER = "block7"
LAST_BLOCK = 8
STYLE_WEIGHT = 1e3  # at strength 1
TV_WEIGHT = 50.0
BORDER = 16  # reflected margin: features near the edges see a continuation of the picture
CLAMP_EVERY = 20  # iterations between projections of the picture back into [0, 1]
# L-BFGS keeps two picture-sized vectors per remembered step: 100 MB each step at 2048², so 50
# steps would hold 5 GB; 20 reach the same loss (measured: docs/benchmarks.md).
LBFGS_HISTORY = 20
SMALLEST_PAINTING_SIDE = 32
MIN_RETRY_SIDE = 512  # out of memory below this, a high-quality render gives up with a message


@dataclass(frozen=True)
class Pyramid:
    """Fractions of the working size and L-BFGS evaluations spent at each."""

    scales: tuple[float, ...]
    evaluations: tuple[int, ...]

    @classmethod
    def for_long_side(cls, long_side: int) -> Pyramid:
        """Coarse to fine, never coarser than 192 px: below that block 8 sees a handful of
        positions and the photo's structure is lost."""
        if long_side <= 384:
            return cls((1.0,), (300,))
        if long_side <= 768:
            return cls((0.5, 1.0), (200, 100))
        return cls((0.25, 0.5, 1.0), (200, 100, 60))


def gram(features: torch.Tensor) -> torch.Tensor:
    n, c, h, w = features.shape
    flat = features.reshape(n, c, h * w).float()
    return flat @ flat.transpose(1, 2) / (h * w)


def _padded(image: torch.Tensor) -> torch.Tensor:
    return F.pad(image, (BORDER,) * 4, mode="reflect")


def _resize(image: torch.Tensor, height: int, width: int) -> torch.Tensor:
    if image.shape[-2:] == (height, width):
        return image
    return F.interpolate(image, size=(height, width), mode="bilinear", antialias=True, align_corners=False)


def style_grams(network: EfficientNetLite0, paintings: list[tuple[torch.Tensor, float]]) -> dict[str, torch.Tensor]:
    """The weighted mix of the paintings' Gram matrices (each painting already at its scale)."""
    mixed: dict[str, torch.Tensor] = {}
    with torch.no_grad():
        for painting, weight in paintings:
            features = network.features(_padded(painting), set(STYLE_LAYERS), LAST_BLOCK)
            for name in STYLE_LAYERS:
                mixed[name] = mixed.get(name, 0) + weight * gram(features[name])
    return mixed


def total_variation(image: torch.Tensor) -> torch.Tensor:
    return (image[..., 1:, :] - image[..., :-1, :]).pow(2).mean() + (image[..., :, 1:] - image[..., :, :-1]).pow(2).mean()


class Optimiser:
    def __init__(self, network: EfficientNetLite0, pyramid: Pyramid | None = None):
        self.network, self.pyramid = network, pyramid
        self.losses: list[float] = []  # every evaluation's loss, for tests and diagnostics

    def run(
        self,
        photo: torch.Tensor,
        paintings_at_working_scale: list[tuple[torch.Tensor, float]],
        start: torch.Tensor,
        strength: float,
        token: CancelToken,
    ) -> torch.Tensor:
        """``photo`` and ``start``: (1, 3, H, W) in [0, 1] at the working size. Each painting is
        scaled so that its strokes compare with the working size; it is rescaled with the pyramid."""
        height, width = photo.shape[-2:]
        pyramid = self.pyramid or Pyramid.for_long_side(max(height, width))
        total = sum(pyramid.evaluations)
        done = 0
        image = None
        for scale, evaluations in zip(pyramid.scales, pyramid.evaluations):
            h, w = max(32, round(height * scale)), max(32, round(width * scale))
            paintings = [(_resize(p, max(32, round(p.shape[-2] * scale)), max(32, round(p.shape[-1] * scale))), wt)
                         for p, wt in paintings_at_working_scale]
            targets = style_grams(self.network, paintings)
            # L-BFGS flattens its parameter with view(): it must be contiguous.
            image = _resize(start if image is None else image, h, w).detach().contiguous().clone()
            image = self._optimise_scale(_resize(photo, h, w), image, targets, strength, evaluations,
                                         token.subrange(done / total, (done + evaluations) / total))
            done += evaluations
        assert image is not None  # the pyramid has at least one scale
        return image

    def _optimise_scale(self, photo, image, style_targets, strength, evaluations, token):
        with torch.no_grad():
            content_target = self.network.features(_padded(photo), {CONTENT_LAYER}, LAST_BLOCK)[CONTENT_LAYER]
        content_norm = content_target.pow(2).sum()
        style_norms = {name: g.pow(2).sum() for name, g in style_targets.items()}
        wanted = set(STYLE_LAYERS) | {CONTENT_LAYER}
        style_weight = STYLE_WEIGHT * strength
        image.requires_grad_(True)
        optimiser = torch.optim.LBFGS([image], lr=1.0, max_iter=CLAMP_EVERY, max_eval=None, history_size=LBFGS_HISTORY,
                                      tolerance_grad=0.0, tolerance_change=0.0, line_search_fn="strong_wolfe")
        count = 0

        def closure():
            nonlocal count
            token.progress(count / evaluations)
            count += 1
            optimiser.zero_grad()
            features = self.network.features(_padded(image), wanted, LAST_BLOCK)
            loss = (features[CONTENT_LAYER] - content_target).pow(2).sum() / content_norm
            for name in STYLE_LAYERS:
                loss = loss + style_weight * (gram(features[name]) - style_targets[name]).pow(2).sum() / style_norms[name]
            loss = loss + TV_WEIGHT * total_variation(image)
            loss.backward()
            self.losses.append(loss.item())
            return loss

        while count < evaluations:
            optimiser.param_groups[0]["max_eval"] = max(1, min(CLAMP_EVERY * 5 // 4, evaluations - count))
            optimiser.step(closure)
            with torch.no_grad():
                image.clamp_(0.0, 1.0)
            if token.wants_intermediate:
                token.intermediate(image.detach())
        token.progress(1.0)
        return image.detach()


def style_targets(style: StyleSpec, long_side: int, fast: torch.Tensor, device: torch.device) -> list[tuple[torch.Tensor, float]]:
    """What the optimisation matches the style of: each painting brought to the working size's
    scale, so its strokes compare with the photo's; a preset has no painting, so its own fast
    rendering of the photo is the style to match."""
    if not isinstance(style, PaintingBlend):
        return [(fast, 1.0)]
    paintings = []
    for picture, weight in zip(style.paintings, style.weights):
        scale = long_side / max(picture.size)
        small = resized(picture, max(SMALLEST_PAINTING_SIDE, round(picture.width * scale)),
                        max(SMALLEST_PAINTING_SIDE, round(picture.height * scale)))
        paintings.append((small.tensor().to(device), weight))
    return paintings


def optimise_within_memory(optimise_at: Callable[[Picture], torch.Tensor], working_photo: Picture,
                           smaller: Callable[[int], Picture], notes: list[str],
                           release_memory: Callable[[], None], device_name: str) -> tuple[torch.Tensor, Picture]:
    """``optimise_at(working_photo)``, retried at three quarters of the working size while the
    device runs out of memory (a laptop GPU at 2048 px); the result is enlarged to the output as
    usual. Returns the picture and the working photo it was made at."""
    while True:
        try:
            return optimise_at(working_photo), working_photo
        except torch.OutOfMemoryError:
            pass  # retried outside the except block, whose traceback still holds the tensors
        release_memory()
        long_side = max(working_photo.size) * 3 // 4
        if long_side < MIN_RETRY_SIDE:
            raise OutOfMemoryError(f"{device_name} has too little free memory for a high-quality render, even at "
                                   f"{max(working_photo.size)} px; use the fast quality, a larger stroke size, "
                                   f"or close other programs using the GPU") from None
        working_photo = smaller(long_side)
        notes.append(f"out of memory: high quality optimised at {long_side} px instead, then enlarged")
