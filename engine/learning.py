"""Learning a style from one painting: the painting network's norms fitted to it.

Dumoulin et al. (2017, section 3.4) add a style to a conditional-instance-norm network by fitting
only that style's norm parameters. Here the start is Ghiasi et al.'s style predictor's vector for
the painting; what is fitted is an addition to every norm's scale and shift (694 numbers: what the
vector's linear maps give, moved), the vector itself kept. The loss is Gatys et al.'s, on VGG-16:
content at relu3_3, style as Gram matrices at relu1_2, relu2_2, relu3_3 and relu4_3, each term
divided by its value at the first step and the style weighted 3:1, over random 256-px crops of a
few photos shipped with the app (and the artist's own, if given). The painting's Gram matrices are
taken where a picture is seen: at a 1024-px and a 512-px long side in turn, the photos scaled
alike (at one scale only, the render improved at that scale and not at the other:
docs/benchmarks.md, "Learned styles"). Adam, learning rate 0.01.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence

import numpy as np
import torch
from torch.nn import functional as F

from .learned_style import LearnedStyle, network_sha256
from .limits import LEARNING_STEPS
from .networks import LOSS_NETWORK, STYLE_TRANSFORMER
from .networks.style_transformer import NORM_SHIFTS
from .networks.vgg16 import LAYER_NAMES
from .picture import Picture
from .progress import CancelToken
from .rendering.resizing import resized
from .resources import resource_path

DEFAULT_STEPS = LEARNING_STEPS
CROP = 256
BATCH = 2
PAINTING_LONG_SIDE = 1024
PHOTO_SHORT_SIDE = 768
STYLE_WEIGHT = 3.0
LEARNING_RATE = 0.01
CONTENT_LAYER = "relu3_3"
TRAINING_PHOTOS = ("chelsea.png", "learning/coffee.jpg", "learning/rocket.jpg", "learning/hubble_deep_field.jpg")


def training_photos() -> list[Picture]:
    from .io.imageio import load_picture

    return [load_picture(resource_path("images", *name.split("/"))) for name in TRAINING_PHOTOS]


def gram(features: torch.Tensor) -> torch.Tensor:
    """(N, C, H, W) -> (N, C, C), divided by C*H*W: comparable between sizes."""
    n, c, h, w = features.shape
    flat = features.reshape(n, c, h * w)
    return flat @ flat.transpose(1, 2) / (c * h * w)


class Objective:
    """Gatys et al.'s loss for one painting at the scales it will be seen at: content at relu3_3,
    style as Gram matrices against the painting's at that scale, each term divided by its value
    at the first batch of that scale."""

    def __init__(self, engine, painting: Picture, painting_sides: Sequence[int] = (PAINTING_LONG_SIDE,)):
        device = engine.device
        self.torch_device = device.torch_device
        self.loss_net = engine.networks.get(LOSS_NETWORK, device)  # float32 on every device
        self.transformer = _float_transformer(engine, device)
        self.targets: dict[int, dict[str, torch.Tensor]] = {}
        with torch.no_grad():
            for side in painting_sides:
                image = _painting_tensor(painting, side, self.torch_device)
                self.targets[side] = {name: gram(f) for name, f in self.loss_net(image).items()}
        self.first: dict[int, dict[str, float]] = {}

    def __call__(self, crops: torch.Tensor, conditioning: torch.Tensor, side: int | None = None) -> torch.Tensor:
        """1 at the first batch of ``side``; lower is closer to the painting, with the photo kept."""
        side = side if side is not None else next(iter(self.targets))
        target, batch = self.targets[side], crops.shape[0]
        out = self.transformer(crops, conditioning.expand(batch, -1))
        features, wanted = self.loss_net(out), self.loss_net(crops)
        terms = {"content": F.mse_loss(features[CONTENT_LAYER], wanted[CONTENT_LAYER].detach())}
        terms.update({name: F.mse_loss(gram(features[name]), target[name].expand(batch, -1, -1))
                      for name in LAYER_NAMES})
        first = self.first.setdefault(side, {name: max(float(value.detach()), 1e-12) for name, value in terms.items()})
        style = sum(terms[name] / first[name] for name in LAYER_NAMES) / len(LAYER_NAMES)
        return (terms["content"] / first["content"] + STYLE_WEIGHT * style) / (1 + STYLE_WEIGHT)


def learn_style(engine, painting: Picture, photos: Sequence[Picture] = (), steps: int = DEFAULT_STEPS,
                token: CancelToken | None = None, start: LearnedStyle | None = None, seed: int = 0,
                crop: int = CROP, painting_side: int = PAINTING_LONG_SIDE,
                between_steps: Callable[[], None] | None = None,
                on_checkpoint: Callable[[LearnedStyle], None] | None = None, checkpoint_every: int = 20) -> LearnedStyle:
    """Fit the painting network's norms to ``painting`` for ``steps`` steps (more, from ``start``:
    learning goes on where it stopped). ``photos``: the artist's, beside the shipped ones.
    Progress and cancellation through ``token`` (``Cancelled`` raised between two steps);
    ``between_steps`` runs after each (the studio's waiting preview, say); ``on_checkpoint`` gets
    the style as learned so far every ``checkpoint_every`` steps (to preview it as it improves)."""
    token = token or CancelToken()
    began = time.monotonic()
    # Two viewing scales, in turn: the painting's statistics are taken where a picture is seen,
    # large and small (one scale only improved the render at that scale: docs/benchmarks.md).
    sides = (painting_side, painting_side // 2)
    objective = Objective(engine, painting, sides)
    device = objective.torch_device
    generator = random.Random(seed)
    with torch.no_grad():
        vector = engine.style_vector(painting).to(device)
    shifts = torch.zeros(1, NORM_SHIFTS, device=device)
    if start is not None:
        shifts = torch.from_numpy(start.conditioning[-NORM_SHIFTS:]).float().view(1, -1).to(device)
    shifts.requires_grad_(True)
    optimiser = torch.optim.Adam([shifts], lr=LEARNING_RATE)
    so_far = _learned_so_far(painting, vector, shifts, start, began)
    everyone = (*training_photos(), *photos)
    pools = {side: [_photo_tensor(photo, round(side * PHOTO_SHORT_SIDE / PAINTING_LONG_SIDE), crop) for photo in everyone]
             for side in sides}
    loss_value = 1.0
    for step in range(steps):
        token.progress(step / max(steps, 1))
        side = sides[step % len(sides)]
        crops = torch.cat([_random_crop(generator.choice(pools[side]), crop, generator) for _ in range(BATCH)]).to(device)
        loss = objective(crops, torch.cat([vector, shifts], 1), side)
        optimiser.zero_grad(set_to_none=True)
        loss.backward()
        optimiser.step()
        loss_value = float(loss.detach())
        if on_checkpoint is not None and (step + 1) % checkpoint_every == 0 and step + 1 < steps:
            on_checkpoint(so_far(step + 1, loss_value))
        if between_steps is not None:
            between_steps()
    token.progress(1.0)
    return so_far(steps, loss_value)


def _learned_so_far(painting: Picture, vector: torch.Tensor, shifts: torch.Tensor, start: LearnedStyle | None,
                    began: float) -> Callable[[int, float], LearnedStyle]:
    network = network_sha256()
    earlier_steps, earlier_seconds = (start.steps, start.seconds) if start is not None else (0, 0.0)

    def so_far(steps: int, loss: float) -> LearnedStyle:
        numbers = torch.cat([vector, shifts.detach()], 1)[0].cpu().numpy().astype(np.float32)
        return LearnedStyle(numbers, painting.content_hash, network, earlier_steps + steps, loss,
                            earlier_seconds + time.monotonic() - began)

    return so_far


def fixed_crops(photos: Sequence[Picture] = (), count: int = 4, crop: int = CROP, seed: int = 1) -> torch.Tensor:
    """The same crops every time (of the shipped photos and ``photos``): to compare two styles' losses."""
    generator = random.Random(seed)
    pool = [_photo_tensor(photo, crop=crop) for photo in (*training_photos(), *photos)]
    return torch.cat([_random_crop(pool[number % len(pool)], crop, generator) for number in range(count)])


def _float_transformer(engine, device):
    """The painting network in float32 (gradients need it), on the engine's device."""
    if device.dtype == torch.float32:
        return engine.networks.get(STYLE_TRANSFORMER, device)
    from .weights import load_network

    return load_network(STYLE_TRANSFORMER, device.torch_device, torch.float32)


def _painting_tensor(painting: Picture, long_side: int, device: torch.device) -> torch.Tensor:
    scale = min(1.0, long_side / max(painting.size))
    small = resized(painting, max(1, round(painting.width * scale)), max(1, round(painting.height * scale)))
    return small.tensor().to(device)


def _photo_tensor(photo: Picture, short_side: int = PHOTO_SHORT_SIDE, crop: int = CROP) -> torch.Tensor:
    scale = max(short_side, crop) / min(photo.size)
    return resized(photo, max(crop, round(photo.width * scale)), max(crop, round(photo.height * scale))).tensor()


def _random_crop(photo: torch.Tensor, side: int, generator: random.Random) -> torch.Tensor:
    _, _, height, width = photo.shape
    side = min(side, height, width) // 4 * 4  # the painting network takes multiples of 4
    top, left = generator.randint(0, height - side), generator.randint(0, width - side)
    return photo[:, :, top : top + side, left : left + side]
