"""``impasto bench --variants``: the two fast networks alone, run each way issue 6 lists, with
each way's distance from the float32 reference. Made for the sessions that are lent a GPU:
one call measures every candidate side by side, so the engine keeps only what wins.

Ways: float32 or float16, NCHW or channels-last, eager or ``torch.compile``, and on CUDA a
captured CUDA graph replayed (for the fixed sizes of previews).
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass

import torch

from ..networks.style_predictor import STYLE_VECTOR_SIZE
from ..weights import load_network
from .synthetic import synthetic_photo

_NETWORKS = ("multistyle26", "arbitrary_transform")


@dataclass(frozen=True)
class Variant:
    name: str
    dtype: torch.dtype
    channels_last: bool
    compiled: bool = False
    graph: bool = False


def variants_for(device: torch.device, include_compile: bool) -> list[Variant]:
    found = [Variant("fp32", torch.float32, False), Variant("fp32 channels-last", torch.float32, True)]
    if device.type == "cuda":
        found += [Variant("fp16", torch.float16, False), Variant("fp16 channels-last", torch.float16, True),
                  Variant("fp16 channels-last, CUDA graph", torch.float16, True, graph=True)]
    if include_compile:
        best = torch.float16 if device.type == "cuda" else torch.float32
        found.append(Variant(f"{'fp16' if device.type == 'cuda' else 'fp32'} channels-last, torch.compile",
                             best, True, compiled=True))
    return found


def _conditioning(name: str, device: torch.device, dtype: torch.dtype) -> torch.Tensor:
    if name == "multistyle26":
        weights = torch.zeros(1, 26)
        weights[0, 7] = 1.0
        return weights.to(device, dtype)
    return torch.randn(1, STYLE_VECTOR_SIZE, generator=torch.Generator().manual_seed(0)).to(device, dtype) * 0.5


def _runner(name: str, variant: Variant, image: torch.Tensor, device: torch.device):
    """A no-argument callable that runs the network on ``image`` the variant's way, and what it
    took to set up (compiling, capturing) in seconds."""
    memory_format = torch.channels_last if variant.channels_last else torch.contiguous_format
    network = load_network(name, device, variant.dtype).to(memory_format=memory_format)
    model = torch.compile(network, dynamic=False) if variant.compiled else network
    condition = _conditioning(name, device, variant.dtype)
    static_input = image.to(device, variant.dtype).contiguous(memory_format=memory_format)

    def forward():
        with torch.inference_mode():
            return model(static_input, condition)

    started = time.perf_counter()
    forward()  # compiles, picks cuDNN algorithms
    if variant.graph:
        forward = _captured(forward)
    forward()
    _synchronise(device)
    return forward, time.perf_counter() - started


def _captured(forward):
    """``forward`` captured once as a CUDA graph; the callable replays it (same input tensor)."""
    side_stream = torch.cuda.Stream()
    side_stream.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(side_stream):  # warm-up off the default stream, as the CUDA-graph docs ask
        for _ in range(3):
            forward()
    torch.cuda.current_stream().wait_stream(side_stream)
    graph = torch.cuda.CUDAGraph()
    with torch.cuda.graph(graph):
        output = forward()

    def replay():
        graph.replay()
        return output

    return replay


def _synchronise(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def run_variants(device_name: str, sides, repeat: int, include_compile: bool, out=print) -> None:
    device = torch.device("cuda" if device_name == "auto" and torch.cuda.is_available() else
                          "cpu" if device_name == "auto" else device_name)
    card = torch.cuda.get_device_name(device) if device.type == "cuda" else f"CPU ({torch.get_num_threads()} threads)"
    out(f"Impasto bench --variants — {card} — torch {torch.__version__}")
    out("")
    header = "| network | size | variant | median ms | setup s | peak MB | max diff vs fp32 (of 255) |"
    out(header)
    out("|" + "---|" * (header.count("|") - 1))
    for side in sides:
        image = synthetic_photo(side).tensor()
        for name in _NETWORKS:
            reference = None
            for variant in variants_for(device, include_compile):
                if device.type == "cuda":
                    torch.cuda.empty_cache()
                    torch.cuda.reset_peak_memory_stats(device)
                forward, setup = _runner(name, variant, image, device)
                times = []
                for _ in range(repeat):
                    _synchronise(device)
                    start = time.perf_counter()
                    result = forward()
                    _synchronise(device)
                    times.append(time.perf_counter() - start)
                result = result.float().cpu()
                if reference is None:
                    reference = result  # the first variant is plain float32
                difference = (result - reference).abs().max().item() * 255
                peak = torch.cuda.max_memory_allocated(device) / 2**20 if device.type == "cuda" else 0
                out(f"| {name} | {side}² | {variant.name} | {statistics.median(times) * 1000:.2f} | {setup:.1f} | "
                    f"{peak:.0f} | {difference:.2f} |")
