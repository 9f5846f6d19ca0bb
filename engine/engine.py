"""``Engine.render(request, token)``: the one entry point the CLI, the desktop app and the tests use.

A render runs the network at a working size chosen from the stroke size (tiled, with the
normalisation statistics of a thumbnail, when it is large), brings the result to the output
size with ``DetailTransfer``, then applies strength, colour preservation and the photo's alpha.
The engine holds what outlives a render: the device, the networks and the caches; each render's
own state lives in a ``RenderJob``.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import torch

from .caching import LruCache
from .conditioning import NetworkPass
from .devices import DeviceChoice, resolve_device
from .limits import PREDICTOR_MAX_LONG_SIDE, PREDICTOR_SHORT_SIDE
from .loaded_networks import LoadedNetworks
from .memory import keep_freed_memory, return_freed_memory
from .networks import STYLE_PREDICTOR
from .networks.layers import FixedStatistics, RecordingStatistics
from .picture import Picture
from .planning import RenderPlan, plan_render, statistics_size, tile_pixels
from .progress import CancelToken
from .regions import StyleLayout
from .render_job import RenderContext, RenderJob
from .rendering.resizing import resized
from .rendering.tiles import THUMBNAIL_LONG_SIDE, Network, Region, run_padded
from .request import RenderRequest, RenderResult
from .settings import DEFAULT_ENGINE_SETTINGS, EngineSettings
from .style_vectors import StyleVectorCache

# Previews stay below this and keep their memory for the next one; larger renders give it back.
KEEP_MEMORY_UP_TO_PIXELS = 2048 * 2048
RESIZED_KEPT = 4  # the photo at preview, draft and working sizes: a live preview re-uses them


class Engine:
    """Holds the device, the loaded networks and the caches. Not thread-safe: one render at a time."""

    def __init__(self, settings: EngineSettings = DEFAULT_ENGINE_SETTINGS, networks: LoadedNetworks | None = None):
        self.settings = settings
        self.networks = networks or LoadedNetworks()
        self._device: DeviceChoice | None = None
        self._style_vectors = StyleVectorCache(settings.style_cache_dir)
        self._resized: LruCache[tuple, Picture] = LruCache(RESIZED_KEPT)
        if settings.keep_freed_memory:
            keep_freed_memory()

    @property
    def device(self) -> DeviceChoice:
        """Where renders run, chosen on first use (so creating an engine touches no device)."""
        if self._device is None:
            s = self.settings
            self._device = resolve_device(s.device, s.precision, s.cpu_threads)
        return self._device

    @property
    def cpu(self) -> DeviceChoice:
        """Where a render goes when the GPU runs out of memory."""
        return self.device if self.device.kind == "cpu" else resolve_device("cpu", "fp32", self.settings.cpu_threads)

    def render(self, request: RenderRequest, token: CancelToken | None = None) -> RenderResult:
        token = token or CancelToken()
        started = time.perf_counter()
        self.device.reset_peak_memory()
        token.progress(0.0)
        job = RenderJob(self.render_context(), request, token, self.plan(request))
        network_share = 0.9 if job.plan.at_output_size else 0.7
        network_token, enlarging_token = token.subrange(0.02, network_share), token.subrange(network_share, 1.0)
        if request.settings.colour == "palette":
            job.recolour(network_token)
        elif request.settings.quality == "high":
            stylised, working_photo = job.optimised(network_token)
            job.bring_to_size(stylised, working_photo, enlarging_token)
        elif job.plan.at_output_size and len(job.passes) == 1:  # tiles go straight to the output
            job.run_network(job.passes[0], 0, job.working_photo, job.write, network_token)
        else:
            job.bring_to_size(job.stylised(job.working_photo, network_token), job.working_photo, enlarging_token)
        token.progress(1.0)
        result = job.result(started)
        if job.output.shape[0] * job.output.shape[1] > KEEP_MEMORY_UP_TO_PIXELS:
            return_freed_memory()
        return result

    def plan(self, request: RenderRequest) -> RenderPlan:
        device = self.device
        budget = tile_pixels(device.kind, device.element_bytes, device.free_bytes(), self.settings.tile_pixels)
        return plan_render(request.content.size, request.settings, budget)

    def shot_statistics(self, request: RenderRequest, frames: Sequence[Picture],
                        token: CancelToken | None = None) -> FixedStatistics:
        """The norm statistics of ``frames`` together (a shot of a video), measured at the working
        size of ``request`` (thumbnails of at most 1024 px), for requests that carry them."""
        token = token or CancelToken()
        job = RenderJob(self.render_context(), request, token, self.plan(request))
        width, height = job.plan.working_size
        size = statistics_size(job.plan.working_size, THUMBNAIL_LONG_SIDE)
        recordings = []
        for done, frame in enumerate(frames):
            token.progress(done / len(frames))  # a frame costs about one render: cancelled between two
            image = resized(frame, *size).tensor().to(self.device.torch_device, self.device.dtype)
            per_pass = []
            for network_pass in job.passes:
                recorder = RecordingStatistics()
                with torch.inference_mode():
                    run_padded(network_pass.network_on(self.device), image, recorder, Region(0, 0, height, width))
                per_pass.append(recorder.recorded)
            recordings.append(per_pass)
        return FixedStatistics.pooled(recordings)

    # -- what renders share ----------------------------------------------------------------

    def render_context(self) -> RenderContext:
        """What a render needs of this engine: its device, networks and caches."""
        return RenderContext(self.device, self.cpu, self.settings.tile_pixels, self.networks.get, self.style_vector,
                             self.resized)

    def network_passes(self, request: RenderRequest, layout: StyleLayout | None) -> list[NetworkPass]:
        return self.render_context().network_passes(request, layout)

    def conditioned_network(self, request: RenderRequest, device: DeviceChoice) -> Network:
        """The network of a request without regions, conditioned on its style, on ``device``."""
        return self.render_context().conditioned_network(request, device)

    def style_vector(self, picture: Picture, painting: bool = True) -> torch.Tensor:
        """A picture's 100-number style vector (1, 100), cached by its pixels (a painting's on
        disk too, across sessions; a photo's in memory only)."""
        return self._style_vectors.get(picture, self._predict_style, keep=painting)

    def _predict_style(self, picture: Picture) -> torch.Tensor:
        scale = min(PREDICTOR_SHORT_SIDE / min(picture.size), PREDICTOR_MAX_LONG_SIDE / max(picture.size))
        small = resized(picture, max(1, round(picture.width * scale)), max(1, round(picture.height * scale)))
        predictor = self.networks.get(STYLE_PREDICTOR, self.device)
        with torch.inference_mode():
            return predictor(small.tensor().to(self.device.torch_device)).float().cpu()

    def resized(self, picture: Picture, size: tuple[int, int]) -> Picture:
        """``resized``, remembered: a live preview of a large photo would otherwise spend most of
        each slider move shrinking the same photo to the same two sizes (docs/benchmarks.md)."""
        return self._resized.get((picture.content_hash, *size), lambda _key: resized(picture, *size))
