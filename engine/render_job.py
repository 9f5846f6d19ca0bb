"""One render in progress: its request, token, plan, notes and output, and the steps that fill
the output. Made only by ``Engine.render``, which tells the story; this holds the state that
the steps share, so none of them takes a long list of arguments."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import numpy as np
import torch
import torch.nn.functional as F

from .devices import DeviceChoice
from .networks import FEATURE_NETWORK
from .picture import Picture, store_integer_pixels
from .planning import RenderPlan, scaled, tile_pixels, tile_side
from .progress import CancelToken
from .rendering.finishing import DetailTransfer, finisher
from .rendering.optimise import Optimiser, optimise_within_memory, style_targets
from .rendering.tiles import Placement, Sink, retry_placements, run_with_retries
from .request import RenderRequest, RenderResult
from .styles import PresetBlend

if TYPE_CHECKING:
    from .engine import Engine

BAND_ROWS = 256  # detail transfer works in bands of rows: a 100 MP output needs a few hundred MB at a time


class RenderJob:
    def __init__(self, engine: Engine, request: RenderRequest, token: CancelToken, plan: RenderPlan):
        self.engine, self.request, self.token, self.plan = engine, request, token, plan
        self.notes: list[str] = []
        self.device = engine.device  # this render's: it may fall back to the CPU, the engine does not
        self.tiles = 1
        content = request.content
        self.photo_out = engine.resized(content, plan.output_size)
        self.working_photo = self.photo_out if plan.at_output_size else engine.resized(content, plan.working_size)
        self.output = np.empty((plan.output_size[1], plan.output_size[0], 3), dtype=content.pixels.dtype)
        fade = isinstance(request.style, PresetBlend) and request.settings.strength < 1.0
        self._finish = finisher(request.settings, fade_to_photo=fade and request.settings.quality == "fast")

    def write(self, top: int, left: int, block: torch.Tensor) -> None:
        """The sink of the output: finish the block at output size and store its pixels."""
        h, w = block.shape[-2:]
        block = block.float().cpu()
        if self._finish is not None:
            block = self._finish(block, self.photo_out.tensor(top, left, h, w))
        store_integer_pixels(block, self.output[top : top + h, left : left + w])

    # -- the steps -------------------------------------------------------------------------

    def run_network(self, picture: Picture, sink: Sink, token: CancelToken) -> None:
        """The fast network over ``picture``, tiled when large, retried smaller or on the CPU when
        the device runs out of memory (for this render only; the result says so)."""
        first = Placement(self.device, self.plan.tile_side)
        cpu = None if self.device.kind == "cpu" else Placement(self.engine.cpu, tile_side(self._cpu_tile_pixels()))
        self.tiles, used = run_with_retries(lambda device: self.engine.conditioned_network(self.request, device),
                                            picture, sink, token, retry_placements(first, cpu), self.notes,
                                            self.request.statistics)
        self.device = used.device

    def network_result(self, picture: Picture, token: CancelToken) -> torch.Tensor:
        """The fast network's whole result over ``picture``, as a float32 CPU tensor."""
        result = torch.empty(1, 3, picture.height, picture.width)

        def keep(top: int, left: int, block: torch.Tensor) -> None:
            result[..., top : top + block.shape[-2], left : left + block.shape[-1]] = block.float().cpu()

        self.run_network(picture, keep, token)
        return result

    def optimised(self, token: CancelToken) -> tuple[torch.Tensor, Picture]:
        """The high-quality picture and the working photo it was made at (smaller when memory ran out)."""
        content = self.request.content
        return optimise_within_memory(
            lambda photo: self._optimise(photo, token), self.working_photo,
            lambda long_side: self.engine.resized(content, scaled(content.size, long_side)),
            self.notes, self.device.release_cached_memory, self.device.description)

    def _optimise(self, working_photo: Picture, token: CancelToken) -> torch.Tensor:
        # It starts from the fast network's result: measured on two photo/painting pairs, starting
        # from the photo lost its structure under dark paintings and kept patches of the photo's
        # colours, while the fast start kept the structure and took the painting's texture.
        fast = self.network_result(working_photo, token.subrange(0.0, 0.05))
        device = self.device.torch_device
        fast = fast.to(device).contiguous()
        targets = style_targets(self.request.style, max(working_photo.size), fast, device)
        optimiser = Optimiser(self.engine.networks.get(FEATURE_NETWORK, self.device))
        with torch.enable_grad():
            result = optimiser.run(working_photo.tensor().to(device), targets, fast, self.request.settings.strength,
                                   token.subrange(0.05, 1.0))
        return result.float().cpu()

    def bring_to_size(self, stylised: torch.Tensor, working_photo: Picture, token: CancelToken) -> None:
        """From the working size to the output: shrunk with antialiasing, or enlarged with the
        photo's own detail added back (``DetailTransfer``), band by band into the output."""
        out_w, out_h = self.plan.output_size
        if (out_w, out_h) == working_photo.size:
            self.write(0, 0, stylised)
            return
        if out_w <= working_photo.width:
            self.write(0, 0, F.interpolate(stylised, size=(out_h, out_w), mode="bilinear", antialias=True))
            return
        transfer = DetailTransfer(working_photo.tensor(), stylised, (out_w, out_h))
        for top in range(0, out_h, BAND_ROWS):
            token.progress(top / out_h)
            rows = min(BAND_ROWS, out_h - top)
            self.write(top, 0, transfer.band(top, self.photo_out.luma(top, 0, rows, out_w)))

    def result(self, started: float) -> RenderResult:
        photo = self.photo_out
        return RenderResult(
            picture=Picture(self.output, photo.alpha, self.request.content.icc_profile, self.request.content.name),
            request_id=self.request.request_id,
            device=self.device.description,
            seconds=time.perf_counter() - started,
            peak_memory_bytes=self.device.peak_memory_bytes(),
            working_size=self.plan.working_size,
            tiles=self.tiles,
            notes=tuple(self.notes),
        )

    def _cpu_tile_pixels(self) -> int:
        cpu: DeviceChoice = self.engine.cpu
        return tile_pixels(cpu.kind, cpu.element_bytes, None, self.engine.settings.tile_pixels)
