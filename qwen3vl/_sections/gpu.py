"""
The GPU section: its capabilities and how to use them.

Strictly private.
"""

from __future__ import annotations

from typing import Literal

import attrs

from qwen3vl._compound import capability
from qwen3vl._fields import setting
from qwen3vl._units import KiB, MiB
from qwen3vl._validators import (
    boolean,
    integer,
    number,
    one_of,
    size,
)

from .base import BaseConfig


__all__ = ["GPUConfig"]

AttentionImplementation = Literal["flash_attention_2", "sdpa", "eager"]


@attrs.frozen(eq=False, repr=False)
class GPUConfig(BaseConfig):
    """
    The GPU's capabilities and how to use them.

    Attributes:
        gpu_compute_capability: CUDA compute capability as ``(major, minor)``;
            ``(6, 1)`` is SM61 (Pascal).
        max_threads_per_block: CUDA threads per block, 32 to 1024.
        shared_memory_per_block: Shared memory per CUDA block, bytes.
        memory_bandwidth_gbps: GPU memory bandwidth in GB/s.
        enable_gpu_optimizations: Use GPU-specific code paths.
        use_tensor_cores: Use tensor cores (compute capability 7.0+).
        use_mixed_precision: Compute in 16-bit floats where safe.
        attention_implementation: ``"flash_attention_2"``, ``"sdpa"`` or
            ``"eager"`` (transformers' names).

    .. versionadded:: 0.1.0
    """

    gpu_compute_capability: tuple[int, int] = setting(
        (6, 1),
        "CUDA compute capability as [major, minor]; [6, 1] is SM61.",
        capability(major=(1, 15), minor=(0, 9)),
    )
    max_threads_per_block: int = setting(
        1024, "Maximum CUDA threads per block.", integer(ge=32, le=1024)
    )
    shared_memory_per_block: int = setting(
        48 * KiB, "Shared memory per CUDA block, in bytes.", size(le=MiB)
    )
    memory_bandwidth_gbps: float = setting(
        320.0,
        "GPU memory bandwidth in GB/s.",
        number(gt=0.0, le=100_000.0),
    )
    enable_gpu_optimizations: bool = setting(
        True, "Use GPU-specific optimized code paths.", boolean()
    )
    use_tensor_cores: bool = setting(
        True, "Use tensor cores (needs compute capability 7.0+).", boolean()
    )
    use_mixed_precision: bool = setting(
        True, "Compute in 16-bit floating point where safe.", boolean()
    )
    attention_implementation: AttentionImplementation = setting(
        "flash_attention_2",
        "Attention kernel: flash_attention_2, sdpa or eager.",
        one_of(("flash_attention_2", "sdpa", "eager")),
    )
