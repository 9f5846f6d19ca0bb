"""One render in progress: its request, token, plan, notes and output, and the steps that fill
the output. Made by ``Engine.render``, which tells the story; this holds the state that the
steps share, so none of them takes a long list of arguments. Of the engine it is given only
what a render needs (``RenderContext``), so it never calls back into the whole ``Engine``."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import cast

import numpy as np
import torch
import torch.nn.functional as F

from .conditioning import NetworkGetter, NetworkPass, StyleVector, network_passes, photo_share
from .devices import DeviceChoice
from .networks import FEATURE_NETWORK
from .networks.efficientnet_lite import EfficientNetLite0
from .networks.layers import NormStatistics
from .picture import Picture, store_integer_pixels
from .planning import RenderPlan, scaled, tile_pixels, tile_side
from .progress import CancelToken
from .regions import StyleLayout, style_layout
from .rendering.colour import LabStatistics, PaletteTransfer, lab_to_srgb, srgb_to_lab
from .rendering.finishing import DetailTransfer, WeightsAtOutput, finisher
from .rendering.optimise import Optimiser, optimise_within_memory, style_targets
from .rendering.tiles import Network, Placement, Sink, Wanted, retry_placements, run_padded, run_with_retries, whole
from .request import RenderRequest, RenderResult
from .settings import RenderSettings
from .styles import PaintingBlend, PresetBlend

BAND_ROWS = 32  # outputs are finished in bands of rows small enough to stay in the cache between passes
# (12 MP detail transfer 174 -> 150 ms, palette render 679 -> 550 ms against 256 rows; measured)
PALETTE_SAMPLE_SIDE = 256  # a preset's palette is read from its rendering of the photo at this size


@dataclass(frozen=True)
class RenderContext:
    """What a render needs of the engine that runs it."""

    device: DeviceChoice  # where it runs
    cpu: DeviceChoice  # where it goes when the GPU runs out of memory
    tile_pixels: int | None  # the settings' tile budget (None: by the device's memory)
    network: NetworkGetter  # a loaded network by name, on a device
    style_vector: StyleVector  # a picture's style vector (cached)
    resized: Callable[[Picture, tuple[int, int]], Picture]  # a picture at a size (cached)

    def network_passes(self, request: RenderRequest, layout: StyleLayout | None) -> list[NetworkPass]:
        return network_passes(request, layout, self.network, self.style_vector)

    def conditioned_network(self, request: RenderRequest, device: DeviceChoice) -> Network:
        """The network of a request without regions, conditioned on its style, on ``device``."""
        return self.network_passes(request, None)[0].network_on(device)


class RenderJob:
    def __init__(self, context: RenderContext, request: RenderRequest, token: CancelToken, plan: RenderPlan):
        self.context, self.request, self.token, self.plan = context, request, token, plan
        self.notes: list[str] = []
        self.device = context.device  # this render's: it may fall back to the CPU, the engine does not
        self.tiles = 1
        content = request.content
        self.photo_out = context.resized(content, plan.output_size)
        self.working_photo = self.photo_out if plan.at_output_size else context.resized(content, plan.working_size)
        self.output = np.empty((plan.output_size[1], plan.output_size[0], 3), dtype=content.pixels.dtype)
        # A preset's strength is a fade to the photo at output size; with regions, it is part of
        # the photo's share of each pixel (``photo_share``).
        settings = request.settings
        fade = settings.strength < 1.0 and settings.quality == "fast" and settings.colour != "palette"
        fade = fade and not request.regions and self.passes[0].presets
        self._finish = finisher(settings, fade_to_photo=fade)

    @cached_property
    def passes(self) -> list[NetworkPass]:
        """The network passes at the working size; made when first needed (a palette-only render
        needs no network, nor a painting's style vector)."""
        return self.context.network_passes(self.request, self.layout)

    @cached_property
    def layout(self) -> StyleLayout | None:
        return self.layout_for(self.working_photo)

    @cached_property
    def photo_share(self) -> WeightsAtOutput | None:
        """How much of each output pixel is the photo's own pixels (regions of the photo, a
        region's strength, a preset's strength among regions), or None for none anywhere."""
        share = photo_share(self.layout, self.passes)
        return None if share is None else WeightsAtOutput(share, self.plan.output_size)

    def passes_for(self, picture: Picture) -> list[NetworkPass]:
        return self.passes if picture is self.working_photo else self.context.network_passes(self.request,
                                                                                           self.layout_for(picture))

    def layout_for(self, picture: Picture) -> StyleLayout | None:
        """Where each style goes at the size of ``picture``, or None for a picture of one style."""
        request, settings = self.request, self.request.settings
        if not request.regions:
            return None
        return style_layout(request.style, request.regions, picture.tensor(), request.content.width,
                            settings.feather, settings.snap_to_edges)

    def write(self, top: int, left: int, block: torch.Tensor) -> None:
        """The sink of the output: finish the block (1, 3, h, w) at output size, let the photo's
        own pixels through where they have a share, and store its pixels."""
        h, w = block.shape[-2:]
        share = self.photo_share
        if self._finish is not None or share is not None:
            photo = self.photo_out.tensor(top, left, h, w)
            if self._finish is not None:
                block = self._finish(block.float().cpu(), photo)
            if share is not None:
                block = torch.lerp(block.float().cpu(), photo, share.block(top, left, h, w))
        self._store(top, left, block)

    def _store(self, top: int, left: int, block: torch.Tensor) -> None:
        h, w = block.shape[-2:]
        store_integer_pixels(block, self.output[top : top + h, left : left + w])

    # -- the steps -------------------------------------------------------------------------

    def run_network(self, network_pass: NetworkPass, index: int, picture: Picture, sink: Sink,
                    token: CancelToken, wanted: Wanted | None = None) -> None:
        """One pass of a network over ``picture``, tiled when large (only the ``wanted`` tiles),
        retried smaller or on the CPU when the device runs out of memory (for this render only;
        the result says so)."""
        first = Placement(self.device, self.plan.tile_side)
        cpu = None if self.device.kind == "cpu" else Placement(self.context.cpu, tile_side(self._cpu_tile_pixels()))
        fixed = None if self.request.statistics is None else self.request.statistics.of_pass(index)
        tiles, used = run_with_retries(network_pass.network_on, picture, sink, token, retry_placements(first, cpu),
                                       self.notes, fixed, wanted)
        self.tiles = tiles if index == 0 else self.tiles + tiles
        self.device = used.device

    def stylised(self, picture: Picture, token: CancelToken) -> torch.Tensor:
        """The fast networks' whole result over ``picture``, as a float32 CPU tensor: one pass, or
        one pass per style of a picture with regions, put together by their shares (the photo's
        own share is let through at the output's size, by ``write``)."""
        passes = self.passes_for(picture)
        if len(passes) == 1:
            return self._pass_result(passes[0], 0, picture, token)
        composite, total = torch.zeros(1, 3, picture.height, picture.width), torch.zeros(1, 1, picture.height, picture.width)
        for index, network_pass in enumerate(passes):
            result = self._pass_result(network_pass, index, picture, token.subrange(index / len(passes),
                                                                                    (index + 1) / len(passes)))
            assert network_pass.share is not None  # several passes: each has its share
            composite.addcmul_(result, network_pass.share)
            total += network_pass.share
        # Where only the photo goes, any colour will do: the photo's keeps the enlargement smooth.
        styled = total > 1e-6
        return torch.where(styled, composite / total.clamp_min(1e-6), picture.tensor())

    def _pass_result(self, network_pass: NetworkPass, index: int, picture: Picture, token: CancelToken) -> torch.Tensor:
        result = picture.tensor()  # tiles that are not wanted keep the photo: no dark edge where a share fades

        def keep(top: int, left: int, block: torch.Tensor) -> None:
            result[..., top : top + block.shape[-2], left : left + block.shape[-1]] = block.float().cpu()

        self.run_network(network_pass, index, picture, keep, token, network_pass.wanted)
        return result

    def optimised(self, token: CancelToken) -> tuple[torch.Tensor, Picture]:
        """The high-quality picture and the working photo it was made at (smaller when memory ran out)."""
        content = self.request.content
        return optimise_within_memory(
            lambda photo: self._optimise(photo, token), self.working_photo,
            lambda long_side: self.context.resized(content, scaled(content.size, long_side)),
            self.notes, self.device.release_cached_memory, self.device.description)

    def _optimise(self, working_photo: Picture, token: CancelToken) -> torch.Tensor:
        # It starts from the fast network's result: measured on two photo/painting pairs, starting
        # from the photo lost its structure under dark paintings and kept patches of the photo's
        # colours, while the fast start kept the structure and took the painting's texture.
        fast = self.stylised(working_photo, token.subrange(0.0, 0.05))
        device = self.device.torch_device
        fast = fast.to(device).contiguous()
        targets = style_targets(self.request.style, max(working_photo.size), fast, device)
        optimiser = Optimiser(cast(EfficientNetLite0, self.context.network(FEATURE_NETWORK, self.device)))
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
            self.write(top, 0, transfer.band(top, self.photo_out.luma(top, 0, rows, out_w))[None])

    def recolour(self, token: CancelToken) -> None:
        """Colour "palette": the photo itself recoloured with each style's palette where that style
        goes (no strokes), faded by the strength, band by band into the output."""
        layout = self.layout
        styles = (self.request.style,) if layout is None else layout.styles
        photo_colours = LabStatistics.of(self.working_photo.tensor())
        transfers = [PaletteTransfer.fitted(photo_colours, target) if target is not None else PaletteTransfer.identity()
                     for target in map(self._palette, styles)]
        weights = None if layout is None else WeightsAtOutput(layout.weights, self.plan.output_size)
        out_w, out_h = self.plan.output_size
        for top in range(0, out_h, BAND_ROWS):
            token.progress(top / out_h)
            rows = min(BAND_ROWS, out_h - top)
            photo = self.photo_out.tensor(top, 0, rows, out_w)
            lab = srgb_to_lab(photo)
            if weights is None:
                recoloured = transfers[0].apply(lab)
            else:  # each style's palette by its share; the photo's own colours for the rest
                band = weights.block(top, 0, rows, out_w)  # (1, K, rows, width)
                recoloured = lab.clone()
                for k, transfer in enumerate(transfers):
                    recoloured.addcmul_(band[:, k : k + 1], transfer.apply(lab) - lab)
            self._store(top, 0, torch.lerp(photo, lab_to_srgb(recoloured), self.request.settings.strength))

    def _palette(self, style) -> LabStatistics | None:
        """The colours a style brings: a painting's own; a preset's as it paints this photo (a small
        rendering: colours do not need detail); None for the photo's own look."""
        if isinstance(style, PaintingBlend):
            return LabStatistics.mixed([(LabStatistics.of(p.tensor()), w) for p, w in zip(style.paintings, style.weights)])
        if isinstance(style, PresetBlend):
            small = self.context.resized(self.request.content, scaled(self.request.content.size, PALETTE_SAMPLE_SIDE))
            request = RenderRequest(small, style, RenderSettings(stroke=None))
            with torch.inference_mode():
                rendering = run_padded(self.context.conditioned_network(request, self.device),
                                       small.tensor().to(self.device.torch_device, self.device.dtype),
                                       NormStatistics(), whole(small))
            return LabStatistics.of(rendering.float().cpu())
        return None

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
        cpu = self.context.cpu
        return tile_pixels(cpu.kind, cpu.element_bytes, None, self.context.tile_pixels)
