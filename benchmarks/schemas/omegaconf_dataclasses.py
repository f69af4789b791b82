"""
The qwen3vl schema as OmegaConf structured configs (dataclasses).

OmegaConf checks types and unknown keys when it merges, but converts what
it can (``"32"`` becomes ``32``, ``1`` becomes ``true``) and has no
validators: bounds, choices, sizes and the cross-field rules are checked in
``__post_init__``, which runs when ``OmegaConf.to_object`` builds the
dataclasses.  ``from_dict`` merges into the structured config and then
builds the objects, so that it validates as much as the others do; it stops
at the first problem.
"""

from __future__ import annotations

import dataclasses
import re

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from omegaconf import DictConfig, OmegaConf
from omegaconf.errors import OmegaConfBaseException

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
from .formats import read_json, read_toml, write_json, write_toml
from .sizes import GiB, KiB, MiB, PiB, parse_size


__all__ = ["Qwen3VL"]

NAME = "omegaconf"
DISTRIBUTION = "omegaconf"
IMPORT = "import omegaconf"
CALLS = (
    "OmegaConf.structured, OmegaConf.merge(schema, data) + "
    "OmegaConf.to_object (which runs the checks), OmegaConf.to_container, "
    "OmegaConf.merge(config, patch) (types and keys only), OmegaConf.load "
    "(YAML) / json / tomllib + merge + to_object, OmegaConf.save / json / "
    "tomli_w"
)

MAX_TOKEN_ID = 2**24 - 1
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,127}")
_MODULE_NAME = re.compile(MODULE_NAME)

Check = Callable[[Any], Any]


def _within(least: float, most: float, *, above: bool = False) -> Check:
    def check(value: Any) -> Any:
        low_ok = value > least if above else value >= least
        if not (low_ok and value <= most):
            msg = f"expected {least} to {most} (got {value!r})"
            raise ValueError(msg)
        return value

    return check


def _below(least: float, limit: float) -> Check:
    def check(value: Any) -> Any:
        if not least <= value < limit:
            msg = f"expected {least} to below {limit} (got {value!r})"
            raise ValueError(msg)
        return value

    return check


def _size(least: int, most: int) -> Check:
    bounds = _within(least, most)

    def check(value: Any) -> Any:
        value = parse_size(value)
        if type(value) is not int:
            msg = f"expected a size (got {value!r})"
            raise ValueError(msg)
        return bounds(value)

    return check


def _one_of(*choices: str) -> Check:
    def check(value: Any) -> Any:
        if value not in choices:
            msg = f"expected one of {choices} (got {value!r})"
            raise ValueError(msg)
        return value

    return check


def _name(value: Any) -> Any:
    if not _NAME.fullmatch(value):
        msg = f"expected a name (got {value!r})"
        raise ValueError(msg)
    return value


def _ints(
    least: int,
    most: int,
    *,
    length: tuple[int, int],
    increasing: bool = False,
) -> Check:
    def check(value: Any) -> Any:
        if not length[0] <= len(value) <= length[1] or any(
            not least <= item <= most for item in value
        ):
            msg = f"expected {length} integers {least} to {most}"
            raise ValueError(msg)
        if increasing and rules.increasing("items", value):
            msg = "expected increasing integers"
            raise ValueError(msg)
        return value

    return check


def _numbers(above: float, most: float, *, max_len: int) -> Check:
    def check(value: Any) -> Any:
        if len(value) > max_len or any(
            not above < item <= most for item in value
        ):
            msg = f"expected at most {max_len} numbers above {above} to {most}"
            raise ValueError(msg)
        return value

    return check


def _module_names(max_len: int) -> Check:
    def check(value: Any) -> Any:
        if len(value) > max_len or not all(
            _MODULE_NAME.fullmatch(item) for item in value
        ):
            msg = f"expected at most {max_len} module names"
            raise ValueError(msg)
        return value

    return check


def _json_object(max_chars: int) -> Check:
    def check(value: Any) -> Any:
        if len(value) > max_chars or rules.json_object("value", value):
            msg = f"expected a JSON object of at most {max_chars} characters"
            raise ValueError(msg)
        return value

    return check


def _capability(value: Any) -> Any:
    if len(value) != 2 or not (1 <= value[0] <= 15 and 0 <= value[1] <= 9):
        msg = f"expected [major, minor] (got {value!r})"
        raise ValueError(msg)
    return value


def _f(default: Any, check: Check) -> Any:
    return dataclasses.field(default=default, metadata={"check": check})


def _section(cls: type) -> Any:
    return dataclasses.field(default_factory=cls)


@dataclass
class _Checked:
    def __post_init__(self) -> None:
        problems = []
        for f in dataclasses.fields(self):
            check = f.metadata.get("check")
            if check is None:
                continue
            value = getattr(self, f.name)
            try:
                checked = check(value)
            except ValueError as e:
                problems.append(f"{f.name}: {e}")
            else:
                if checked is not value:
                    setattr(self, f.name, checked)
        if not problems:
            problems = self._rules()
        if problems:
            raise ValueError("; ".join(problems))

    def _rules(self) -> list[str]:
        return []


@dataclass
class MemoryConfig(_Checked):
    """Memory pool and the GPU / CPU / SSD tiers."""

    memory_pool_size: int | str = _f(2 * GiB, _size(0, PiB))
    enable_memory_tiering: bool = True
    gpu_memory_size: int | str = _f(6 * GiB, _size(0, PiB))
    cpu_memory_size: int | str = _f(8 * GiB, _size(1, PiB))
    ssd_memory_size: int | str = _f(50 * GiB, _size(1, PiB))
    enable_memory_compression: bool = True
    compression_level: str = _f("medium", _one_of("low", "medium", "high"))
    enable_memory_swapping: bool = True
    swap_threshold: float = _f(0.8, _within(0.0, 1.0, above=True))
    enable_memory_defragmentation: bool = True

    def _rules(self) -> list[str]:
        return rules.memory(self)


@dataclass
class CPUConfig(_Checked):
    """CPU threads, caches and instruction set."""

    num_threads: int = _f(4, _within(1, 4096))
    num_workers: int = _f(4, _within(0, 4096))
    l1_cache_size: int | str = _f(32 * KiB, _size(1, GiB))
    l2_cache_size: int | str = _f(256 * KiB, _size(1, GiB))
    l3_cache_size: int | str = _f(6 * MiB, _size(1, GiB))
    enable_cpu_optimizations: bool = True
    use_hyperthreading: bool = True
    enable_simd_optimizations: bool = True
    simd_instruction_set: str = _f(
        "avx2", _one_of("avx512", "avx2", "sse", "scalar")
    )

    def _rules(self) -> list[str]:
        return rules.cpu(self)


@dataclass
class GPUConfig(_Checked):
    """The GPU's capabilities and how to use them."""

    gpu_compute_capability: tuple[int, ...] = _f((6, 1), _capability)
    max_threads_per_block: int = _f(1024, _within(32, 1024))
    shared_memory_per_block: int | str = _f(48 * KiB, _size(1, MiB))
    memory_bandwidth_gbps: float = _f(
        320.0, _within(0.0, 100_000.0, above=True)
    )
    enable_gpu_optimizations: bool = True
    use_tensor_cores: bool = True
    use_mixed_precision: bool = True
    attention_implementation: str = _f(
        "flash_attention_2", _one_of("flash_attention_2", "sdpa", "eager")
    )


@dataclass
class PowerManagementConfig(_Checked):
    """Power and thermal limits."""

    enable_power_optimization: bool = True
    power_constraint: float = _f(0.8, _within(0.0, 1.0, above=True))
    thermal_constraint: float = _f(75.0, _within(0.0, 125.0, above=True))
    performance_target: float = _f(0.9, _within(0.0, 1.0, above=True))
    adaptation_frequency: float = _f(1.0, _within(0.0, 3600.0, above=True))


@dataclass
class OptimizationConfig(_Checked):
    """Every optimization switch and its parameters."""

    use_memory_pooling: bool = True
    use_hierarchical_memory_compression: bool = True
    use_memory_efficient_attention: bool = True
    use_sparsity: bool = True
    sparsity_ratio: float = _f(0.5, _below(0.0, 1.0))
    use_dynamic_sparse_attention: bool = True
    use_adaptive_precision: bool = True
    use_moe: bool = True
    moe_num_experts: int = _f(4, _within(2, 1024))
    moe_top_k: int = _f(2, _within(1, 1024))
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

    def _rules(self) -> list[str]:
        return rules.optimization(self)


@dataclass
class RopeScalingConfig(_Checked):
    """How the text model's rotary positions are scaled."""

    rope_type: str = _f("default", _one_of(*ROPE_TYPES))
    factor: float = _f(1.0, _within(1.0, 1e6))
    original_max_position_embeddings: int = _f(0, _within(0, 2**26))
    attention_factor: float = _f(0.0, _within(0.0, 1e3))
    beta_fast: float = _f(32.0, _within(0.0, 1e6, above=True))
    beta_slow: float = _f(1.0, _within(0.0, 1e6, above=True))
    mscale: float = _f(0.0, _within(0.0, 1e3))
    mscale_all_dim: float = _f(0.0, _within(0.0, 1e3))
    truncate: bool = True
    short_factor: tuple[float, ...] = _f((), _numbers(0.0, 1e6, max_len=4096))
    long_factor: tuple[float, ...] = _f((), _numbers(0.0, 1e6, max_len=4096))
    low_freq_factor: float = _f(1.0, _within(0.0, 1e6, above=True))
    high_freq_factor: float = _f(4.0, _within(0.0, 1e6, above=True))

    def _rules(self) -> list[str]:
        return rules.rope(self)


@dataclass
class QuantizationConfig(_Checked):
    """How the checkpoint's weights are stored."""

    method: str = _f("none", _one_of(*QUANTIZATION_METHODS))
    bits: int = _f(0, _within(0, 16))
    group_size: int = _f(0, _within(-1, 2**20))
    weight_block_size: tuple[int, ...] = _f(
        (), _ints(1, 65_536, length=(0, 2))
    )
    modules_to_not_convert: tuple[str, ...] = _f((), _module_names(4096))
    extra: str = _f("{}", _json_object(65_536))

    def _rules(self) -> list[str]:
        return rules.quantization(self)


@dataclass
class ServingConfig(_Checked):
    """What a serving runtime is told besides the model."""

    max_context_tokens: int = _f(0, _within(0, 2**26))
    max_concurrent_sequences: int = _f(1, _within(1, 65_536))
    kv_cache_dtype: str = _f("auto", _one_of(*KV_CACHE_DTYPES))
    online_quantization: str = _f("none", _one_of(*ONLINE_QUANTIZATIONS))
    max_images_per_prompt: int = _f(1, _within(0, 1024))
    max_videos_per_prompt: int = _f(0, _within(0, 1024))
    min_image_pixels: int = _f(0, _within(0, 2**30))
    max_image_pixels: int = _f(0, _within(0, 2**30))


@dataclass
class ParallelConfig(_Checked):
    """How the model is spread across GPUs and nodes."""

    tensor_parallel_size: int = _f(1, _within(1, 4096))
    pipeline_parallel_size: int = _f(1, _within(1, 4096))
    data_parallel_size: int = _f(1, _within(1, 4096))
    expert_parallel: bool = False


@dataclass
class Qwen3VL(_Checked):
    """The whole configuration: architecture on the root, nine sections."""

    config_version: int = _f(1, _within(1, 1))
    model_family: str = _f("qwen3_vl", _one_of(*FAMILIES))
    num_hidden_layers: int = _f(32, _within(1, 1024))
    num_attention_heads: int = _f(32, _within(1, 1024))
    hidden_size: int = _f(4096, _within(1, 262_144))
    intermediate_size: int = _f(11008, _within(1, 1_048_576))
    vocab_size: int = _f(152064, _within(1, 2**24))
    max_position_embeddings: int = _f(32768, _within(1, 2**26))
    vision_num_hidden_layers: int = _f(24, _within(1, 1024))
    vision_num_attention_heads: int = _f(16, _within(1, 1024))
    vision_hidden_size: int = _f(1152, _within(1, 262_144))
    vision_image_size: int = _f(448, _within(1, 65_536))
    vision_patch_size: int = _f(14, _within(1, 65_536))
    num_key_value_heads: int = _f(0, _within(0, 1024))
    head_dim: int = _f(128, _within(1, 4096))
    hidden_act: str = _f("silu", _one_of(*ACTIVATIONS))
    rms_norm_eps: float = _f(1e-6, _within(0.0, 0.1, above=True))
    rope_theta: float = _f(5_000_000.0, _within(0.0, 1e12, above=True))
    mrope_section: tuple[int, ...] = _f(
        (24, 20, 20), _ints(1, 2048, length=(3, 3))
    )
    mrope_interleaved: bool = True
    attention_bias: bool = False
    tie_word_embeddings: bool = False
    vision_intermediate_size: int = _f(4304, _within(1, 1_048_576))
    vision_out_hidden_size: int = _f(0, _within(0, 262_144))
    vision_spatial_merge_size: int = _f(2, _within(1, 64))
    vision_temporal_patch_size: int = _f(2, _within(1, 64))
    vision_in_channels: int = _f(3, _within(1, 64))
    vision_num_position_embeddings: int = _f(2304, _within(0, 1_048_576))
    vision_hidden_act: str = _f("gelu_pytorch_tanh", _one_of(*ACTIVATIONS))
    vision_deepstack_visual_indexes: tuple[int, ...] = _f(
        (5, 11, 17), _ints(0, 1023, length=(0, 64), increasing=True)
    )
    vision_window_size: int = _f(0, _within(0, 65_536))
    vision_fullatt_block_indexes: tuple[int, ...] = _f(
        (), _ints(0, 1023, length=(0, 1024), increasing=True)
    )
    vision_tokens_per_second: int = _f(0, _within(0, 1_000_000))
    num_experts: int = _f(0, _within(0, 1024))
    num_experts_per_tok: int = _f(0, _within(0, 1024))
    moe_intermediate_size: int = _f(0, _within(0, 1_048_576))
    decoder_sparse_step: int = _f(1, _within(1, 1024))
    mlp_only_layers: tuple[int, ...] = _f(
        (), _ints(0, 1023, length=(0, 1024), increasing=True)
    )
    norm_topk_prob: bool = True
    image_token_id: int = _f(151655, _within(0, MAX_TOKEN_ID))
    video_token_id: int = _f(151656, _within(0, MAX_TOKEN_ID))
    vision_start_token_id: int = _f(151652, _within(0, MAX_TOKEN_ID))
    vision_end_token_id: int = _f(151653, _within(0, MAX_TOKEN_ID))
    bos_token_id: int = _f(151643, _within(0, MAX_TOKEN_ID))
    eos_token_id: int = _f(151645, _within(0, MAX_TOKEN_ID))
    dtype: str = _f("bfloat16", _one_of(*DTYPES))
    optimization_level: str = _f(
        "balanced", _one_of("minimal", "balanced", "aggressive")
    )
    hardware_target: str = _f("intel_i5_10210u_nvidia_sm61_nvme", _name)
    preserve_full_capacity: bool = True
    memory_config: MemoryConfig = _section(MemoryConfig)
    cpu_config: CPUConfig = _section(CPUConfig)
    gpu_config: GPUConfig = _section(GPUConfig)
    power_management_config: PowerManagementConfig = _section(
        PowerManagementConfig
    )
    optimization_config: OptimizationConfig = _section(OptimizationConfig)
    rope_scaling_config: RopeScalingConfig = _section(RopeScalingConfig)
    quantization_config: QuantizationConfig = _section(QuantizationConfig)
    serving_config: ServingConfig = _section(ServingConfig)
    parallel_config: ParallelConfig = _section(ParallelConfig)

    def _rules(self) -> list[str]:
        return rules.root(self)


# Built once, as a user would: every merge copies it anyway.
_BASE = OmegaConf.structured(Qwen3VL)

INVALID = (OmegaConfBaseException, ValueError)


def inputs(common: Any, workdir: Path) -> Any:  # noqa: ARG001 - same layout
    """Read qwen3vl's own inputs: the schema is the same."""
    return common


def default() -> DictConfig:
    """Return the default configuration."""
    return OmegaConf.structured(Qwen3VL)


def _validated(config: Any) -> DictConfig:
    # Building the dataclasses runs the checks OmegaConf itself lacks.
    OmegaConf.to_object(config)
    return config  # type: ignore[no-any-return]


def from_dict(data: dict[str, Any]) -> DictConfig:
    """Merge `data` into the schema, then build the objects to check them."""
    return _validated(OmegaConf.merge(_BASE, data))


def to_dict(config: DictConfig) -> dict[str, Any]:
    """Return plain data."""
    data: dict[str, Any] = OmegaConf.to_container(config)  # type: ignore[assignment]
    return data


def apply_updates(config: DictConfig, patch: dict[str, Any]) -> DictConfig:
    """``OmegaConf.merge``: types and keys are checked, the rules are not."""
    return OmegaConf.merge(config, patch)  # type: ignore[return-value]


def count_problems(error: Exception) -> int:  # noqa: ARG001 - always one
    """OmegaConf reports the first problem only."""
    return 1


LOADERS = {
    "json": lambda path: from_dict(read_json(path)),
    "yaml": lambda path: _validated(
        OmegaConf.merge(_BASE, OmegaConf.load(path))
    ),
    "toml": lambda path: from_dict(read_toml(path)),
}
SAVERS = {
    "json": lambda config, path: write_json(to_dict(config), path),
    "yaml": OmegaConf.save,
    "toml": lambda config, path: write_toml(to_dict(config), path),
}
