"""
The qwen3vl schema as msgspec Structs: unknown fields refused, same rules.

Bounds are msgspec's own ``Meta`` constraints; sizes (``int | str``, so
that ``"6GiB"`` decodes), increasing layer lists, the JSON object text of
``quantization_config.extra`` and the cross-field rules are checked in
``__post_init__``, which msgspec runs on construction and on
every decode or convert.  msgspec stops at the first problem.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

import msgspec
import msgspec.json
import msgspec.toml
import msgspec.yaml

from msgspec import Meta, field
from msgspec.structs import force_setattr

from . import rules
from .choices import (
    ACTIVATIONS,
    DTYPES,
    FAMILIES,
    KV_CACHE_DTYPES,
    MODULE_NAME,
    ONLINE_QUANTIZATIONS,
    QUANTIZATION_METHODS,
    ROPE_TYPES,
)
from .merge import deep_merge
from .sizes import GiB, KiB, MiB, PiB, parse_size


__all__ = ["Qwen3VL"]

NAME = "msgspec"
DISTRIBUTION = "msgspec"
IMPORT = "import msgspec"
CALLS = (
    "Struct(), msgspec.convert, msgspec.to_builtins, "
    "convert(merge(to_builtins(), patch)), msgspec.json / yaml / "
    "toml.decode(type=...), msgspec.json / yaml / toml.encode"
)

Activation = Literal[ACTIVATIONS]
Family = Literal[FAMILIES]
Dtype = Literal[DTYPES]
RopeType = Literal[ROPE_TYPES]
Method = Literal[QUANTIZATION_METHODS]
KVCacheDtype = Literal[KV_CACHE_DTYPES]
OnlineQuantization = Literal[ONLINE_QUANTIZATIONS]
MAX_TOKEN_ID = 2**24 - 1

Size = int | str
TokenId = Annotated[int, Meta(ge=0, le=MAX_TOKEN_ID)]
Pairs = Annotated[int, Meta(ge=1, le=2048)]
LayerIndex = Annotated[int, Meta(ge=0, le=1023)]
Fraction = Annotated[float, Meta(gt=0.0, le=1.0)]
Factor = Annotated[float, Meta(gt=0.0, le=1e6)]
Factors = Annotated[tuple[Factor, ...], Meta(max_length=4096)]
ModuleName = Annotated[str, Meta(pattern=rf"\A{MODULE_NAME}\Z")]


def _check(problems: list[str]) -> None:
    if problems:
        raise ValueError("; ".join(problems))


def _sizes(struct: msgspec.Struct, bounds: dict[str, tuple[int, int]]) -> None:
    # Read "6GiB" and store bytes, so that the Struct holds ints as
    # qwen3vl's classes do.
    for name, (least, most) in bounds.items():
        value = parse_size(getattr(struct, name))
        if type(value) is not int or not least <= value <= most:
            msg = f"{name}: expected a size {least} to {most} (got {value!r})"
            raise ValueError(msg)
        force_setattr(struct, name, value)


class _Section(
    msgspec.Struct, frozen=True, forbid_unknown_fields=True, kw_only=True
):
    pass


class MemoryConfig(_Section):
    """Memory pool and the GPU / CPU / SSD tiers."""

    memory_pool_size: Size = 2 * GiB
    enable_memory_tiering: bool = True
    gpu_memory_size: Size = 6 * GiB
    cpu_memory_size: Size = 8 * GiB
    ssd_memory_size: Size = 50 * GiB
    enable_memory_compression: bool = True
    compression_level: Literal["low", "medium", "high"] = "medium"
    enable_memory_swapping: bool = True
    swap_threshold: Fraction = 0.8
    enable_memory_defragmentation: bool = True

    def __post_init__(self) -> None:
        _sizes(
            self,
            {
                "memory_pool_size": (0, PiB),
                "gpu_memory_size": (0, PiB),
                "cpu_memory_size": (1, PiB),
                "ssd_memory_size": (1, PiB),
            },
        )
        _check(rules.memory(self))


class CPUConfig(_Section):
    """CPU threads, caches and instruction set."""

    num_threads: Annotated[int, Meta(ge=1, le=4096)] = 4
    num_workers: Annotated[int, Meta(ge=0, le=4096)] = 4
    l1_cache_size: Size = 32 * KiB
    l2_cache_size: Size = 256 * KiB
    l3_cache_size: Size = 6 * MiB
    enable_cpu_optimizations: bool = True
    use_hyperthreading: bool = True
    enable_simd_optimizations: bool = True
    simd_instruction_set: Literal["avx512", "avx2", "sse", "scalar"] = "avx2"

    def __post_init__(self) -> None:
        _sizes(
            self,
            {
                "l1_cache_size": (1, GiB),
                "l2_cache_size": (1, GiB),
                "l3_cache_size": (1, GiB),
            },
        )
        _check(rules.cpu(self))


class GPUConfig(_Section):
    """The GPU's capabilities and how to use them."""

    gpu_compute_capability: tuple[
        Annotated[int, Meta(ge=1, le=15)], Annotated[int, Meta(ge=0, le=9)]
    ] = (6, 1)
    max_threads_per_block: Annotated[int, Meta(ge=32, le=1024)] = 1024
    shared_memory_per_block: Size = 48 * KiB
    memory_bandwidth_gbps: Annotated[float, Meta(gt=0.0, le=100_000.0)] = 320.0
    enable_gpu_optimizations: bool = True
    use_tensor_cores: bool = True
    use_mixed_precision: bool = True
    attention_implementation: Literal["flash_attention_2", "sdpa", "eager"] = (
        "flash_attention_2"
    )

    def __post_init__(self) -> None:
        _sizes(self, {"shared_memory_per_block": (1, MiB)})


class PowerManagementConfig(_Section):
    """Power and thermal limits."""

    enable_power_optimization: bool = True
    power_constraint: Fraction = 0.8
    thermal_constraint: Annotated[float, Meta(gt=0.0, le=125.0)] = 75.0
    performance_target: Fraction = 0.9
    adaptation_frequency: Annotated[float, Meta(gt=0.0, le=3600.0)] = 1.0


class OptimizationConfig(_Section):
    """Every optimization switch and its parameters."""

    use_memory_pooling: bool = True
    use_hierarchical_memory_compression: bool = True
    use_memory_efficient_attention: bool = True
    use_sparsity: bool = True
    sparsity_ratio: Annotated[float, Meta(ge=0.0, lt=1.0)] = 0.5
    use_dynamic_sparse_attention: bool = True
    use_adaptive_precision: bool = True
    use_moe: bool = True
    moe_num_experts: Annotated[int, Meta(ge=2, le=1024)] = 4
    moe_top_k: Annotated[int, Meta(ge=1, le=1024)] = 2
    use_flash_attention_2: bool = True
    use_adaptive_depth: bool = True
    use_gradient_checkpointing: bool = True
    use_context_adaptive_positional_encoding: bool = True
    use_conditional_feature_extraction: bool = True
    use_cross_modal_compression: bool = True
    use_cross_layer_memory_sharing: bool = True
    use_hierarchical_vision: bool = True
    use_learned_activation_routing: bool = True
    use_adaptive_batch_processing: bool = True
    use_adaptive_sequence_packing: bool = True
    use_memory_efficient_grad_accumulation: bool = True
    use_faster_rotary_embeddings: bool = True
    use_hardware_specific_kernels: bool = True

    def __post_init__(self) -> None:
        _check(rules.optimization(self))


class RopeScalingConfig(_Section):
    """How the text model's rotary positions are scaled."""

    rope_type: RopeType = "default"
    factor: Annotated[float, Meta(ge=1.0, le=1e6)] = 1.0
    original_max_position_embeddings: Annotated[int, Meta(ge=0, le=2**26)] = 0
    attention_factor: Annotated[float, Meta(ge=0.0, le=1e3)] = 0.0
    beta_fast: Factor = 32.0
    beta_slow: Factor = 1.0
    mscale: Annotated[float, Meta(ge=0.0, le=1e3)] = 0.0
    mscale_all_dim: Annotated[float, Meta(ge=0.0, le=1e3)] = 0.0
    truncate: bool = True
    short_factor: Factors = ()
    long_factor: Factors = ()
    low_freq_factor: Factor = 1.0
    high_freq_factor: Factor = 4.0

    def __post_init__(self) -> None:
        _check(rules.rope(self))


class QuantizationConfig(_Section):
    """How the checkpoint's weights are stored."""

    method: Method = "none"
    bits: Annotated[int, Meta(ge=0, le=16)] = 0
    group_size: Annotated[int, Meta(ge=-1, le=2**20)] = 0
    weight_block_size: Annotated[
        tuple[Annotated[int, Meta(ge=1, le=65_536)], ...], Meta(max_length=2)
    ] = ()
    modules_to_not_convert: Annotated[
        tuple[ModuleName, ...], Meta(max_length=4096)
    ] = ()
    extra: Annotated[str, Meta(max_length=65_536)] = "{}"

    def __post_init__(self) -> None:
        _check(
            rules.json_object("extra", self.extra) or rules.quantization(self)
        )


class ServingConfig(_Section):
    """What a serving runtime is told besides the model."""

    max_context_tokens: Annotated[int, Meta(ge=0, le=2**26)] = 0
    max_concurrent_sequences: Annotated[int, Meta(ge=1, le=65_536)] = 1
    kv_cache_dtype: KVCacheDtype = "auto"
    online_quantization: OnlineQuantization = "none"
    max_images_per_prompt: Annotated[int, Meta(ge=0, le=1024)] = 1
    max_videos_per_prompt: Annotated[int, Meta(ge=0, le=1024)] = 0
    min_image_pixels: Annotated[int, Meta(ge=0, le=2**30)] = 0
    max_image_pixels: Annotated[int, Meta(ge=0, le=2**30)] = 0


class ParallelConfig(_Section):
    """How the model is spread across GPUs and nodes."""

    tensor_parallel_size: Annotated[int, Meta(ge=1, le=4096)] = 1
    pipeline_parallel_size: Annotated[int, Meta(ge=1, le=4096)] = 1
    data_parallel_size: Annotated[int, Meta(ge=1, le=4096)] = 1
    expert_parallel: bool = False


class Qwen3VL(_Section):
    """The whole configuration: architecture on the root, nine sections."""

    config_version: Annotated[int, Meta(ge=1, le=1)] = 1
    model_family: Family = "qwen3_vl"
    num_hidden_layers: Annotated[int, Meta(ge=1, le=1024)] = 32
    num_attention_heads: Annotated[int, Meta(ge=1, le=1024)] = 32
    hidden_size: Annotated[int, Meta(ge=1, le=262_144)] = 4096
    intermediate_size: Annotated[int, Meta(ge=1, le=1_048_576)] = 11008
    vocab_size: Annotated[int, Meta(ge=1, le=2**24)] = 152064
    max_position_embeddings: Annotated[int, Meta(ge=1, le=2**26)] = 32768
    vision_num_hidden_layers: Annotated[int, Meta(ge=1, le=1024)] = 24
    vision_num_attention_heads: Annotated[int, Meta(ge=1, le=1024)] = 16
    vision_hidden_size: Annotated[int, Meta(ge=1, le=262_144)] = 1152
    vision_image_size: Annotated[int, Meta(ge=1, le=65_536)] = 448
    vision_patch_size: Annotated[int, Meta(ge=1, le=65_536)] = 14
    num_key_value_heads: Annotated[int, Meta(ge=0, le=1024)] = 0
    head_dim: Annotated[int, Meta(ge=1, le=4096)] = 128
    hidden_act: Activation = "silu"
    rms_norm_eps: Annotated[float, Meta(gt=0.0, le=0.1)] = 1e-6
    rope_theta: Annotated[float, Meta(gt=0.0, le=1e12)] = 5_000_000.0
    mrope_section: tuple[Pairs, Pairs, Pairs] = (24, 20, 20)
    mrope_interleaved: bool = True
    attention_bias: bool = False
    tie_word_embeddings: bool = False
    vision_intermediate_size: Annotated[int, Meta(ge=1, le=1_048_576)] = 4304
    vision_out_hidden_size: Annotated[int, Meta(ge=0, le=262_144)] = 0
    vision_spatial_merge_size: Annotated[int, Meta(ge=1, le=64)] = 2
    vision_temporal_patch_size: Annotated[int, Meta(ge=1, le=64)] = 2
    vision_in_channels: Annotated[int, Meta(ge=1, le=64)] = 3
    vision_num_position_embeddings: Annotated[
        int, Meta(ge=0, le=1_048_576)
    ] = 2304
    vision_hidden_act: Activation = "gelu_pytorch_tanh"
    vision_deepstack_visual_indexes: Annotated[
        tuple[LayerIndex, ...], Meta(max_length=64)
    ] = (5, 11, 17)
    vision_window_size: Annotated[int, Meta(ge=0, le=65_536)] = 0
    vision_fullatt_block_indexes: Annotated[
        tuple[LayerIndex, ...], Meta(max_length=1024)
    ] = ()
    vision_tokens_per_second: Annotated[int, Meta(ge=0, le=1_000_000)] = 0
    num_experts: Annotated[int, Meta(ge=0, le=1024)] = 0
    num_experts_per_tok: Annotated[int, Meta(ge=0, le=1024)] = 0
    moe_intermediate_size: Annotated[int, Meta(ge=0, le=1_048_576)] = 0
    decoder_sparse_step: Annotated[int, Meta(ge=1, le=1024)] = 1
    mlp_only_layers: Annotated[
        tuple[LayerIndex, ...], Meta(max_length=1024)
    ] = ()
    norm_topk_prob: bool = True
    image_token_id: TokenId = 151655
    video_token_id: TokenId = 151656
    vision_start_token_id: TokenId = 151652
    vision_end_token_id: TokenId = 151653
    bos_token_id: TokenId = 151643
    eos_token_id: TokenId = 151645
    dtype: Dtype = "bfloat16"
    optimization_level: Literal["minimal", "balanced", "aggressive"] = (
        "balanced"
    )
    hardware_target: Annotated[
        str, Meta(pattern=r"\A[A-Za-z0-9][A-Za-z0-9_.\-]{0,127}\Z")
    ] = "intel_i5_10210u_nvidia_sm61_nvme"
    preserve_full_capacity: bool = True
    memory_config: MemoryConfig = field(default_factory=MemoryConfig)
    cpu_config: CPUConfig = field(default_factory=CPUConfig)
    gpu_config: GPUConfig = field(default_factory=GPUConfig)
    power_management_config: PowerManagementConfig = field(
        default_factory=PowerManagementConfig
    )
    optimization_config: OptimizationConfig = field(
        default_factory=OptimizationConfig
    )
    rope_scaling_config: RopeScalingConfig = field(
        default_factory=RopeScalingConfig
    )
    quantization_config: QuantizationConfig = field(
        default_factory=QuantizationConfig
    )
    serving_config: ServingConfig = field(default_factory=ServingConfig)
    parallel_config: ParallelConfig = field(default_factory=ParallelConfig)

    def __post_init__(self) -> None:
        _check(
            rules.increasing(
                "vision_deepstack_visual_indexes",
                self.vision_deepstack_visual_indexes,
            )
            + rules.increasing(
                "vision_fullatt_block_indexes",
                self.vision_fullatt_block_indexes,
            )
            + rules.increasing("mlp_only_layers", self.mlp_only_layers)
            + rules.root(self)
        )


INVALID = (msgspec.ValidationError, ValueError)


def inputs(common: Any, workdir: Path) -> Any:  # noqa: ARG001 - same layout
    """Read qwen3vl's own inputs: the schema is the same."""
    return common


def default() -> Qwen3VL:
    """Return the default configuration."""
    return Qwen3VL()


def from_dict(data: dict[str, Any]) -> Qwen3VL:
    """Return a validated configuration from plain data."""
    return msgspec.convert(data, Qwen3VL)


def to_dict(struct: Qwen3VL) -> dict[str, Any]:
    """Return plain JSON-typed data."""
    data: dict[str, Any] = msgspec.to_builtins(struct)
    return data


def apply_updates(struct: Qwen3VL, patch: dict[str, Any]) -> Qwen3VL:
    """Turn into builtins, merge the patch in, convert the whole again."""
    return msgspec.convert(
        deep_merge(msgspec.to_builtins(struct), patch), Qwen3VL
    )


def count_problems(error: Exception) -> int:  # noqa: ARG001 - always one
    """msgspec reports the first problem only."""
    return 1


LOADERS = {
    "json": lambda path: msgspec.json.decode(path.read_bytes(), type=Qwen3VL),
    "yaml": lambda path: msgspec.yaml.decode(path.read_bytes(), type=Qwen3VL),
    "toml": lambda path: msgspec.toml.decode(path.read_bytes(), type=Qwen3VL),
}
SAVERS = {
    "json": lambda struct, path: path.write_bytes(msgspec.json.encode(struct)),
    "yaml": lambda struct, path: path.write_bytes(msgspec.yaml.encode(struct)),
    "toml": lambda struct, path: path.write_bytes(msgspec.toml.encode(struct)),
}
