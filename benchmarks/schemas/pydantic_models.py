"""
The qwen3vl schema in pydantic v2: strict, unknown keys refused, same rules.

Field bounds are pydantic's own ``Field`` constraints, the cross-field rules
are ``model_validator(mode="after")`` hooks, and sizes take ``"6GiB"``
strings through a ``BeforeValidator``.  Lists become tuples the same way,
since strict mode takes only tuples for tuple fields.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

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
from .formats import (
    read_toml,
    read_yaml,
    write_toml,
    write_yaml,
)
from .merge import deep_merge
from .sizes import GiB, KiB, MiB, PiB, parse_size


__all__ = ["Qwen3VLModel"]

NAME = "pydantic"
DISTRIBUTION = "pydantic"
IMPORT = "import pydantic"
CALLS = (
    "Model(), model_validate, model_dump(mode='json'), "
    "model_validate(merge(model_dump(), patch)), model_validate_json / "
    "model_validate(yaml.load(CSafeLoader)) / model_validate(tomllib), "
    "model_dump_json / yaml.dump(CSafeDumper) / tomli_w"
)

Activation = Literal[ACTIVATIONS]
Family = Literal[FAMILIES]
Dtype = Literal[DTYPES]
RopeType = Literal[ROPE_TYPES]
Method = Literal[QUANTIZATION_METHODS]
KVCacheDtype = Literal[KV_CACHE_DTYPES]
OnlineQuantization = Literal[ONLINE_QUANTIZATIONS]
MAX_TOKEN_ID = 2**24 - 1


def _as_tuple(value: object) -> object:
    return tuple(value) if type(value) is list else value


def _raise(problems: list[str]) -> None:
    if problems:
        raise ValueError("; ".join(problems))


def _increasing(items: tuple[int, ...]) -> tuple[int, ...]:
    _raise(rules.increasing("items", items))
    return items


def _json_object(text: str) -> str:
    _raise(rules.json_object("text", text))
    return text


Size = Annotated[int, BeforeValidator(parse_size)]
Pairs = Annotated[int, Field(ge=1, le=2048)]
LayerIndex = Annotated[int, Field(ge=0, le=1023)]
LayerIndexes = Annotated[
    tuple[LayerIndex, ...],
    BeforeValidator(_as_tuple),
    AfterValidator(_increasing),
]
Factors = Annotated[
    tuple[Annotated[float, Field(gt=0.0, le=1e6)], ...],
    BeforeValidator(_as_tuple),
]
BlockSize = Annotated[
    tuple[Annotated[int, Field(ge=1, le=65_536)], ...],
    BeforeValidator(_as_tuple),
]
ModuleNames = Annotated[
    tuple[Annotated[str, Field(pattern=f"^{MODULE_NAME}$")], ...],
    BeforeValidator(_as_tuple),
]
JsonObject = Annotated[str, AfterValidator(_json_object)]
Capability = Annotated[
    tuple[
        Annotated[int, Field(ge=1, le=15)], Annotated[int, Field(ge=0, le=9)]
    ],
    BeforeValidator(_as_tuple),
]


class _Section(BaseModel):
    model_config = ConfigDict(
        strict=True, extra="forbid", frozen=True, allow_inf_nan=False
    )


class MemoryConfig(_Section):
    """Memory pool and the GPU / CPU / SSD tiers."""

    memory_pool_size: Size = Field(2 * GiB, ge=0, le=PiB)
    enable_memory_tiering: bool = True
    gpu_memory_size: Size = Field(6 * GiB, ge=0, le=PiB)
    cpu_memory_size: Size = Field(8 * GiB, ge=1, le=PiB)
    ssd_memory_size: Size = Field(50 * GiB, ge=1, le=PiB)
    enable_memory_compression: bool = True
    compression_level: Literal["low", "medium", "high"] = "medium"
    enable_memory_swapping: bool = True
    swap_threshold: float = Field(0.8, gt=0.0, le=1.0)
    enable_memory_defragmentation: bool = True

    @model_validator(mode="after")
    def _rules(self) -> Self:
        _raise(rules.memory(self))
        return self


class CPUConfig(_Section):
    """CPU threads, caches and instruction set."""

    num_threads: int = Field(4, ge=1, le=4096)
    num_workers: int = Field(4, ge=0, le=4096)
    l1_cache_size: Size = Field(32 * KiB, ge=1, le=GiB)
    l2_cache_size: Size = Field(256 * KiB, ge=1, le=GiB)
    l3_cache_size: Size = Field(6 * MiB, ge=1, le=GiB)
    enable_cpu_optimizations: bool = True
    use_hyperthreading: bool = True
    enable_simd_optimizations: bool = True
    simd_instruction_set: Literal["avx512", "avx2", "sse", "scalar"] = "avx2"

    @model_validator(mode="after")
    def _rules(self) -> Self:
        _raise(rules.cpu(self))
        return self


class GPUConfig(_Section):
    """The GPU's capabilities and how to use them."""

    gpu_compute_capability: Capability = (6, 1)
    max_threads_per_block: int = Field(1024, ge=32, le=1024)
    shared_memory_per_block: Size = Field(48 * KiB, ge=1, le=MiB)
    memory_bandwidth_gbps: float = Field(320.0, gt=0.0, le=100_000.0)
    enable_gpu_optimizations: bool = True
    use_tensor_cores: bool = True
    use_mixed_precision: bool = True
    attention_implementation: Literal["flash_attention_2", "sdpa", "eager"] = (
        "flash_attention_2"
    )


class PowerManagementConfig(_Section):
    """Power and thermal limits."""

    enable_power_optimization: bool = True
    power_constraint: float = Field(0.8, gt=0.0, le=1.0)
    thermal_constraint: float = Field(75.0, gt=0.0, le=125.0)
    performance_target: float = Field(0.9, gt=0.0, le=1.0)
    adaptation_frequency: float = Field(1.0, gt=0.0, le=3600.0)


class OptimizationConfig(_Section):
    """Every optimization switch and its parameters."""

    use_memory_pooling: bool = True
    use_hierarchical_memory_compression: bool = True
    use_memory_efficient_attention: bool = True
    use_sparsity: bool = True
    sparsity_ratio: float = Field(0.5, ge=0.0, lt=1.0)
    use_dynamic_sparse_attention: bool = True
    use_adaptive_precision: bool = True
    use_moe: bool = True
    moe_num_experts: int = Field(4, ge=2, le=1024)
    moe_top_k: int = Field(2, ge=1, le=1024)
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

    @model_validator(mode="after")
    def _rules(self) -> Self:
        _raise(rules.optimization(self))
        return self


class RopeScalingConfig(_Section):
    """How the text model's rotary positions are scaled."""

    rope_type: RopeType = "default"
    factor: float = Field(1.0, ge=1.0, le=1e6)
    original_max_position_embeddings: int = Field(0, ge=0, le=2**26)
    attention_factor: float = Field(0.0, ge=0.0, le=1e3)
    beta_fast: float = Field(32.0, gt=0.0, le=1e6)
    beta_slow: float = Field(1.0, gt=0.0, le=1e6)
    mscale: float = Field(0.0, ge=0.0, le=1e3)
    mscale_all_dim: float = Field(0.0, ge=0.0, le=1e3)
    truncate: bool = True
    short_factor: Factors = Field((), max_length=4096)
    long_factor: Factors = Field((), max_length=4096)
    low_freq_factor: float = Field(1.0, gt=0.0, le=1e6)
    high_freq_factor: float = Field(4.0, gt=0.0, le=1e6)

    @model_validator(mode="after")
    def _rules(self) -> Self:
        _raise(rules.rope(self))
        return self


class QuantizationConfig(_Section):
    """How the checkpoint's weights are stored."""

    method: Method = "none"
    bits: int = Field(0, ge=0, le=16)
    group_size: int = Field(0, ge=-1, le=2**20)
    weight_block_size: BlockSize = Field((), max_length=2)
    modules_to_not_convert: ModuleNames = Field((), max_length=4096)
    extra: JsonObject = Field("{}", max_length=65_536)

    @model_validator(mode="after")
    def _rules(self) -> Self:
        _raise(rules.quantization(self))
        return self


class ServingConfig(_Section):
    """What a serving runtime is told besides the model."""

    max_context_tokens: int = Field(0, ge=0, le=2**26)
    max_concurrent_sequences: int = Field(1, ge=1, le=65_536)
    kv_cache_dtype: KVCacheDtype = "auto"
    online_quantization: OnlineQuantization = "none"
    max_images_per_prompt: int = Field(1, ge=0, le=1024)
    max_videos_per_prompt: int = Field(0, ge=0, le=1024)
    min_image_pixels: int = Field(0, ge=0, le=2**30)
    max_image_pixels: int = Field(0, ge=0, le=2**30)


class ParallelConfig(_Section):
    """How the model is spread across GPUs and nodes."""

    tensor_parallel_size: int = Field(1, ge=1, le=4096)
    pipeline_parallel_size: int = Field(1, ge=1, le=4096)
    data_parallel_size: int = Field(1, ge=1, le=4096)
    expert_parallel: bool = False


class Qwen3VLModel(_Section):
    """The whole configuration: architecture on the root, nine sections."""

    config_version: int = Field(1, ge=1, le=1)
    model_family: Family = "qwen3_vl"
    num_hidden_layers: int = Field(32, ge=1, le=1024)
    num_attention_heads: int = Field(32, ge=1, le=1024)
    hidden_size: int = Field(4096, ge=1, le=262_144)
    intermediate_size: int = Field(11008, ge=1, le=1_048_576)
    vocab_size: int = Field(152064, ge=1, le=2**24)
    max_position_embeddings: int = Field(32768, ge=1, le=2**26)
    vision_num_hidden_layers: int = Field(24, ge=1, le=1024)
    vision_num_attention_heads: int = Field(16, ge=1, le=1024)
    vision_hidden_size: int = Field(1152, ge=1, le=262_144)
    vision_image_size: int = Field(448, ge=1, le=65_536)
    vision_patch_size: int = Field(14, ge=1, le=65_536)
    num_key_value_heads: int = Field(0, ge=0, le=1024)
    head_dim: int = Field(128, ge=1, le=4096)
    hidden_act: Activation = "silu"
    rms_norm_eps: float = Field(1e-6, gt=0.0, le=0.1)
    rope_theta: float = Field(5_000_000.0, gt=0.0, le=1e12)
    mrope_section: Annotated[
        tuple[Pairs, Pairs, Pairs], BeforeValidator(_as_tuple)
    ] = (24, 20, 20)
    mrope_interleaved: bool = True
    attention_bias: bool = False
    tie_word_embeddings: bool = False
    vision_intermediate_size: int = Field(4304, ge=1, le=1_048_576)
    vision_out_hidden_size: int = Field(0, ge=0, le=262_144)
    vision_spatial_merge_size: int = Field(2, ge=1, le=64)
    vision_temporal_patch_size: int = Field(2, ge=1, le=64)
    vision_in_channels: int = Field(3, ge=1, le=64)
    vision_num_position_embeddings: int = Field(2304, ge=0, le=1_048_576)
    vision_hidden_act: Activation = "gelu_pytorch_tanh"
    vision_deepstack_visual_indexes: LayerIndexes = Field(
        (5, 11, 17), max_length=64
    )
    vision_window_size: int = Field(0, ge=0, le=65_536)
    vision_fullatt_block_indexes: LayerIndexes = Field((), max_length=1024)
    vision_tokens_per_second: int = Field(0, ge=0, le=1_000_000)
    num_experts: int = Field(0, ge=0, le=1024)
    num_experts_per_tok: int = Field(0, ge=0, le=1024)
    moe_intermediate_size: int = Field(0, ge=0, le=1_048_576)
    decoder_sparse_step: int = Field(1, ge=1, le=1024)
    mlp_only_layers: LayerIndexes = Field((), max_length=1024)
    norm_topk_prob: bool = True
    image_token_id: int = Field(151655, ge=0, le=MAX_TOKEN_ID)
    video_token_id: int = Field(151656, ge=0, le=MAX_TOKEN_ID)
    vision_start_token_id: int = Field(151652, ge=0, le=MAX_TOKEN_ID)
    vision_end_token_id: int = Field(151653, ge=0, le=MAX_TOKEN_ID)
    bos_token_id: int = Field(151643, ge=0, le=MAX_TOKEN_ID)
    eos_token_id: int = Field(151645, ge=0, le=MAX_TOKEN_ID)
    dtype: Dtype = "bfloat16"
    optimization_level: Literal["minimal", "balanced", "aggressive"] = (
        "balanced"
    )
    hardware_target: str = Field(
        "intel_i5_10210u_nvidia_sm61_nvme",
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,127}$",
    )
    preserve_full_capacity: bool = True
    memory_config: MemoryConfig = Field(default_factory=MemoryConfig)
    cpu_config: CPUConfig = Field(default_factory=CPUConfig)
    gpu_config: GPUConfig = Field(default_factory=GPUConfig)
    power_management_config: PowerManagementConfig = Field(
        default_factory=PowerManagementConfig
    )
    optimization_config: OptimizationConfig = Field(
        default_factory=OptimizationConfig
    )
    rope_scaling_config: RopeScalingConfig = Field(
        default_factory=RopeScalingConfig
    )
    quantization_config: QuantizationConfig = Field(
        default_factory=QuantizationConfig
    )
    serving_config: ServingConfig = Field(default_factory=ServingConfig)
    parallel_config: ParallelConfig = Field(default_factory=ParallelConfig)

    @model_validator(mode="after")
    def _rules(self) -> Self:
        _raise(rules.root(self))
        return self


INVALID = (ValidationError,)


def inputs(common: Any, workdir: Path) -> Any:  # noqa: ARG001 - same layout
    """Read qwen3vl's own inputs: the schema is the same."""
    return common


def default() -> Qwen3VLModel:
    """Return the default configuration."""
    return Qwen3VLModel()


def from_dict(data: dict[str, Any]) -> Qwen3VLModel:
    """Return a validated configuration from plain data."""
    return Qwen3VLModel.model_validate(data)


def to_dict(model: Qwen3VLModel) -> dict[str, Any]:
    """Return plain JSON-typed data, as qwen3vl's ``to_dict`` does."""
    return model.model_dump(mode="json")


def apply_updates(model: Qwen3VLModel, patch: dict[str, Any]) -> Qwen3VLModel:
    """Dump, merge the patch in, validate the whole again."""
    return Qwen3VLModel.model_validate(deep_merge(model.model_dump(), patch))


def count_problems(error: ValidationError) -> int:
    """Return how many problems `error` reports."""
    return error.error_count()


LOADERS = {
    "json": lambda path: Qwen3VLModel.model_validate_json(path.read_bytes()),
    "yaml": lambda path: Qwen3VLModel.model_validate(read_yaml(path)),
    "toml": lambda path: Qwen3VLModel.model_validate(read_toml(path)),
}
SAVERS = {
    "json": lambda model, path: path.write_text(
        model.model_dump_json(indent=2)
    ),
    "yaml": lambda model, path: write_yaml(to_dict(model), path),
    "toml": lambda model, path: write_toml(to_dict(model), path),
}
