"""
The configuration classes: one frozen attrs class per section, and the root.

Every field is made with `setting` (a value with a validator) or `section`
(a nested config class), so its default, description and rules live next to
it.  Cross-field rules are `Rule` objects listed on the class; each says why
the model needs it.

Strictly private: import the classes from `qwen3vl`.
"""

from __future__ import annotations

import hashlib
import json
import os

from collections.abc import Iterator, Mapping
from typing import Any, ClassVar, Literal, Self

import attrs

from ._converters import structure, to_file_data, to_python
from ._formats import dumps, format_of, read_document, write_atomic
from ._layers import merge
from ._presets import preset_layers
from ._schema import Rule, check_instance, rule, section
from ._units import GiB, KiB, MiB, show_size
from ._validators import (
    boolean,
    capability,
    integer,
    name,
    number,
    one_of,
    setting,
    size,
)
from .exceptions import ConfigError, Problem


__all__ = [
    "CONFIG_VERSION",
    "BaseConfig",
    "CPUConfig",
    "GPUConfig",
    "MemoryConfig",
    "OptimizationConfig",
    "PowerManagementConfig",
    "Qwen3VLConfig",
]

#: The layout version this library writes and reads.
CONFIG_VERSION = 1

PiB = 1024**5

CompressionLevel = Literal["low", "medium", "high"]
SimdInstructionSet = Literal["avx512", "avx2", "sse", "scalar"]
AttentionImplementation = Literal["flash_attention_2", "sdpa", "eager"]
OptimizationLevel = Literal["minimal", "balanced", "aggressive"]


@attrs.frozen
class BaseConfig:
    """
    What every configuration section can do: validate, convert, load, save.

    Instances are immutable; every way of making one (construction,
    `attrs.evolve`, `from_dict`, `from_file`, `apply_updates`) validates it
    and reports all problems at once in one `ConfigError`.

    .. versionadded:: 0.1.0
    """

    __qwen3vl_rules__: ClassVar[tuple[Rule, ...]] = ()

    def __attrs_post_init__(self) -> None:
        self.validate()

    def validate(self) -> None:
        """Raise `ConfigError` listing every problem; return if there is none."""
        problems = check_instance(self)
        if problems:
            raise ConfigError(problems)

    def to_dict(self) -> dict[str, Any]:
        """Return the config as plain data (sizes in bytes), in schema order."""
        return to_python(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """
        Return a validated config from plain data; missing keys keep defaults.

        Raises:
            ConfigError: with every problem in `data`.
        """
        return structure(data, cls)

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> Self:
        """
        Return a validated config from a ``.json``, ``.yaml``/``.yml`` or ``.toml`` file.

        Raises:
            ConfigError: the file cannot be read or parsed, or holds invalid
                values; problems name the file and, for YAML, the line.
        """
        data, lines, source = read_document(path)
        return structure(data, cls, source=source, lines=lines)

    def save_to_file(self, path: str | os.PathLike[str]) -> None:
        """
        Write the config to `path` in the format its suffix names, atomically.

        Raises:
            ConfigError: the suffix names no known format.
            OSError: the file could not be written; the old file is intact.
        """
        fmt = format_of(path)
        write_atomic(path, dumps(to_file_data(self), fmt))

    def fingerprint(self) -> str:
        """
        Return a stable hash of the content: equal configs, equal fingerprints.

        It is the SHA-256 of the canonical JSON of `to_dict` (sorted keys, no
        spaces), so it is the same across processes, machines and the file
        format a config was read from.

        .. versionadded:: 0.1.0
        """
        canonical = json.dumps(
            self.to_dict(),
            sort_keys=True,
            separators=(",", ":"),
            ensure_ascii=True,
            allow_nan=False,
        )
        return hashlib.sha256(canonical.encode("ascii")).hexdigest()


# -- memory ---------------------------------------------------------------


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


@attrs.frozen
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


# -- CPU ------------------------------------------------------------------


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


@attrs.frozen
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


# -- GPU ------------------------------------------------------------------


@attrs.frozen
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


# -- power ----------------------------------------------------------------


@attrs.frozen
class PowerManagementConfig(BaseConfig):
    """
    Power and thermal limits the runtime adapts to.

    Attributes:
        enable_power_optimization: Adapt work to the power and heat limits.
        power_constraint: Fraction of the power budget to stay under, (0, 1].
        thermal_constraint: Temperature to stay under, degrees Celsius,
            (0, 125].
        performance_target: Fraction of peak performance to aim for, (0, 1].
        adaptation_frequency: Seconds between adaptations, (0, 3600].

    .. versionadded:: 0.1.0
    """

    enable_power_optimization: bool = setting(
        True, "Adapt work to the power and thermal limits.", boolean()
    )
    power_constraint: float = setting(
        0.8,
        "Fraction of the power budget to stay under.",
        number(gt=0.0, le=1.0),
    )
    thermal_constraint: float = setting(
        75.0,
        "Temperature to stay under, in degrees Celsius.",
        number(gt=0.0, le=125.0),
    )
    performance_target: float = setting(
        0.9,
        "Fraction of peak performance to aim for.",
        number(gt=0.0, le=1.0),
    )
    adaptation_frequency: float = setting(
        1.0,
        "Seconds between two power adaptations.",
        number(gt=0.0, le=3600.0),
    )


# -- optimization ---------------------------------------------------------


@rule("moe_num_experts", "moe_top_k")
def _top_k_within_experts(c: Mapping[str, Any]) -> Iterator[Problem]:
    # A token cannot be routed to more experts than exist.
    if c["moe_top_k"] > c["moe_num_experts"]:
        yield Problem(
            "moe_top_k",
            f"must be at most moe_num_experts ({c['moe_num_experts']})"
            f" (got {c['moe_top_k']})",
        )


def _switch(default: bool, description: str) -> Any:
    return setting(default, description, boolean())


@attrs.frozen
class OptimizationConfig(BaseConfig):
    """
    Switches for every optimization technique, and their parameters.

    Attributes:
        sparsity_ratio: Fraction of activations zeroed by sparsity, [0, 1).
        moe_num_experts: Mixture-of-experts experts, 2 to 1024.
        moe_top_k: Experts each token is routed to, 1 to `moe_num_experts`.

    Every other attribute is a boolean switch named ``use_<technique>``.

    .. versionadded:: 0.1.0
    """

    __qwen3vl_rules__: ClassVar[tuple[Rule, ...]] = (_top_k_within_experts,)

    use_memory_pooling: bool = _switch(True, "Reuse allocations from a pool.")
    use_hierarchical_memory_compression: bool = _switch(
        True, "Compress memory hierarchically across tiers."
    )
    use_memory_efficient_attention: bool = _switch(
        True, "Use memory-efficient attention kernels."
    )
    use_sparsity: bool = _switch(True, "Enable activation sparsity.")
    sparsity_ratio: float = setting(
        0.5,
        "Fraction of activations zeroed when sparsity is on.",
        number(ge=0.0, lt=1.0),
    )
    use_dynamic_sparse_attention: bool = _switch(
        True, "Enable dynamic sparse attention."
    )
    use_adaptive_precision: bool = _switch(
        True, "Choose numeric precision per layer at run time."
    )
    use_moe: bool = _switch(True, "Enable mixture of experts.")
    moe_num_experts: int = setting(
        4, "Number of mixture-of-experts experts.", integer(ge=2, le=1024)
    )
    moe_top_k: int = setting(
        2, "Number of experts each token is routed to.", integer(ge=1, le=1024)
    )
    use_flash_attention_2: bool = _switch(True, "Enable FlashAttention-2.")
    use_adaptive_depth: bool = _switch(
        True, "Skip layers adaptively for easy inputs."
    )
    use_gradient_checkpointing: bool = _switch(
        True, "Recompute activations in the backward pass to save memory."
    )
    use_context_adaptive_positional_encoding: bool = _switch(
        True, "Adapt positional encoding to the context."
    )
    use_conditional_feature_extraction: bool = _switch(
        True, "Extract vision features only where needed."
    )
    use_cross_modal_compression: bool = _switch(
        True, "Compress across the text and vision modalities."
    )
    use_cross_layer_memory_sharing: bool = _switch(
        True, "Share memory between transformer layers."
    )
    use_hierarchical_vision: bool = _switch(
        True, "Process images hierarchically."
    )
    use_learned_activation_routing: bool = _switch(
        True, "Route activations with a learned router."
    )
    use_adaptive_batch_processing: bool = _switch(
        True, "Adapt the batch size at run time."
    )
    use_adaptive_sequence_packing: bool = _switch(
        True, "Pack sequences adaptively into batches."
    )
    use_memory_efficient_grad_accumulation: bool = _switch(
        True, "Accumulate gradients memory-efficiently."
    )
    use_faster_rotary_embeddings: bool = _switch(
        True, "Use the faster rotary embedding kernels."
    )
    use_hardware_specific_kernels: bool = _switch(
        True, "Use kernels tuned for the target hardware."
    )


# -- root -----------------------------------------------------------------

#: Below these, the model is no longer the full-capacity Qwen3-VL.
FULL_CAPACITY_LAYERS = 32
FULL_CAPACITY_HEADS = 32


@rule("preserve_full_capacity", "num_hidden_layers", "num_attention_heads")
def _full_capacity(c: Mapping[str, Any]) -> Iterator[Problem]:
    # The specification promises 32 layers and 32 heads; a smaller model must
    # be asked for explicitly, not reached by a typo or a stray patch.
    if not c["preserve_full_capacity"]:
        return
    for path, least, what in (
        ("num_hidden_layers", FULL_CAPACITY_LAYERS, "layers"),
        ("num_attention_heads", FULL_CAPACITY_HEADS, "attention heads"),
    ):
        if c[path] < least:
            yield Problem(
                path,
                f"expected at least {least} {what} while "
                f"preserve_full_capacity is true (got {c[path]}); "
                "set preserve_full_capacity to false for a reduced model",
            )


def _divisible(path: str, by: str, what: str) -> Rule:
    @rule(path, by)
    def check(c: Mapping[str, Any]) -> Iterator[Problem]:
        if c[path] % c[by]:
            yield Problem(
                path,
                f"must be divisible by {by} ({c[by]}) {what} (got {c[path]})",
            )

    return check


@attrs.frozen
class Qwen3VLConfig(BaseConfig):
    """
    The whole configuration of a Qwen3-VL deployment.

    The architecture's text and vision fields sit on the root; memory, CPU,
    GPU, power and optimization settings are sections.

    Attributes:
        config_version: Layout version of the file, currently 1.
        num_hidden_layers: Text transformer layers (32 for full capacity).
        num_attention_heads: Text attention heads (32 for full capacity).
        hidden_size: Text hidden size, divisible by `num_attention_heads`.
        intermediate_size: Text MLP intermediate size.
        vocab_size: Tokens in the vocabulary.
        max_position_embeddings: Longest context in tokens.
        vision_num_hidden_layers: Vision transformer layers.
        vision_num_attention_heads: Vision attention heads.
        vision_hidden_size: Vision hidden size, divisible by the vision heads.
        vision_image_size: Input image side in pixels, divisible by the patch.
        vision_patch_size: Vision patch side in pixels.
        optimization_level: ``"minimal"``, ``"balanced"`` or ``"aggressive"``.
        hardware_target: Name of the machine the config is tuned for.
        preserve_full_capacity: Refuse fewer than 32 layers or heads.
        memory_config: `MemoryConfig`.
        cpu_config: `CPUConfig`.
        gpu_config: `GPUConfig`.
        power_management_config: `PowerManagementConfig`.
        optimization_config: `OptimizationConfig`.

    .. versionadded:: 0.1.0
    """

    __qwen3vl_rules__: ClassVar[tuple[Rule, ...]] = (
        _full_capacity,
        _divisible(
            "hidden_size", "num_attention_heads", "so heads split it evenly"
        ),
        _divisible(
            "vision_hidden_size",
            "vision_num_attention_heads",
            "so heads split it evenly",
        ),
        _divisible(
            "vision_image_size",
            "vision_patch_size",
            "so the image splits into whole patches",
        ),
    )

    @classmethod
    def from_preset(
        cls, level: str, hardware_target: str | None = None
    ) -> Self:
        """
        Return the defaults with a level preset and a hardware preset on top.

        `level` is an optimization level (``"minimal"``, ``"balanced"``,
        ``"aggressive"``); `hardware_target` names a hardware preset.
        `qwen3vl.list_presets` lists both.

        Raises:
            ConfigError: a name has no preset; the message lists the known
                ones.

        .. versionadded:: 0.1.0
        """
        merged = merge(preset_layers(level, hardware_target))
        return structure(merged.data, cls, locate=merged.locate)

    config_version: int = setting(
        CONFIG_VERSION,
        "Layout version of this configuration.",
        integer(ge=1, le=CONFIG_VERSION),
    )
    num_hidden_layers: int = setting(
        32,
        "Number of text transformer layers (32 for full capacity).",
        integer(ge=1, le=1024),
    )
    num_attention_heads: int = setting(
        32,
        "Number of text attention heads (32 for full capacity).",
        integer(ge=1, le=1024),
    )
    hidden_size: int = setting(
        4096, "Width of the text hidden layers.", integer(ge=1, le=262_144)
    )
    intermediate_size: int = setting(
        11008,
        "Width of the text MLP intermediate layer.",
        integer(ge=1, le=1_048_576),
    )
    vocab_size: int = setting(
        152064, "Number of tokens in the vocabulary.", integer(ge=1, le=2**24)
    )
    max_position_embeddings: int = setting(
        32768,
        "Longest sequence the position embeddings cover, in tokens.",
        integer(ge=1, le=2**26),
    )
    vision_num_hidden_layers: int = setting(
        24, "Number of vision transformer layers.", integer(ge=1, le=1024)
    )
    vision_num_attention_heads: int = setting(
        16, "Number of vision attention heads.", integer(ge=1, le=1024)
    )
    vision_hidden_size: int = setting(
        1152, "Width of the vision hidden layers.", integer(ge=1, le=262_144)
    )
    vision_image_size: int = setting(
        448, "Side of the input images, in pixels.", integer(ge=1, le=65_536)
    )
    vision_patch_size: int = setting(
        14, "Side of a vision patch, in pixels.", integer(ge=1, le=65_536)
    )
    optimization_level: OptimizationLevel = setting(
        "balanced",
        "Optimization level: minimal, balanced or aggressive.",
        one_of(("minimal", "balanced", "aggressive")),
    )
    hardware_target: str = setting(
        "intel_i5_10210u_nvidia_sm61_nvme",
        "Name of the machine this configuration is tuned for.",
        name(),
    )
    preserve_full_capacity: bool = setting(
        True,
        "Refuse fewer than 32 layers or 32 attention heads.",
        boolean(),
    )
    memory_config: MemoryConfig = section(
        MemoryConfig, "Memory pool and GPU / CPU / SSD tiers."
    )
    cpu_config: CPUConfig = section(
        CPUConfig, "CPU threads, caches and instruction set."
    )
    gpu_config: GPUConfig = section(
        GPUConfig, "GPU capabilities and how to use them."
    )
    power_management_config: PowerManagementConfig = section(
        PowerManagementConfig, "Power and thermal limits."
    )
    optimization_config: OptimizationConfig = section(
        OptimizationConfig, "Switches for every optimization technique."
    )
