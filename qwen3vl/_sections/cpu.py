"""
The CPU section: threads, caches and instruction set.

Strictly private.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, ClassVar, Literal

import attrs

from qwen3vl._fields import Rule, rule, setting
from qwen3vl._units import GiB, KiB, MiB, show_size
from qwen3vl._validators import boolean, integer, one_of, size
from qwen3vl.exceptions import Problem

from .base import BaseConfig


__all__ = ["CPUConfig"]

SimdInstructionSet = Literal["avx512", "avx2", "sse", "scalar"]


@rule("l1_cache_size", "l2_cache_size", "l3_cache_size")
def _caches_grow_outwards(c: Mapping[str, Any]) -> Iterator[Problem]:
    # Each cache level holds at least the one inside it; a smaller outer
    # cache almost always means a unit mistake ("6KB" for "6MB").
    if c["l1_cache_size"] > c["l2_cache_size"]:
        yield Problem(
            "l2_cache_size",
            f"must be at least l1_cache_size "
            f"({show_size(c['l1_cache_size'])})"
            f" (got {show_size(c['l2_cache_size'])})",
        )
    if c["l2_cache_size"] > c["l3_cache_size"]:
        yield Problem(
            "l3_cache_size",
            f"must be at least l2_cache_size "
            f"({show_size(c['l2_cache_size'])})"
            f" (got {show_size(c['l3_cache_size'])})",
        )


@attrs.frozen(eq=False, repr=False)
class CPUConfig(BaseConfig):
    """
    CPU threads, caches and instruction set.

    Attributes:
        num_threads: Compute threads, 1 to 4096.
        num_workers: Data-loading workers, 0 (load in the calling thread) to
            4096.
        l1_cache_size: L1 data cache per core, bytes.
        l2_cache_size: L2 cache per core, bytes (at least L1).
        l3_cache_size: Shared L3 cache, bytes (at least L2).
        enable_cpu_optimizations: Use CPU-specific code paths.
        use_hyperthreading: Schedule on hyper-threads as well as cores.
        enable_simd_optimizations: Use vectorised kernels.
        simd_instruction_set: ``"avx512"``, ``"avx2"``, ``"sse"`` or
            ``"scalar"``.

    .. versionadded:: 0.1.0
    """

    __qwen3vl_rules__: ClassVar[tuple[Rule, ...]] = (_caches_grow_outwards,)

    num_threads: int = setting(
        4, "Number of CPU compute threads.", integer(ge=1, le=4096)
    )
    num_workers: int = setting(
        4,
        "Number of data-loading workers (0 loads in the calling thread).",
        integer(ge=0, le=4096),
    )
    l1_cache_size: int = setting(
        32 * KiB, "L1 data cache per core, in bytes.", size(le=GiB)
    )
    l2_cache_size: int = setting(
        256 * KiB, "L2 cache per core, in bytes.", size(le=GiB)
    )
    l3_cache_size: int = setting(
        6 * MiB, "Shared L3 cache, in bytes.", size(le=GiB)
    )
    enable_cpu_optimizations: bool = setting(
        True, "Use CPU-specific optimized code paths.", boolean()
    )
    use_hyperthreading: bool = setting(
        True, "Schedule work on hyper-threads as well as cores.", boolean()
    )
    enable_simd_optimizations: bool = setting(
        True, "Use vectorised (SIMD) kernels.", boolean()
    )
    simd_instruction_set: SimdInstructionSet = setting(
        "avx2",
        "SIMD instruction set to target: avx512, avx2, sse or scalar.",
        one_of(("avx512", "avx2", "sse", "scalar")),
    )
