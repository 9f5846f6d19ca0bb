"""``Engine.render(request, token)``: the one entry point the CLI, the desktop app and the tests use.

A render runs the network at a working size chosen from the stroke size (tiled, with the
normalisation statistics of a thumbnail, when it is large), brings the result to the output
size with ``DetailTransfer``, then applies strength, colour preservation and the photo's alpha.
"""

from __future__ import annotations

import math
import sys
import time
from collections import OrderedDict

import numpy as np
import torch
import torch.nn.functional as F

from .devices import DeviceChoice, resolve_device
from .errors import InvalidRequestError, OutOfMemoryError
from .limits import MIN_SIDE, PREDICTOR_MAX_LONG_SIDE, PREDICTOR_SHORT_SIDE
from .memory import keep_freed_memory, return_freed_memory
from .networks.layers import NormStatistics
from .picture import Picture
from .progress import CancelToken
from .rendering.finishing import DetailTransfer, blend_with_photo, preserve_colours
from .rendering.optimise import Optimiser
from .rendering.sources import PictureSource, resized
from .rendering.tiles import GRID, TilePlan, run_padded, run_tiled, thumbnail_statistics
from .request import RenderRequest, RenderResult
from .settings import DEFAULT_ENGINE_SETTINGS, REFERENCE_LONG_SIDE, EngineSettings
from .style_vectors import StyleVectorCache
from .styles import PaintingBlend, PresetBlend
from .weights import load_feature_network, load_network

BAND_ROWS = 256
_CPU_TILE_PIXELS = 1536 * 1536
_GPU_BYTES_PER_PIXEL = {torch.float16: 400, torch.float32: 800}  # measured peak activations, with slack
_GPU_MAX_TILE_PIXELS = 3072 * 3072
_MIN_TILE = 256
# Previews stay below this and keep their memory for the next one; larger renders give it back.
_KEEP_MEMORY_UP_TO_PIXELS = 2048 * 2048
_RESIZED_CACHE_SIZE = 4  # the photo at preview, draft and working sizes
# The optimisation holds every feature map for its gradient and L-BFGS's history: at 2048 px
# about 5.2 GB in fp32 (estimated from the CPU, see docs/benchmarks.md); larger outputs are
# reached from this working size with DetailTransfer, as the fast path does.
HIGH_QUALITY_MAX_LONG_SIDE = 2048
HIGH_QUALITY_MIN_RETRY_SIDE = 512  # out of memory below this, a high-quality render gives up with a message


class Engine:
    """Holds the loaded networks and the style-vector cache. Not thread-safe: one render at a time."""

    def __init__(self, settings: EngineSettings = DEFAULT_ENGINE_SETTINGS):
        self.settings = settings
        self._choice: DeviceChoice | None = None
        self._networks: dict[str, torch.nn.Module] = {}
        self._style_vectors = StyleVectorCache(settings.style_cache_dir)
        self._resized_pictures: OrderedDict[tuple, Picture] = OrderedDict()
        if settings.keep_freed_memory:
            keep_freed_memory()

    # -- devices and networks -------------------------------------------------------------

    @property
    def device(self) -> DeviceChoice:
        if self._choice is None:
            s = self.settings
            self._choice = resolve_device(s.device, s.precision, s.cpu_threads)
        return self._choice

    def network(self, name: str) -> torch.nn.Module:
        if name not in self._networks:
            # The predictor runs once per painting: keep it in float32 for the most faithful vector.
            dtype = torch.float32 if name == "arbitrary_predict" else self.device.dtype
            network = load_network(name, self.device.device, dtype)
            if self._channels_last:
                network = network.to(memory_format=torch.channels_last)
            self._networks[name] = network
        return self._networks[name]

    def feature_network(self) -> torch.nn.Module:
        if "efficientnet_lite0" not in self._networks:
            self._networks["efficientnet_lite0"] = load_feature_network(self.device.device)
        return self._networks["efficientnet_lite0"]

    @property
    def _channels_last(self) -> bool:
        # Measured on the 2-core CPU: the convolutions run 1.8x faster in channels-last layout.
        return self.device.device.type == "cpu"

    def _fall_back_to_cpu(self) -> None:
        self._choice = resolve_device("cpu", "fp32", self.settings.cpu_threads)
        self._networks.clear()

    # -- style conditioning ---------------------------------------------------------------

    def style_vector(self, picture: Picture) -> torch.Tensor:
        """The painting's 100-number style vector (1, 100), cached by its pixels."""
        return self._style_vectors.get(picture, self._predict_style)

    def _predict_style(self, picture: Picture) -> torch.Tensor:
        scale = min(PREDICTOR_SHORT_SIDE / min(picture.size), PREDICTOR_MAX_LONG_SIDE / max(picture.size))
        small = resized(picture, max(1, round(picture.width * scale)), max(1, round(picture.height * scale)))
        with torch.inference_mode():
            return self.network("arbitrary_predict")(small.tensor().to(self.device.device)).float().cpu()

    def _bound_network(self, request: RenderRequest):
        """The network with its conditioning applied: (image, statistics) -> image."""
        style = request.style
        device, dtype = self.device.device, self.device.dtype
        if isinstance(style, PresetBlend):
            weights = torch.tensor([style.weight_vector()], device=device, dtype=dtype)
            network = self.network("multistyle26")
            return lambda image, statistics: network(self._layout(image), weights, statistics)
        if isinstance(style, PaintingBlend):
            vector = sum(w * self.style_vector(p) for p, w in zip(style.paintings, style.weights))
            strength = request.settings.strength
            if strength < 1.0:  # Ghiasi et al.: interpolate towards the photo's own style
                vector = strength * vector + (1.0 - strength) * self.style_vector(request.content)
            vector = vector.to(device=device, dtype=dtype)
            network = self.network("arbitrary_transform")
            return lambda image, statistics: network(self._layout(image), vector, statistics)
        raise InvalidRequestError(f"unknown style {style!r}")

    def _layout(self, image: torch.Tensor) -> torch.Tensor:
        return image.contiguous(memory_format=torch.channels_last) if self._channels_last else image

    def _resized_picture(self, picture: Picture, width: int, height: int) -> Picture:
        """``resized``, remembered: a live preview of a 24 MP photo would otherwise spend about a
        second per slider move shrinking the same photo to the same two sizes (measured)."""
        key = (picture.content_hash, width, height)
        cache = self._resized_pictures
        if key not in cache:
            cache[key] = resized(picture, width, height)
            if len(cache) > _RESIZED_CACHE_SIZE:
                cache.popitem(last=False)
        cache.move_to_end(key)
        return cache[key]

    # -- sizes ----------------------------------------------------------------------------

    @staticmethod
    def output_size(request: RenderRequest) -> tuple[int, int]:
        long_side = request.settings.output_long_side
        return request.content.size if long_side is None else _scaled(request.content.size, long_side)

    @staticmethod
    def working_size(request: RenderRequest, output: tuple[int, int]) -> tuple[int, int]:
        """Where the network runs. The stroke size alone fixes the working long side, so a preview,
        a small photo and a 6000-px export all get strokes of the same size relative to the picture."""
        settings = request.settings
        long_side = max(output) if settings.stroke is None else REFERENCE_LONG_SIDE / settings.stroke
        if settings.draft_long_side:
            long_side = min(long_side, settings.draft_long_side)
        if settings.quality == "high":
            long_side = min(long_side, HIGH_QUALITY_MAX_LONG_SIDE)
        if settings.stroke is None and long_side == max(output):
            return output
        return _scaled(request.content.size, long_side)

    def _tile_pixels(self) -> int:
        if self.settings.tile_pixels:
            return self.settings.tile_pixels
        if self.device.device.type == "cuda":
            free, _ = torch.cuda.mem_get_info(self.device.device)
            return min(_GPU_MAX_TILE_PIXELS, int(free * 0.6 / _GPU_BYTES_PER_PIXEL[self.device.dtype]))
        return _CPU_TILE_PIXELS

    # -- rendering ------------------------------------------------------------------------

    def render(self, request: RenderRequest, token: CancelToken | None = None) -> RenderResult:
        token = token or CancelToken()
        content = request.content
        started = time.perf_counter()
        if self.device.device.type == "cuda":
            torch.cuda.reset_peak_memory_stats(self.device.device)
        token.progress(0.0)
        out_size = self.output_size(request)
        work_size = self.working_size(request, out_size)
        notes: list[str] = []
        photo_out = self._resized_picture(content, *out_size)
        native = work_size == out_size
        working_photo = photo_out if native else self._resized_picture(content, *work_size)
        finish = _finisher(request)
        output = np.empty((out_size[1], out_size[0], 3), dtype=content.pixels.dtype)
        top_value = photo_out.max_value

        def store(top: int, left: int, block: torch.Tensor) -> None:
            h, w = block.shape[-2:]
            photo = photo_out.tensor(top, left, h, w)
            block = finish(block.float().cpu(), photo)
            output[top : top + h, left : left + w] = _quantise(block, top_value)

        network_token = token.subrange(0.02, 0.9 if native else 0.7)
        if request.settings.quality == "high":
            tiles = 1
            stylised, working_photo = self._optimise_within_memory(request, working_photo, network_token, notes)
            if working_photo.size == out_size:
                store(0, 0, stylised)
            else:
                self._bring_to_size(stylised, working_photo, photo_out, store, token.subrange(0.7, 1.0))
        elif native:
            tiles = self._run_network(request, working_photo, store, network_token, notes)
        else:
            stylised_small, tiles = self._network_result(request, working_photo, network_token, notes)
            self._bring_to_size(stylised_small, working_photo, photo_out, store, token.subrange(0.7, 1.0))
        token.progress(1.0)
        if out_size[0] * out_size[1] > _KEEP_MEMORY_UP_TO_PIXELS:
            return_freed_memory()
        alpha = photo_out.alpha
        picture = Picture(output, alpha, content.icc_profile, content.name)
        return RenderResult(
            picture=picture,
            request_id=request.request_id,
            device=self.device.description,
            seconds=time.perf_counter() - started,
            peak_memory_bytes=self._peak_memory(),
            working_size=work_size,
            tiles=tiles,
            notes=tuple(notes),
        )

    def _network_result(self, request, working_photo: Picture, token, notes) -> tuple[torch.Tensor, int]:
        """The fast network's whole result at the working size, as a float32 CPU tensor, and its tile count."""
        result = torch.empty(1, 3, working_photo.height, working_photo.width)

        def keep(top, left, block):
            result[..., top : top + block.shape[-2], left : left + block.shape[-1]] = block.float().cpu()

        return result, self._run_network(request, working_photo, keep, token, notes)

    def _run_network(self, request, working_photo: Picture, write, token, notes) -> int:
        """Run the bound network over the working photo, tiled when large. Out of memory, it
        retries with tiles of half the side, then on the CPU, then gives up with a message."""
        source = PictureSource(working_photo)
        size = working_photo.size
        tile = _tile_side(self._tile_pixels())
        while True:
            network = self._bound_network(request)
            device, dtype = self.device.device, self.device.dtype
            try:
                if size[0] * size[1] <= tile * tile:
                    token.progress(0.0)
                    with torch.inference_mode():
                        write(0, 0, run_padded(network, source.region(0, 0, size[1], size[0]).to(device, dtype),
                                               NormStatistics()))
                    token.progress(1.0)
                    return 1
                with torch.inference_mode():
                    statistics = thumbnail_statistics(network, source, size, device, dtype)
                plan = TilePlan(tile)
                run_tiled(network, source, size, statistics, plan, write, device, dtype, token)
                return plan.count(*size)
            except torch.OutOfMemoryError:
                pass  # handled outside the except block, whose traceback still holds the tensors
            if device.type == "cuda":
                torch.cuda.empty_cache()
            if tile // 2 >= _MIN_TILE:
                tile = _tile_side((tile // 2) ** 2)
                notes.append(f"out of memory: retried with {tile} px tiles")
            elif device.type != "cpu":
                self._fall_back_to_cpu()
                tile = _tile_side(self._tile_pixels())
                notes.append("GPU out of memory even with small tiles: rendered on the CPU instead")
            else:
                raise OutOfMemoryError(f"not enough memory to render {working_photo.name}, even in {tile} px "
                                       f"tiles; close other programs or choose a larger stroke size") from None

    def _optimise_within_memory(self, request, working_photo: Picture, token, notes) -> tuple[torch.Tensor, Picture]:
        """``_optimise``, retried at three quarters of the working size while the device runs out
        of memory (a laptop GPU at 2048 px); the result is enlarged to the output as usual."""
        while True:
            try:
                return self._optimise(request, working_photo, token), working_photo
            except torch.OutOfMemoryError:
                pass  # retried outside the except block, whose traceback still holds the tensors
            if self.device.device.type == "cuda":
                torch.cuda.empty_cache()
            long_side = max(working_photo.size) * 3 // 4
            if long_side < HIGH_QUALITY_MIN_RETRY_SIDE:
                raise OutOfMemoryError(f"{self.device.description} has too little free memory for a high-quality "
                                       f"render, even at {max(working_photo.size)} px; use the fast quality, "
                                       f"a larger stroke size, or close other programs using the GPU") from None
            working_photo = self._resized_picture(request.content, *_scaled(request.content.size, long_side))
            notes.append(f"out of memory: high quality optimised at {long_side} px instead, then enlarged")

    def _optimise(self, request: RenderRequest, working_photo: Picture, token: CancelToken) -> torch.Tensor:
        """The high-quality picture at the working size, as a CPU tensor."""
        device = self.device.device
        photo = working_photo.tensor().to(device)
        long_side = max(working_photo.size)
        style = request.style
        # The optimisation starts from the fast network's result: measured on two photo/painting
        # pairs, starting from the photo lost its structure under dark paintings and kept patches of
        # the photo's colours, while the fast start kept the structure and took the painting's texture.
        fast, _ = self._network_result(request, working_photo, CancelToken(), [])
        fast = fast.to(device).contiguous()
        if isinstance(style, PaintingBlend):
            # Each painting is brought to the working size's scale: its strokes then compare with the photo's.
            paintings = []
            for picture, weight in zip(style.paintings, style.weights):
                scale = long_side / max(picture.size)
                small = resized(picture, max(32, round(picture.width * scale)), max(32, round(picture.height * scale)))
                paintings.append((small.tensor().to(device), weight))
        else:
            paintings = [(fast, 1.0)]  # a preset has no painting: its own rendering is the style to match
        with torch.enable_grad():
            result = Optimiser(self.feature_network()).run(photo, paintings, fast, request.settings.strength, token)
        return result.float().cpu()

    def _bring_to_size(self, stylised_small, working_photo: Picture, photo_out: Picture, store, token) -> None:
        out_w, out_h = photo_out.size
        if out_w <= working_photo.width:
            # The output is no larger than the working size (a preview): shrink with antialiasing.
            store(0, 0, F.interpolate(stylised_small, size=(out_h, out_w), mode="bilinear", antialias=True))
            return
        transfer = DetailTransfer(working_photo.tensor(), stylised_small, (out_w, out_h))
        for top in range(0, out_h, BAND_ROWS):
            token.progress(top / out_h)
            rows = min(BAND_ROWS, out_h - top)
            store(top, 0, transfer.band(top, photo_out.tensor(top, 0, rows, out_w)))

    def _peak_memory(self) -> int:
        if self.device.device.type == "cuda":
            return torch.cuda.max_memory_allocated(self.device.device)
        try:
            import resource  # POSIX only
        except ImportError:
            return 0
        # The process's peak resident memory: CPU tensors are not counted anywhere else.
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak if sys.platform == "darwin" else peak * 1024


def _scaled(size: tuple[int, int], long_side: float) -> tuple[int, int]:
    """``size`` brought to ``long_side``, keeping its proportions."""
    width, height = size
    scale = long_side / max(width, height)
    return max(MIN_SIDE, round(width * scale)), max(MIN_SIDE, round(height * scale))


def _tile_side(pixels: int) -> int:
    side = int(math.sqrt(max(pixels, _MIN_TILE * _MIN_TILE)))
    return max(_MIN_TILE, side - side % GRID)


def _quantise(block: torch.Tensor, top_value: int) -> np.ndarray:
    array = (block[0].permute(1, 2, 0).clamp(0, 1) * top_value + 0.5).numpy()
    return array.astype(np.uint16 if top_value > 255 else np.uint8)


def _finisher(request: RenderRequest):
    settings = request.settings
    fade = isinstance(request.style, PresetBlend) and settings.strength < 1.0 and settings.quality == "fast"

    def finish(stylised: torch.Tensor, photo: torch.Tensor) -> torch.Tensor:
        if settings.preserve_colors:
            stylised = preserve_colours(stylised, photo)
        if fade:
            stylised = blend_with_photo(stylised, photo, settings.strength)
        return stylised

    return finish
