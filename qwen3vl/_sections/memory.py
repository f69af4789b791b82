"""
The memory section: the pool and the GPU / CPU / SSD tiers.

Strictly private.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, ClassVar, Literal

import attrs

from qwen3vl._fields import Rule, rule, setting
from qwen3vl._units import GiB, PiB, show_size
from qwen3vl._validators import boolean, number, one_of, size
from qwen3vl.exceptions import Problem

from .base import BaseConfig


__all__ = ["MemoryConfig"]

CompressionLevel = Literal["low", "medium", "high"]


@rule("memory_pool_size", "gpu_memory_size")
def _pool_fits_on_gpu(c: Mapping[str, Any]) -> Iterator[Problem]:
    # The pool is carved out of GPU memory, so it cannot be larger.
    if c["memory_pool_size"] > c["gpu_memory_size"]:
        yield Problem(
            "memory_pool_size",
            f"must not exceed gpu_memory_size "
            f"({show_size(c['gpu_memory_size'])})"
            f" (got {show_size(c['memory_pool_size'])})",
        )


@attrs.frozen(eq=False, repr=False)
class MemoryConfig(BaseConfig):
    """
    Memory pool and the GPU / CPU / SSD memory tiers.

    Attributes:
        memory_pool_size: Bytes kept in a pre-allocated GPU pool, 0 (none) to
            the GPU memory size.
        enable_memory_tiering: Spread tensors over GPU, CPU and SSD tiers.
        gpu_memory_size: Bytes of GPU memory the model may use; 0 on a
            machine without a GPU.
        cpu_memory_size: Bytes of CPU memory the model may use.
        ssd_memory_size: Bytes of SSD space for offloaded tensors.
        enable_memory_compression: Compress tensors held in the lower tiers.
        compression_level: ``"low"``, ``"medium"`` or ``"high"``.
        enable_memory_swapping: Move tensors down a tier under pressure.
        swap_threshold: Fraction of a tier in use that starts swapping,
            in (0, 1].
        enable_memory_defragmentation: Compact the pool when it fragments.

    .. versionadded:: 0.1.0
    """

    __qwen3vl_rules__: ClassVar[tuple[Rule, ...]] = (_pool_fits_on_gpu,)

    memory_pool_size: int = setting(
        2 * GiB,
        "Bytes pre-allocated as a GPU memory pool (0 for none).",
        size(ge=0, le=PiB),
    )
    enable_memory_tiering: bool = setting(
        True, "Spread tensors across GPU, CPU and SSD tiers.", boolean()
    )
    gpu_memory_size: int = setting(
        6 * GiB,
        "Bytes of GPU memory the model may use (0 for a CPU-only machine).",
        size(ge=0, le=PiB),
    )
    cpu_memory_size: int = setting(
        8 * GiB, "Bytes of CPU memory the model may use.", size(le=PiB)
    )
    ssd_memory_size: int = setting(
        50 * GiB,
        "Bytes of SSD space for tensors offloaded to disk.",
        size(le=PiB),
    )
    enable_memory_compression: bool = setting(
        True, "Compress tensors held in the CPU and SSD tiers.", boolean()
    )
    compression_level: CompressionLevel = setting(
        "medium",
        "How hard to compress: low, medium or high.",
        one_of(("low", "medium", "high")),
    )
    enable_memory_swapping: bool = setting(
        True, "Move tensors to a lower tier when a tier fills up.", boolean()
    )
    swap_threshold: float = setting(
        0.8,
        "Fraction of a tier in use at which swapping starts.",
        number(gt=0.0, le=1.0),
    )
    enable_memory_defragmentation: bool = setting(
        True, "Compact the memory pool when it fragments.", boolean()
    )
