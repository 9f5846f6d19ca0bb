"""Choosing the torch device, its precision and the CPU thread count. Touched only when asked."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

import torch

from .errors import DeviceUnavailableError


@dataclass(frozen=True)
class DeviceChoice:
    torch_device: torch.device
    dtype: torch.dtype
    description: str  # for the status bar and --json: "CUDA: NVIDIA H100 80GB HBM3", "CPU (2 threads)"

    @property
    def kind(self) -> str:
        """"cpu", "cuda" or "mps"."""
        return self.torch_device.type

    @property
    def element_bytes(self) -> int:
        return torch.finfo(self.dtype).bits // 8

    def free_bytes(self) -> int | None:
        """Free memory on a GPU; None on the CPU, whose budget is fixed (see ``planning``)."""
        if self.kind == "cuda":
            return torch.cuda.mem_get_info(self.torch_device)[0]
        return None

    def release_cached_memory(self) -> None:
        """After an out-of-memory error: hand the allocator's cached blocks back before retrying."""
        if self.kind == "cuda":
            torch.cuda.empty_cache()

    def reset_peak_memory(self) -> None:
        if self.kind == "cuda":
            torch.cuda.reset_peak_memory_stats(self.torch_device)

    def peak_memory_bytes(self) -> int:
        """GPU memory on CUDA; elsewhere the process's peak resident memory (CPU tensors are not
        counted anywhere else)."""
        if self.kind == "cuda":
            return torch.cuda.max_memory_allocated(self.torch_device)
        try:
            import resource  # POSIX only
        except ImportError:
            return 0
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak if sys.platform == "darwin" else peak * 1024


def _mps_available() -> bool:
    backend = getattr(torch.backends, "mps", None)
    return bool(backend and backend.is_available())


def resolve_device(name: str = "auto", precision: str = "auto", cpu_threads: int | None = None) -> DeviceChoice:
    """``auto`` picks CUDA, then Apple MPS, then the CPU. An explicit device that is absent is an
    error, never a silent fallback."""
    if name == "auto":
        name = "cuda" if torch.cuda.is_available() else "mps" if _mps_available() else "cpu"
    if name == "cuda" and not torch.cuda.is_available():
        raise DeviceUnavailableError("CUDA was requested but no CUDA GPU is usable here (use --device auto or cpu)")
    if name == "mps" and not _mps_available():
        raise DeviceUnavailableError("Apple MPS was requested but is not available here (use --device auto or cpu)")
    if name == "cpu":
        threads = cpu_threads or default_cpu_threads()
        torch.set_num_threads(threads)
        return DeviceChoice(torch.device("cpu"), torch.float32, f"CPU ({threads} threads)")
    dtype = torch.float16 if precision == "fp16" or (precision == "auto" and name == "cuda") else torch.float32
    if name == "cuda":
        description = f"CUDA: {torch.cuda.get_device_name(0)}"
    else:
        description = "Apple MPS"
    return DeviceChoice(torch.device(name), dtype, description)


def default_cpu_threads() -> int:
    """One thread per core the process may use, at most 8: more only adds contention for these
    small networks."""
    try:
        available = len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        available = os.cpu_count() or 1
    return max(1, min(available, 8))
