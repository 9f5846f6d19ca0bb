import sys

import pytest
import torch

from engine import memory

glibc_only = pytest.mark.skipif(memory._LIBC is None, reason="keeping freed memory is done with glibc only")


def _resident_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096


@glibc_only
def test_freed_memory_stays_for_reuse_until_given_back():
    assert memory.keep_freed_memory()
    block = torch.ones(128 * 1024 * 1024 // 4)  # 128 MB: above glibc's usual mmap threshold
    held = _resident_bytes()
    del block
    assert _resident_bytes() > held - 64 * 1024 * 1024  # still with the process
    assert memory.return_freed_memory()
    assert _resident_bytes() < held - 64 * 1024 * 1024


@pytest.mark.skipif(sys.platform.startswith("linux"), reason="the no-op path is for other platforms")
def test_elsewhere_nothing_is_changed():
    assert memory.keep_freed_memory() is False
    assert memory.return_freed_memory() is False
