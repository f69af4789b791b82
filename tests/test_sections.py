"""Tests for the config classes: defaults, immutability, validation, rules."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import attrs
import pytest

from hypothesis import HealthCheck, given, settings
from qwen3vl import (
    BaseConfig,
    ConfigError,
    CPUConfig,
    GiB,
    GPUConfig,
    MemoryConfig,
    OptimizationConfig,
    ParallelConfig,
    PowerManagementConfig,
    QuantizationConfig,
    Qwen3VLConfig,
    RopeScalingConfig,
    ServingConfig,
    apply_updates,
    diff,
    load_config,
)
from qwen3vl._fields import DESCRIPTION, fields_of

from helpers import (
    CONFIG_CLASSES,
    DEFAULT,
    DISK_EXAMPLES,
    H100,
    HF_FILES,
    LEAVES,
    SPARSITY,
    by_class,
    imported,
    refusal,
    value_at,
)
from strategies import CONFIGS


KB = 1024
MB = 1024**2
GB = 1024**3

# Every default the specification states, written out again by hand so that
# a changed default in the code fails here.
SPEC_DEFAULTS: dict[type, dict[str, object]] = {
    Qwen3VLConfig: {
        "num_hidden_layers": 32,
        "num_attention_heads": 32,
        "hidden_size": 4096,
        "intermediate_size": 11008,
        "vocab_size": 152064,
        "max_position_embeddings": 32768,
        "vision_num_hidden_layers": 24,
        "vision_num_attention_heads": 16,
        "vision_hidden_size": 1152,
        "vision_image_size": 448,
        "vision_patch_size": 14,
        "optimization_level": "balanced",
        "hardware_target": "intel_i5_10210u_nvidia_sm61_nvme",
        "preserve_full_capacity": True,
        "config_version": 1,
    },
    MemoryConfig: {
        "memory_pool_size": 2 * GB,
        "enable_memory_tiering": True,
        "gpu_memory_size": 6 * GB,
        "cpu_memory_size": 8 * GB,
        "ssd_memory_size": 50 * GB,
        "enable_memory_compression": True,
        "compression_level": "medium",
        "enable_memory_swapping": True,
        "swap_threshold": 0.8,
        "enable_memory_defragmentation": True,
    },
    CPUConfig: {
        "num_threads": 4,
        "num_workers": 4,
        "l1_cache_size": 32 * KB,
        "l2_cache_size": 256 * KB,
        "l3_cache_size": 6 * MB,
        "enable_cpu_optimizations": True,
        "use_hyperthreading": True,
        "enable_simd_optimizations": True,
        "simd_instruction_set": "avx2",
    },
    GPUConfig: {
        "gpu_compute_capability": (6, 1),
        "max_threads_per_block": 1024,
        "shared_memory_per_block": 48 * KB,
        "memory_bandwidth_gbps": 320.0,
        "enable_gpu_optimizations": True,
        "use_tensor_cores": True,
        "use_mixed_precision": True,
        "attention_implementation": "flash_attention_2",
    },
    PowerManagementConfig: {
        "enable_power_optimization": True,
        "power_constraint": 0.8,
        "thermal_constraint": 75.0,
        "performance_target": 0.9,
        "adaptation_frequency": 1.0,
    },
    OptimizationConfig: {
        "use_memory_pooling": True,
        "use_hierarchical_memory_compression": True,
        "use_memory_efficient_attention": True,
        "use_sparsity": True,
        "sparsity_ratio": 0.5,
        "use_dynamic_sparse_attention": True,
        "use_adaptive_precision": True,
        "use_moe": True,
        "moe_num_experts": 4,
        "moe_top_k": 2,
        "use_flash_attention_2": True,
        "use_adaptive_depth": True,
        "use_gradient_checkpointing": True,
        "use_context_adaptive_positional_encoding": True,
        "use_conditional_feature_extraction": True,
        "use_cross_modal_compression": True,
        "use_cross_layer_memory_sharing": True,
        "use_hierarchical_vision": True,
        "use_learned_activation_routing": True,
        "use_adaptive_batch_processing": True,
        "use_adaptive_sequence_packing": True,
        "use_memory_efficient_grad_accumulation": True,
        "use_faster_rotary_embeddings": True,
        "use_hardware_specific_kernels": True,
    },
    # Beyond the specification (DESIGN.md, issue 14): no scaling and
    # unquantized weights, transformers' defaults for each parameter.
    RopeScalingConfig: {
        "rope_type": "default",
        "factor": 1.0,
        "original_max_position_embeddings": 0,
        "attention_factor": 0.0,
        "beta_fast": 32.0,
        "beta_slow": 1.0,
        "mscale": 0.0,
        "mscale_all_dim": 0.0,
        "truncate": True,
        "short_factor": (),
        "long_factor": (),
        "low_freq_factor": 1.0,
        "high_freq_factor": 4.0,
    },
    QuantizationConfig: {
        "method": "none",
        "bits": 0,
        "group_size": 0,
        "weight_block_size": (),
        "modules_to_not_convert": (),
        "extra": "{}",
    },
    # Issue 16: what the specification serves, one sequence over the whole
    # window (0: max_position_embeddings) with the KV cache at the compute
    # dtype, one image a prompt at the processor's own bounds.
    ServingConfig: {
        "max_context_tokens": 0,
        "max_concurrent_sequences": 1,
        "kv_cache_dtype": "auto",
        "online_quantization": "none",
        "max_images_per_prompt": 1,
        "max_videos_per_prompt": 0,
        "min_image_pixels": 0,
        "max_image_pixels": 0,
    },
    # Issue 17: one GPU, no expert parallelism: vLLM's defaults.
    ParallelConfig: {
        "tensor_parallel_size": 1,
        "pipeline_parallel_size": 1,
        "data_parallel_size": 1,
        "expert_parallel": False,
    },
}

# The architecture fields that real checkpoints need beyond the
# specification's list (issue 3, from_pretrained), with defaults that keep
# the specification's model as it is: multi-head attention (0 key/value
# heads: one per head), 4096 / 32 = 128 wide heads, Qwen3-VL's RoPE, a dense
# model, Qwen3-VL's special tokens.
ARCHITECTURE_DEFAULTS: dict[str, object] = {
    "num_key_value_heads": 0,
    "head_dim": 128,
    "hidden_act": "silu",
    "rms_norm_eps": 1e-6,
    "rope_theta": 5_000_000.0,
    "mrope_section": (24, 20, 20),
    "mrope_interleaved": True,
    "attention_bias": False,
    "tie_word_embeddings": False,
    "vision_intermediate_size": 4304,
    "vision_out_hidden_size": 0,
    "vision_spatial_merge_size": 2,
    "vision_temporal_patch_size": 2,
    "vision_in_channels": 3,
    "vision_num_position_embeddings": 2304,
    "vision_hidden_act": "gelu_pytorch_tanh",
    "vision_deepstack_visual_indexes": (5, 11, 17),
    "vision_window_size": 0,
    "vision_fullatt_block_indexes": (),
    "vision_tokens_per_second": 0,
    "num_experts": 0,
    "num_experts_per_tok": 0,
    "moe_intermediate_size": 0,
    "decoder_sparse_step": 1,
    "mlp_only_layers": (),
    "norm_topk_prob": True,
    "image_token_id": 151655,
    "video_token_id": 151656,
    "vision_start_token_id": 151652,
    "vision_end_token_id": 151653,
    "bos_token_id": 151643,
    "eos_token_id": 151645,
    "dtype": "bfloat16",
}

SECTIONS = {
    "memory_config": MemoryConfig,
    "cpu_config": CPUConfig,
    "gpu_config": GPUConfig,
    "power_management_config": PowerManagementConfig,
    "optimization_config": OptimizationConfig,
    "rope_scaling_config": RopeScalingConfig,
    "quantization_config": QuantizationConfig,
    "serving_config": ServingConfig,
    "parallel_config": ParallelConfig,
}


def problems_of(call: object) -> list[tuple[str, str]]:
    """Return (path, message) of every problem that `call()` raises."""
    assert callable(call)
    return [(p.path, p.message) for p in refusal(call).problems]


class TestDefaults:
    @by_class
    def test_defaults_match_the_specification(self, cls):
        """Every field's default is the one the specification states."""
        instance = cls()
        actual = {name: getattr(instance, name) for name in SPEC_DEFAULTS[cls]}

        assert SPEC_DEFAULTS[cls] == actual

    @by_class
    def test_every_field_is_specified_and_described(self, cls):
        """Every field is the specification's or a listed architecture field, and described."""
        names = [a.name for a in attrs.fields(cls)]
        expected = set(SPEC_DEFAULTS[cls])
        if cls is Qwen3VLConfig:
            expected |= set(SECTIONS) | set(ARCHITECTURE_DEFAULTS)
            expected.add("model_family")

        assert expected == set(names)
        for a in attrs.fields(cls):
            text = a.metadata[DESCRIPTION]
            assert text
            assert text.endswith(".")
            assert "\n" not in text

    def test_model_family_is_qwen3_vl_and_second(self):
        """The family comes right after the layout version, Qwen3-VL by default."""
        names = [a.name for a in attrs.fields(Qwen3VLConfig)]

        assert ["config_version", "model_family"] == names[:2]
        assert "qwen3_vl" == Qwen3VLConfig().model_family

    def test_architecture_defaults(self):
        """The fields added for real checkpoints have their listed defaults."""
        config = Qwen3VLConfig()
        actual = {
            name: getattr(config, name) for name in ARCHITECTURE_DEFAULTS
        }

        assert ARCHITECTURE_DEFAULTS == actual

    def test_architecture_fields_sit_between_vision_and_level(self):
        """The new fields follow vision_patch_size and precede optimization_level."""
        names = [a.name for a in attrs.fields(Qwen3VLConfig)]
        names.remove("model_family")
        start = names.index("vision_patch_size") + 1

        assert (
            list(ARCHITECTURE_DEFAULTS)
            == names[start : start + len(ARCHITECTURE_DEFAULTS)]
        )
        assert (
            "optimization_level" == names[start + len(ARCHITECTURE_DEFAULTS)]
        )

    def test_root_sections_are_the_section_classes(self):
        """The root holds one default instance of each section class."""
        config = Qwen3VLConfig()

        for name, cls in SECTIONS.items():
            assert cls() == getattr(config, name)

    def test_float_defaults_are_floats(self):
        """Float fields hold floats, so they print and compare as floats."""
        assert float is type(PowerManagementConfig().thermal_constraint)
        assert float is type(GPUConfig().memory_bandwidth_gbps)

    @by_class
    def test_classes_share_the_base_api(self, cls):
        """Every class, sections included, has the BaseConfig methods."""
        assert issubclass(cls, BaseConfig)
        for method in (
            "to_dict",
            "from_dict",
            "from_file",
            "save_to_file",
            "validate",
        ):
            assert callable(getattr(cls, method))


class TestImmutability:
    @by_class
    def test_fields_cannot_be_assigned(self, cls):
        """Setting an attribute raises attrs' FrozenInstanceError."""
        instance = cls()
        name = attrs.fields(cls)[0].name

        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            setattr(instance, name, 1)

    def test_configs_are_hashable_and_comparable(self):
        """Equal configs hash equally and can be dict keys."""
        assert hash(Qwen3VLConfig()) == hash(Qwen3VLConfig())
        assert {Qwen3VLConfig(): 1}[Qwen3VLConfig()] == 1

    @by_class
    def test_equal_only_to_its_own_class(self, cls):
        """A config equals a config of its class with equal fields, nothing else."""
        assert cls() == cls()
        assert not cls() != cls()  # noqa: SIM202
        assert cls() != object()
        assert all(
            cls() != other() for other in CONFIG_CLASSES if other is not cls
        )

    @by_class
    def test_repr_is_attrs_style(self, cls):
        """repr lists every field as name=repr(value), as attrs writes it."""
        instance = cls()
        inside = ", ".join(
            f"{a.name}={getattr(instance, a.name)!r}"
            for a in attrs.fields(cls)
        )
        assert repr(instance) == f"{cls.__name__}({inside})"

    def test_list_capability_is_stored_as_tuple(self):
        """A list for the compute capability becomes a tuple on construction."""
        assert (8, 0) == GPUConfig(
            gpu_compute_capability=[8, 0]
        ).gpu_compute_capability  # type: ignore[arg-type]

    def test_int_for_float_field_becomes_float(self):
        """An int given for a float field is stored as a float."""
        value = PowerManagementConfig(thermal_constraint=80).thermal_constraint

        assert 80.0 == value
        assert float is type(value)


class TestDirectConstruction:
    def test_wrong_type_is_refused(self):
        """GPUConfig(use_tensor_cores=3) raises a ConfigError naming the field."""
        problems = problems_of(lambda: GPUConfig(use_tensor_cores=3))  # type: ignore[arg-type]

        assert ["use_tensor_cores"] == [p for p, _ in problems]
        assert "expected true or false" in problems[0][1]
        assert "got 3" in problems[0][1]

    def test_all_bad_fields_are_reported_together(self):
        """Every bad field of one constructor call is in the one error."""
        problems = problems_of(
            lambda: GPUConfig(
                use_tensor_cores=3,  # type: ignore[arg-type]
                max_threads_per_block=2048,
                attention_implementation="flash",  # type: ignore[arg-type]
            )
        )

        assert [
            "attention_implementation",
            "max_threads_per_block",
            "use_tensor_cores",
        ] == [p for p, _ in problems]

    def test_config_error_is_a_value_error(self):
        """Callers catching ValueError keep working."""
        with pytest.raises(ValueError, match="use_tensor_cores"):
            GPUConfig(use_tensor_cores=3)  # type: ignore[arg-type]

    def test_evolve_is_validated(self):
        """attrs.evolve goes through validation like construction does."""
        problems = problems_of(
            lambda: attrs.evolve(OptimizationConfig(), sparsity_ratio=2.0)
        )

        assert ["sparsity_ratio"] == [p for p, _ in problems]

    def test_evolve_with_valid_value_works(self):
        """attrs.evolve returns a new config and leaves the old one alone."""
        old = OptimizationConfig()
        new = attrs.evolve(old, sparsity_ratio=0.25)

        assert 0.25 == new.sparsity_ratio
        assert 0.5 == old.sparsity_ratio

    def test_size_must_be_an_int_in_python(self):
        """Python code passes sizes as int bytes; strings are for files."""
        problems = problems_of(lambda: MemoryConfig(gpu_memory_size="6GiB"))  # type: ignore[arg-type]

        assert ["gpu_memory_size"] == [p for p, _ in problems]

    def test_section_of_wrong_class_is_refused(self):
        """A root section attribute must hold an instance of its class."""
        problems = problems_of(lambda: Qwen3VLConfig(gpu_config=CPUConfig()))  # type: ignore[arg-type]

        assert [
            ("gpu_config", "expected a GPUConfig (got CPUConfig)")
        ] == problems

    def test_validate_passes_on_a_valid_config(self):
        """validate() returns None for a valid config."""
        assert Qwen3VLConfig().validate() is None

    def test_validate_finds_problems_after_tampering(self):
        """validate() re-checks values even if someone bypassed __init__."""
        config = GPUConfig()
        object.__setattr__(config, "max_threads_per_block", 0)

        with pytest.raises(ConfigError) as info:
            config.validate()

        assert ["max_threads_per_block"] == info.value.paths


# (class, field, bad value, fragment of the message)
RANGES = [
    (Qwen3VLConfig, "num_hidden_layers", 0, ">= 1"),
    (Qwen3VLConfig, "hidden_size", -1, ">= 1"),
    (Qwen3VLConfig, "vocab_size", True, "got True, a boolean"),
    (Qwen3VLConfig, "config_version", 2, "<= 1"),
    (Qwen3VLConfig, "optimization_level", "max", "one of 'minimal'"),
    (Qwen3VLConfig, "hardware_target", "", "a name of 1 to 128"),
    (Qwen3VLConfig, "hardware_target", "a b", "a name of 1 to 128"),
    (Qwen3VLConfig, "preserve_full_capacity", 1, "true or false"),
    (MemoryConfig, "gpu_memory_size", -1, ">= 0 B"),
    (MemoryConfig, "cpu_memory_size", 0, ">= 1 B"),
    (MemoryConfig, "ssd_memory_size", -5, ">= 1 B"),
    (MemoryConfig, "cpu_memory_size", 2**51, "<= 1024TiB"),
    (MemoryConfig, "compression_level", "max", "'low', 'medium', 'high'"),
    (MemoryConfig, "swap_threshold", 0.0, "> 0.0"),
    (MemoryConfig, "swap_threshold", 1.01, "<= 1.0"),
    (MemoryConfig, "swap_threshold", float("nan"), "got nan"),
    (CPUConfig, "num_threads", 0, ">= 1"),
    (CPUConfig, "num_workers", -1, ">= 0"),
    (CPUConfig, "num_threads", 3.0, "an integer"),
    (CPUConfig, "simd_instruction_set", "neon", "'avx512', 'avx2'"),
    (CPUConfig, "l1_cache_size", 0, ">= 1 B"),
    (GPUConfig, "gpu_compute_capability", (6,), "pair"),
    (GPUConfig, "gpu_compute_capability", (6, 10), "minor 0..9"),
    (GPUConfig, "gpu_compute_capability", (0, 1), "major 1..15"),
    (GPUConfig, "gpu_compute_capability", (6.0, 1), "pair"),
    (GPUConfig, "max_threads_per_block", 2048, "<= 1024"),
    (GPUConfig, "shared_memory_per_block", 2 * MB, "<= 1MiB"),
    (GPUConfig, "memory_bandwidth_gbps", 0, "> 0.0"),
    (GPUConfig, "memory_bandwidth_gbps", float("inf"), "got inf"),
    (GPUConfig, "attention_implementation", "flash", "'flash_attention_2'"),
    (PowerManagementConfig, "power_constraint", 1.5, "<= 1.0"),
    (PowerManagementConfig, "thermal_constraint", 200.0, "<= 125.0"),
    (PowerManagementConfig, "thermal_constraint", -10.0, "> 0.0"),
    (PowerManagementConfig, "performance_target", 0, "> 0.0"),
    (PowerManagementConfig, "adaptation_frequency", 0.0, "> 0.0"),
    (OptimizationConfig, "sparsity_ratio", 1.0, "< 1.0"),
    (OptimizationConfig, "sparsity_ratio", -0.1, ">= 0.0"),
    (OptimizationConfig, "moe_num_experts", 1, ">= 2"),
    (OptimizationConfig, "moe_top_k", 0, ">= 1"),
    (OptimizationConfig, "use_moe", "yes", "true or false"),
    (Qwen3VLConfig, "num_key_value_heads", -1, ">= 0"),
    (Qwen3VLConfig, "head_dim", 0, ">= 1"),
    (Qwen3VLConfig, "hidden_act", "gelu_tanh", "one of 'gelu'"),
    (Qwen3VLConfig, "rms_norm_eps", 0.0, "> 0.0"),
    (Qwen3VLConfig, "rope_theta", float("inf"), "got inf"),
    (Qwen3VLConfig, "mrope_section", (24, 40), "exactly 3 integers"),
    (Qwen3VLConfig, "mrope_section", (24, 20, 20.0), "exactly 3 integers"),
    (Qwen3VLConfig, "mrope_section", (64, 0, 0), ">= 1 and <= 2048"),
    (Qwen3VLConfig, "vision_deepstack_visual_indexes", (11, 5), "increasing"),
    (Qwen3VLConfig, "vision_deepstack_visual_indexes", (5, 5), "increasing"),
    (Qwen3VLConfig, "mlp_only_layers", "1,2", "a list of 0 to 1024"),
    (Qwen3VLConfig, "num_experts", 1025, "<= 1024"),
    (Qwen3VLConfig, "vision_out_hidden_size", -1, ">= 0"),
    (Qwen3VLConfig, "image_token_id", -1, ">= 0"),
    (Qwen3VLConfig, "vision_end_token_id", 2**24, "<= 16777215"),
    (Qwen3VLConfig, "tie_word_embeddings", 0, "true or false"),
    (ServingConfig, "max_context_tokens", -1, ">= 0"),
    (ServingConfig, "max_context_tokens", 2**26 + 1, "<= 67108864"),
    (ServingConfig, "max_context_tokens", 4096.0, "an integer"),
    (ServingConfig, "max_concurrent_sequences", 0, ">= 1"),
    (ServingConfig, "max_concurrent_sequences", 65_537, "<= 65536"),
    (ServingConfig, "kv_cache_dtype", "fp8", "one of 'auto', 'fp16'"),
    (ServingConfig, "kv_cache_dtype", "float16", "one of 'auto', 'fp16'"),
    (ServingConfig, "online_quantization", "int4", "did you mean 'int8'?"),
    (ServingConfig, "online_quantization", False, "one of 'none'"),
    (ServingConfig, "max_images_per_prompt", 1025, "<= 1024"),
    (ServingConfig, "max_videos_per_prompt", -1, ">= 0"),
    (ServingConfig, "min_image_pixels", -1, ">= 0"),
    (ServingConfig, "max_image_pixels", 2**30 + 1, "<= 1073741824"),
    (ServingConfig, "max_image_pixels", True, "a boolean"),
    (ParallelConfig, "tensor_parallel_size", 0, ">= 1"),
    (ParallelConfig, "tensor_parallel_size", 4097, "<= 4096"),
    (ParallelConfig, "tensor_parallel_size", 2.0, "an integer"),
    (ParallelConfig, "tensor_parallel_size", "2", "an integer"),
    (ParallelConfig, "pipeline_parallel_size", 0, ">= 1"),
    (ParallelConfig, "pipeline_parallel_size", 4097, "<= 4096"),
    (ParallelConfig, "data_parallel_size", -1, ">= 1"),
    (ParallelConfig, "data_parallel_size", 4097, "<= 4096"),
    (ParallelConfig, "data_parallel_size", True, "a boolean"),
    (ParallelConfig, "expert_parallel", 1, "true or false"),
    (ParallelConfig, "expert_parallel", "true", "true or false"),
]


class TestRanges:
    @pytest.mark.parametrize(
        ("cls", "field", "value", "fragment"),
        RANGES,
        ids=[f"{c.__name__}.{f}={v!r}" for c, f, v, _ in RANGES],
    )
    def test_out_of_range_value_is_refused(self, cls, field, value, fragment):
        """Each field refuses values outside its type and range, saying why."""
        problems = problems_of(lambda: cls(**{field: value}))

        assert [field] == [p for p, _ in problems]
        assert fragment in problems[0][1]

    @by_class
    def test_every_numeric_field_has_a_range(self, cls):
        """Every int and float field states both of its bounds."""
        for info in fields_of(cls).values():
            if info.validator is None:
                continue
            expected = info.validator.expected()
            if expected.startswith(("an integer", "a number", "a size")):
                assert ">" in expected, info.name
                assert "<" in expected, info.name

    def test_enum_typo_suggests_the_nearest_choice(self):
        """A near-miss enum value gets a 'did you mean' hint."""
        problems = problems_of(lambda: MemoryConfig(compression_level="hgih"))  # type: ignore[arg-type]

        assert problems[0][1].endswith("did you mean 'high'?")

    @pytest.mark.parametrize("choice", ["avx512", "avx2", "sse", "scalar"])
    def test_every_simd_set_is_accepted(self, choice):
        """All four SIMD instruction sets of the design are valid."""
        assert (
            choice
            == CPUConfig(simd_instruction_set=choice).simd_instruction_set
        )


class TestRules:
    def test_full_capacity_guard_refuses_fewer_layers_and_heads(self):
        """With preserve_full_capacity, 16 layers and 16 heads are refused."""
        problems = problems_of(
            lambda: Qwen3VLConfig(
                num_hidden_layers=16, num_attention_heads=16, hidden_size=4096
            )
        )

        assert ["num_attention_heads", "num_hidden_layers"] == [
            p for p, _ in problems
        ]
        for _, message in problems:
            assert "preserve_full_capacity" in message

    def test_full_capacity_guard_can_be_turned_off(self):
        """preserve_full_capacity=False allows a reduced model."""
        config = Qwen3VLConfig(
            num_hidden_layers=2,
            num_attention_heads=4,
            preserve_full_capacity=False,
        )

        assert (2, 4) == (config.num_hidden_layers, config.num_attention_heads)

    def test_hidden_size_must_divide_by_heads(self):
        """hidden_size must be divisible by num_attention_heads."""
        problems = problems_of(lambda: Qwen3VLConfig(hidden_size=4100))

        assert ["hidden_size"] == [p for p, _ in problems]
        assert "divisible by num_attention_heads (32)" in problems[0][1]

    def test_vision_hidden_size_must_divide_by_vision_heads(self):
        """vision_hidden_size must be divisible by vision_num_attention_heads."""
        problems = problems_of(lambda: Qwen3VLConfig(vision_hidden_size=1000))

        assert ["vision_hidden_size"] == [p for p, _ in problems]

    def test_image_size_must_divide_by_patch_size(self):
        """vision_image_size must be a whole number of patches."""
        problems = problems_of(lambda: Qwen3VLConfig(vision_patch_size=15))

        assert ["vision_image_size"] == [p for p, _ in problems]
        assert "whole patches" in problems[0][1]

    def test_top_k_cannot_exceed_experts(self):
        """moe_top_k must be at most moe_num_experts."""
        problems = problems_of(
            lambda: OptimizationConfig(moe_num_experts=4, moe_top_k=5)
        )

        assert [
            ("moe_top_k", "must be at most moe_num_experts (4) (got 5)")
        ] == problems

    def test_top_k_may_equal_experts(self):
        """moe_top_k equal to moe_num_experts is fine."""
        assert (
            8 == OptimizationConfig(moe_num_experts=8, moe_top_k=8).moe_top_k
        )

    def test_pool_cannot_exceed_gpu_memory(self):
        """The memory pool is carved out of GPU memory, so it must fit."""
        problems = problems_of(
            lambda: MemoryConfig(
                memory_pool_size=8 * GB, gpu_memory_size=6 * GB
            )
        )

        assert [
            (
                "memory_pool_size",
                "must not exceed gpu_memory_size (6GiB) (got 8GiB)",
            )
        ] == problems

    def test_outer_caches_cannot_be_smaller(self):
        """A smaller outer cache is refused: usually a unit mistake."""
        problems = problems_of(
            lambda: CPUConfig(
                l1_cache_size=64 * KB,
                l2_cache_size=32 * KB,
                l3_cache_size=6 * MB,
            )
        )

        assert ["l2_cache_size"] == [p for p, _ in problems]

        problems = problems_of(lambda: CPUConfig(l3_cache_size=6 * KB))

        assert [
            (
                "l3_cache_size",
                "must be at least l2_cache_size (256KiB) (got 6KiB)",
            )
        ] == problems

    def test_rules_skip_fields_that_are_already_invalid(self):
        """A rule never runs on a bad value, so it cannot crash on one."""
        problems = problems_of(
            lambda: OptimizationConfig(moe_num_experts="4", moe_top_k=8)  # type: ignore[arg-type]
        )

        assert ["moe_num_experts"] == [p for p, _ in problems]

    def test_field_and_rule_problems_are_reported_together(self):
        """Bad fields and broken rules of one call come in one error."""
        problems = problems_of(
            lambda: Qwen3VLConfig(
                hidden_size=4100, vocab_size=0, num_hidden_layers=8
            )
        )

        assert ["hidden_size", "num_hidden_layers", "vocab_size"] == [
            p for p, _ in problems
        ]


class TestArchitectureRules:
    def test_key_value_heads_must_divide_heads(self):
        """Grouped-query attention needs whole groups of query heads."""
        problems = problems_of(lambda: Qwen3VLConfig(num_key_value_heads=5))

        assert [
            (
                "num_key_value_heads",
                (
                    "must divide num_attention_heads (32) (got 5);"
                    " 0 means one per attention head"
                ),
            )
        ] == problems

    @pytest.mark.parametrize("kv", [0, 1, 8, 32])
    def test_dividing_key_value_heads_are_fine(self, kv):
        """0 (one per head) and every divisor of the heads are accepted."""
        assert kv == Qwen3VLConfig(num_key_value_heads=kv).num_key_value_heads

    def test_default_follows_a_reduced_head_count(self):
        """With 0 key/value heads, the specification's 16-head model is valid."""
        config = Qwen3VLConfig(
            num_hidden_layers=16,
            num_attention_heads=16,
            preserve_full_capacity=False,
        )

        assert 0 == config.num_key_value_heads
        assert 16 == config.to_hf_dict()["text_config"]["num_key_value_heads"]

    def test_head_dim_must_be_even(self):
        """Rotary embeddings turn pairs of dimensions."""
        problems = problems_of(lambda: Qwen3VLConfig(head_dim=129))

        assert [
            (
                "head_dim",
                (
                    "must be even: rotary embeddings turn pairs of dimensions"
                    " (got 129)"
                ),
            )
        ] == problems

    def test_rope_sections_must_cover_half_the_head(self):
        """The three mrope sections add up to head_dim / 2."""
        problems = problems_of(lambda: Qwen3VLConfig(head_dim=256))

        assert [
            (
                "mrope_section",
                (
                    "must add up to head_dim / 2 (128)"
                    " (got [24, 20, 20], which adds up to 64)"
                ),
            )
        ] == problems
        assert (48, 40, 40) == Qwen3VLConfig(
            head_dim=256, mrope_section=(48, 40, 40)
        ).mrope_section

    def test_list_sections_are_stored_as_a_tuple(self):
        """A list for an int-tuple field becomes a tuple, so configs hash."""
        config = Qwen3VLConfig(mrope_section=[16, 24, 24])  # type: ignore[arg-type]

        assert (16, 24, 24) == config.mrope_section
        assert [16, 24, 24] == config.to_dict()["mrope_section"]
        assert hash(config) == hash(Qwen3VLConfig(mrope_section=(16, 24, 24)))

    def test_vision_output_must_match_the_text_width(self):
        """The vision output replaces token embeddings, so widths match."""
        problems = problems_of(
            lambda: Qwen3VLConfig(vision_out_hidden_size=2048)
        )

        assert [
            (
                "vision_out_hidden_size",
                "must be 0 or equal to hidden_size (4096) (got 2048)",
            )
        ] == problems
        assert (
            4096
            == Qwen3VLConfig(
                vision_out_hidden_size=4096
            ).vision_out_hidden_size
        )

    def test_deepstack_layers_must_exist(self):
        """DeepStack taps only vision layers that exist."""
        problems = problems_of(
            lambda: Qwen3VLConfig(vision_num_hidden_layers=12)
        )

        assert [
            (
                "vision_deepstack_visual_indexes",
                (
                    "must name layers below vision_num_hidden_layers (12)"
                    " (got [5, 11, 17])"
                ),
            )
        ] == problems
        assert (
            ()
            == Qwen3VLConfig(
                vision_num_hidden_layers=12, vision_deepstack_visual_indexes=()
            ).vision_deepstack_visual_indexes
        )

    def test_one_expert_is_refused(self):
        """A mixture of one expert is a dense model: write 0."""
        problems = problems_of(lambda: Qwen3VLConfig(num_experts=1))

        assert [
            ("num_experts", "must be 0 (a dense model) or at least 2 (got 1)")
        ] == problems

    def test_experts_need_routing_and_an_mlp(self):
        """A mixture-of-experts model routes 1..experts tokens to sized experts."""
        problems = problems_of(
            lambda: Qwen3VLConfig(
                num_experts=4,
                num_experts_per_tok=5,
                optimization_config=OptimizationConfig(moe_num_experts=4),
            )
        )

        assert [
            (
                "moe_intermediate_size",
                "must be at least 1 in a mixture-of-experts model (got 0)",
            ),
            (
                "num_experts_per_tok",
                (
                    "must be 1 to num_experts (4) in a mixture-of-experts model"
                    " (got 5)"
                ),
            ),
        ] == problems

    def test_experts_must_match_the_moe_switches(self):
        """The runtime's MoE switches route as the checkpoint's weights do."""
        problems = problems_of(
            lambda: Qwen3VLConfig(
                num_experts=128,
                num_experts_per_tok=8,
                moe_intermediate_size=768,
                optimization_config=OptimizationConfig(use_moe=False),
            )
        )

        assert [
            "optimization_config.moe_num_experts",
            "optimization_config.moe_top_k",
            "optimization_config.use_moe",
        ] == [p for p, _ in problems]
        assert (
            "must equal num_experts (128) (got 4)"
            == dict(problems)["optimization_config.moe_num_experts"]
        )

    def test_matching_experts_and_switches_are_fine(self):
        """An MoE architecture with the same experts and top-k is valid."""
        config = Qwen3VLConfig(
            num_experts=128,
            num_experts_per_tok=8,
            moe_intermediate_size=768,
            optimization_config=OptimizationConfig(
                moe_num_experts=128, moe_top_k=8
            ),
        )

        assert 128 == config.num_experts

    def test_dense_models_ignore_the_expert_knobs(self):
        """With 0 experts, the other MoE fields are free and unused."""
        config = Qwen3VLConfig(num_experts_per_tok=3, moe_intermediate_size=5)

        assert "num_experts" not in config.to_hf_dict()["text_config"]

    def test_rule_problems_from_a_dict_name_the_section_path(self):
        """from_dict reports a broken MoE switch at its dotted path."""
        with pytest.raises(ConfigError) as info:
            Qwen3VLConfig.from_dict(
                {
                    "num_experts": 8,
                    "num_experts_per_tok": 2,
                    "moe_intermediate_size": 64,
                    "optimization_config": {
                        "moe_num_experts": 8,
                        "use_moe": False,
                    },
                }
            )

        assert ["optimization_config.use_moe"] == info.value.paths


# -- serving_config and fits_the_model (issue 16) --------------------------

#: One vision token of the default model: (14 x 2) ** 2 pixels.
TOKEN = (14 * 2) ** 2
#: The most pixels an image has by default: one 448 x 448 square.
SQUARE = 448**2
_TOO_FEW_PIXELS = (
    "must be 0 or at least {token}, one vision token"
    " (vision_patch_size x vision_spatial_merge_size, squared) (got {got})"
)


def _serving(**fields: object) -> dict[str, object]:
    """A root dict whose serving_config holds `fields`."""
    return {"serving_config": fields}


class TestServing:
    """What is served must be something the model can take (fits_the_model)."""

    @pytest.mark.parametrize("tokens", [0, 1, 256, 32_768, 32_769, 2**26])
    def test_any_context_is_valid(self, tokens):
        """Any context is valid: beyond max_position_embeddings it serves the window."""
        from qwen3vl.hardware import estimate_memory

        config = Qwen3VLConfig.from_dict(_serving(max_context_tokens=tokens))

        assert tokens == config.serving_config.max_context_tokens
        assert min(tokens or 32_768, 32_768) == (
            estimate_memory(config).context_tokens
        )

    def test_zero_context_means_the_models_positions(self):
        """0 serves the whole window of whatever model it is set on, and stays 0."""
        from qwen3vl.hardware import estimate_memory

        short = Qwen3VLConfig(max_position_embeddings=4096)
        served = apply_updates(
            short, {"serving_config.max_context_tokens": 1024}
        )

        assert 0 == short.serving_config.max_context_tokens
        assert 0 == short.to_dict()["serving_config"]["max_context_tokens"]
        assert 4096 == estimate_memory(short).context_tokens
        assert 32_768 == estimate_memory(DEFAULT).context_tokens
        assert 1024 == estimate_memory(served).context_tokens

    def test_zero_max_pixels_means_one_image_square(self):
        """max_image_pixels 0 is one vision_image_size square; a bound lowers it."""
        from qwen3vl.hardware import estimate_memory

        smaller = apply_updates(
            DEFAULT, {"serving_config.max_image_pixels": SQUARE // 4}
        )

        # 448 / 14 = 32 patches a side, 2 x 2 patches a token.
        assert 256 == estimate_memory(DEFAULT).vision_tokens_per_image
        assert 64 == estimate_memory(smaller).vision_tokens_per_image

    @pytest.mark.parametrize("name", ["min_image_pixels", "max_image_pixels"])
    def test_pixels_below_one_vision_token_are_refused(self, name):
        """A nonzero pixel bound below one vision token is refused."""
        problems = problems_of(
            lambda: Qwen3VLConfig.from_dict(_serving(**{name: TOKEN - 1}))
        )

        assert [
            (
                f"serving_config.{name}",
                _TOO_FEW_PIXELS.format(token=TOKEN, got=TOKEN - 1),
            )
        ] == problems

    def test_one_vision_token_follows_patch_and_merge(self):
        """The token is vision_patch_size x vision_spatial_merge_size, squared."""
        data = {
            "vision_patch_size": 16,
            "vision_spatial_merge_size": 1,
            **_serving(max_image_pixels=255),
        }

        problems = problems_of(lambda: Qwen3VLConfig.from_dict(data))

        assert [
            (
                "serving_config.max_image_pixels",
                _TOO_FEW_PIXELS.format(token=256, got=255),
            )
        ] == problems
        data["serving_config"] = {"max_image_pixels": 256}
        assert 256 == (
            Qwen3VLConfig.from_dict(data).serving_config.max_image_pixels
        )

    @pytest.mark.parametrize(
        ("least", "most"),
        [
            (TOKEN, TOKEN),
            (TOKEN, 0),
            (0, TOKEN),
            (SQUARE, 0),
            (4000, 4000),
            (TOKEN, 2**30),
        ],
    )
    def test_edge_pixel_bounds_are_accepted(self, least, most):
        """One vision token, a bound equal to the other, the validator's top."""
        serving = Qwen3VLConfig.from_dict(
            _serving(min_image_pixels=least, max_image_pixels=most)
        ).serving_config

        assert (least, most) == (
            serving.min_image_pixels,
            serving.max_image_pixels,
        )

    def test_least_pixels_above_the_most_are_refused(self):
        """min_image_pixels above max_image_pixels is refused, naming the most."""
        problems = problems_of(
            lambda: Qwen3VLConfig.from_dict(
                _serving(min_image_pixels=5000, max_image_pixels=4000)
            )
        )

        assert [
            (
                "serving_config.min_image_pixels",
                (
                    "must be at most the most pixels an image has (4000)"
                    " (got 5000)"
                ),
            )
        ] == problems

    def test_least_pixels_above_the_image_square_are_refused(self):
        """With max_image_pixels 0, the most is one vision_image_size square."""
        problems = problems_of(
            lambda: Qwen3VLConfig.from_dict(
                _serving(min_image_pixels=SQUARE + 1)
            )
        )

        assert [
            (
                "serving_config.min_image_pixels",
                (
                    f"must be at most the most pixels an image has ({SQUARE})"
                    f" (got {SQUARE + 1})"
                ),
            )
        ] == problems

    @pytest.mark.parametrize("online", ["int8", "nf4", "fp8"])
    @pytest.mark.parametrize(
        "stored",
        [
            {"method": "fp8", "bits": 8},
            {"method": "awq", "bits": 4, "group_size": 128},
            {"method": "bitsandbytes", "bits": 4},
        ],
        ids=lambda q: q["method"],
    )
    def test_quantizing_quantized_weights_is_refused(self, online, stored):
        """Quantizing on load needs an unquantized checkpoint."""
        problems = problems_of(
            lambda: Qwen3VLConfig.from_dict(
                {
                    "quantization_config": stored,
                    **_serving(online_quantization=online),
                }
            )
        )

        assert [
            (
                "serving_config.online_quantization",
                (
                    "must be 'none': the checkpoint's weights are already"
                    f" quantized ({stored['method']}) (got {online!r})"
                ),
            )
        ] == problems

    @pytest.mark.parametrize("online", ["none", "int8", "nf4", "fp8"])
    def test_quantizing_unquantized_weights_is_accepted(self, online):
        """Every online quantization loads an unquantized checkpoint."""
        config = Qwen3VLConfig.from_dict(_serving(online_quantization=online))

        assert online == config.serving_config.online_quantization

    def test_quantized_weights_served_as_stored_are_accepted(self):
        """A quantized checkpoint with online_quantization 'none' is valid."""
        config = Qwen3VLConfig.from_dict(
            {"quantization_config": {"method": "fp8", "bits": 8}}
        )

        assert "none" == config.serving_config.online_quantization

    def test_every_branch_is_reported_together(self):
        """Each broken branch is one problem at its own path, in one error."""
        problems = problems_of(
            lambda: Qwen3VLConfig.from_dict(
                {
                    "max_position_embeddings": 4096,
                    "quantization_config": {"method": "fp8", "bits": 8},
                    **_serving(
                        max_context_tokens=4097,
                        min_image_pixels=100,
                        max_image_pixels=TOKEN,
                        online_quantization="nf4",
                    ),
                }
            )
        )

        assert [
            "serving_config.min_image_pixels",
            "serving_config.online_quantization",
        ] == [p for p, _ in problems]

    def test_a_refused_most_is_not_compared_with_the_least(self):
        """A max below one vision token is the one problem; the min is not measured against it."""
        problems = problems_of(
            lambda: Qwen3VLConfig.from_dict(
                _serving(min_image_pixels=TOKEN, max_image_pixels=100)
            )
        )

        assert ["serving_config.max_image_pixels"] == [p for p, _ in problems]

    def test_the_rule_skips_a_section_with_a_bad_field(self):
        """A bad serving field is reported alone; the rule does not run on it."""
        problems = problems_of(
            lambda: Qwen3VLConfig.from_dict(
                _serving(max_context_tokens=40_000, max_concurrent_sequences=0)
            )
        )

        assert ["serving_config.max_concurrent_sequences"] == [
            p for p, _ in problems
        ]

    def test_the_section_alone_knows_no_model(self):
        """ServingConfig by itself checks only its own fields' ranges."""
        serving = ServingConfig(max_context_tokens=2**26, min_image_pixels=1)

        assert 2**26 == serving.max_context_tokens

    def test_environment_variables_name_the_section(self):
        """QWEN3VL_SERVING_CONFIG__... sets a field; the rule names the variable."""
        name = "QWEN3VL_SERVING_CONFIG__MAX_CONTEXT_TOKENS"
        config = load_config(
            env={
                name: "8192",
                "QWEN3VL_SERVING_CONFIG__KV_CACHE_DTYPE": "fp8_e4m3",
                "QWEN3VL_SERVING_CONFIG__ONLINE_QUANTIZATION": "nf4",
            }
        )

        assert (8192, "fp8_e4m3", "nf4") == (
            config.serving_config.max_context_tokens,
            config.serving_config.kv_cache_dtype,
            config.serving_config.online_quantization,
        )
        pixels = "QWEN3VL_SERVING_CONFIG__MAX_IMAGE_PIXELS"
        error = refusal(lambda: load_config(env={pixels: "100"}))
        assert [("serving_config.max_image_pixels", pixels)] == [
            (p.path, p.source) for p in error.problems
        ]


# -- parallel_config and splits_evenly (issue 17) ---------------------------

TP = "parallel_config.tensor_parallel_size"
PP = "parallel_config.pipeline_parallel_size"
EP = "parallel_config.expert_parallel"
#: A mixture of experts on the default model: 8 experts of 768, every layer
#: sparse.
_EIGHT_EXPERTS: dict[str, object] = {
    "num_experts": 8,
    "num_experts_per_tok": 2,
    "moe_intermediate_size": 768,
    "optimization_config": {"moe_num_experts": 8},
}
_AWQ_128 = {"method": "awq", "bits": 4, "group_size": 128}


def _split(tp: int, **root: object) -> dict[str, object]:
    """A root dict of `root` fields, over `tp` tensor-parallel GPUs."""
    parallel = dict(root.pop("parallel_config", {}))  # type: ignore[call-overload]
    return {
        **root,
        "parallel_config": {"tensor_parallel_size": tp, **parallel},
    }


def _refused_split(tp: int, *reasons: str) -> tuple[str, str]:
    """The one problem splits_evenly reports for `tp` GPUs and `reasons`."""
    return (
        TP,
        f"vLLM cannot split the model over {tp} GPUs: "
        + "; ".join(reasons)
        + f" (got {tp})",
    )


def _accepted_sizes(config: Qwen3VLConfig) -> list[int]:
    """The tensor-parallel sizes from 1 to 16 that `config` accepts."""
    accepted = []
    for tp in range(1, 17):
        try:
            apply_updates(config, {TP: tp})
        except ConfigError:
            continue
        accepted.append(tp)
    return accepted


#: Real checkpoint -> the tensor-parallel sizes from 1 to 16 vLLM starts it
#: with: those dividing the attention heads and the vision heads, whose
#: key/value heads a GPU holds whole or shares, whose MLP widths split, and
#: whose AWQ groups stay whole on each GPU.
REAL_SIZES = {
    "Qwen2-VL-2B-Instruct.config.json": [1, 2, 4],
    # down_proj's 8960 inputs over 4 GPUs: 2240, 17.5 groups of 128.
    "Qwen2-VL-2B-Instruct-AWQ.config.json": [1, 2],
    "Qwen2-VL-7B-Instruct.config.json": [1, 2, 4],
    # The vision MLP's 3420 splits over 4 GPUs, not 8.
    "Qwen2.5-VL-3B-Instruct.config.json": [1, 2, 4],
    "Qwen2.5-VL-7B-Instruct.config.json": [1, 2, 4],
    "olmOCR-2-7B-1025-FP8.config.json": [1, 2, 4],
    "Qwen3-VL-2B-Instruct.config.json": [1, 2, 4, 8, 16],
    "Qwen3-VL-4B-Instruct.config.json": [1, 2, 4, 8, 16],
    "Qwen3-VL-8B-Instruct.config.json": [1, 2, 4, 8, 16],
    # 4 key/value heads, replicated over 8 and 16 GPUs.
    "Qwen3-VL-30B-A3B-Instruct.config.json": [1, 2, 4, 8, 16],
    "Qwen3-VL-235B-A22B-Instruct.config.json": [1, 2, 4, 8, 16],
    # transformers' testers: an MLP of 37, 4 heads.
    "transformers-tests-qwen2_vl.config.json": [1],
    "transformers-tests-qwen2_5_vl.config.json": [1],
    "transformers-tests-qwen3_vl.config.json": [1],
    "transformers-tests-qwen3_vl_moe.config.json": [1, 2, 4],
}


class TestParallel:
    """The section's sizes and what vLLM can split (splits_evenly)."""

    def test_world_size_multiplies_the_three_sizes(self):
        """world_size is tensor x pipeline x data parallel; 1 by default."""
        assert 1 == ParallelConfig().world_size
        assert 24 == (
            ParallelConfig(
                tensor_parallel_size=2,
                pipeline_parallel_size=3,
                data_parallel_size=4,
                expert_parallel=True,
            ).world_size
        )

    def test_the_section_alone_knows_no_model(self):
        """ParallelConfig by itself checks only its own fields' ranges."""
        parallel = ParallelConfig(
            tensor_parallel_size=3,
            pipeline_parallel_size=4096,
            expert_parallel=True,
        )

        assert (3, 4096, True) == (
            parallel.tensor_parallel_size,
            parallel.pipeline_parallel_size,
            parallel.expert_parallel,
        )

    @pytest.mark.parametrize("name", sorted(REAL_SIZES))
    def test_real_checkpoints_split_as_vllm_splits_them(self, name):
        """Each real checkpoint accepts exactly the sizes vLLM starts it with."""
        assert REAL_SIZES[name] == _accepted_sizes(imported(name))

    def test_every_real_checkpoint_has_its_sizes(self):
        """REAL_SIZES covers every real config.json in tests/data."""
        assert HF_FILES == sorted(REAL_SIZES)

    def test_the_largest_checkpoint_refuses_three_gpus(self):
        """Qwen3-VL-235B-A22B over 3 GPUs: every width that 3 does not divide, in one problem."""
        config = imported("Qwen3-VL-235B-A22B-Instruct.config.json")

        problems = problems_of(lambda: apply_updates(config, {TP: 3}))

        assert [
            _refused_split(
                3,
                "the attention heads (64) do not split into 3 equal parts",
                "the key/value heads (4) are neither a multiple nor a divisor of 3",
                "the vision heads (16) do not split into 3 equal parts",
                "the vision MLP's intermediate sizes (4304) do not split into 3 equal parts",
            )
        ] == problems

    def test_the_vision_mlp_of_qwen2_5_vl_3b_refuses_eight(self):
        """Qwen2.5-VL-3B's vision MLP (3420) does not split over 8 GPUs."""
        config = imported("Qwen2.5-VL-3B-Instruct.config.json")

        problems = problems_of(lambda: apply_updates(config, {TP: 8}))

        assert [
            _refused_split(
                8,
                "the vision MLP's intermediate sizes (3420) do not split into 8 equal parts",
            )
        ] == problems

    def test_awq_groups_refuse_what_the_unquantized_model_accepts(self):
        """Qwen2-VL-2B splits over 4 GPUs; its AWQ checkpoint's down_proj groups do not."""
        plain = imported("Qwen2-VL-2B-Instruct.config.json")
        awq = imported("Qwen2-VL-2B-Instruct-AWQ.config.json")

        assert (
            4
            == apply_updates(
                plain, {TP: 4}
            ).parallel_config.tensor_parallel_size
        )
        assert [
            _refused_split(
                4,
                "down_proj's input per GPU (2240) is not whole awq groups of 128",
            )
        ] == problems_of(lambda: apply_updates(awq, {TP: 4}))

    def test_expert_parallel_on_a_real_dense_model_is_refused(self):
        """Qwen3-VL-8B has no experts to place."""
        config = imported("Qwen3-VL-8B-Instruct.config.json")

        problems = problems_of(lambda: apply_updates(config, {EP: True}))

        assert [
            (
                EP,
                (
                    "must be false: the model is dense (num_experts is 0), and"
                    " vLLM refuses expert parallelism without experts (got true)"
                ),
            )
        ] == problems

    def test_expert_parallel_on_a_real_moe_model_is_accepted(self):
        """Qwen3-VL-30B-A3B's 128 experts over 8 x 16 GPUs."""
        config = imported("Qwen3-VL-30B-A3B-Instruct.config.json")

        split = apply_updates(
            config,
            {
                "parallel_config": {
                    "tensor_parallel_size": 8,
                    "data_parallel_size": 16,
                    "expert_parallel": True,
                }
            },
        ).parallel_config

        assert (8, 16, True, 128) == (
            split.tensor_parallel_size,
            split.data_parallel_size,
            split.expert_parallel,
            split.world_size,
        )

    def test_more_stages_than_real_layers_is_refused(self):
        """Qwen3-VL-2B's 28 layers make at most 28 stages."""
        config = imported("Qwen3-VL-2B-Instruct.config.json")

        assert (
            28
            == apply_updates(
                config, {PP: 28}
            ).parallel_config.pipeline_parallel_size
        )
        assert [
            (
                PP,
                (
                    "must be at most num_hidden_layers (28): each stage holds at"
                    " least one layer (got 29)"
                ),
            )
        ] == problems_of(lambda: apply_updates(config, {PP: 29}))

    @pytest.mark.parametrize("tp", [1, 2, 4, 8, 16, 32])
    def test_the_default_model_splits_over_powers_of_two(self, tp):
        """32 heads, 11008 and 4304 wide MLPs, 16 vision heads: up to 16 GPUs, and 32 refused."""
        data = _split(tp)
        if tp == 32:
            assert [
                _refused_split(
                    32,
                    "the vision heads (16) do not split into 32 equal parts",
                    "the vision MLP's intermediate sizes (4304) do not split"
                    " into 32 equal parts",
                )
            ] == problems_of(lambda: Qwen3VLConfig.from_dict(data))
        else:
            assert tp == (
                Qwen3VLConfig.from_dict(
                    data
                ).parallel_config.tensor_parallel_size
            )

    def test_one_gpu_splits_nothing(self):
        """tensor_parallel_size 1 is never refused, whatever the widths."""
        config = Qwen3VLConfig.from_dict(
            _split(
                1,
                intermediate_size=11001,
                vision_intermediate_size=4305,
                quantization_config=_AWQ_128,
            )
        )

        assert 1 == config.parallel_config.tensor_parallel_size

    @pytest.mark.parametrize(
        ("tp", "root", "reason"),
        [
            pytest.param(
                8,
                {
                    "preserve_full_capacity": False,
                    "num_attention_heads": 12,
                    "num_key_value_heads": 4,
                    "hidden_size": 1536,
                },
                "the attention heads (12) do not split into 8 equal parts",
                id="attention-heads",
            ),
            pytest.param(
                4,
                {
                    "preserve_full_capacity": False,
                    "num_attention_heads": 24,
                    "num_key_value_heads": 6,
                    "hidden_size": 3072,
                },
                "the key/value heads (6) are neither a multiple nor a divisor of 4",
                id="kv-heads-more-than-gpus",
            ),
            pytest.param(
                8,
                {
                    "preserve_full_capacity": False,
                    "num_attention_heads": 24,
                    "num_key_value_heads": 6,
                    "hidden_size": 3072,
                },
                "the key/value heads (6) are neither a multiple nor a divisor of 8",
                id="kv-heads-fewer-than-gpus",
            ),
            pytest.param(
                2,
                {"intermediate_size": 11001},
                "the MLP's intermediate sizes (11001) do not split into 2 equal parts",
                id="mlp",
            ),
            pytest.param(
                2,
                {**_EIGHT_EXPERTS, "moe_intermediate_size": 769},
                "the experts' intermediate sizes (769) do not split into 2 equal parts",
                id="experts",
            ),
            pytest.param(
                8,
                {"vision_num_attention_heads": 12},
                "the vision heads (12) do not split into 8 equal parts",
                id="vision-heads",
            ),
            pytest.param(
                4,
                {"vision_intermediate_size": 4306},
                "the vision MLP's intermediate sizes (4306) do not split into 4 equal parts",
                id="vision-mlp",
            ),
            pytest.param(
                16,
                {
                    "head_dim": 96,
                    "mrope_section": [16, 16, 16],
                    "intermediate_size": 12288,
                    "quantization_config": _AWQ_128,
                },
                "o_proj's input per GPU (192) is not whole awq groups of 128",
                id="awq-o-proj",
            ),
            pytest.param(
                4,
                {"quantization_config": _AWQ_128},
                "down_proj's input per GPU (2752) is not whole awq groups of 128",
                id="awq-down-proj",
            ),
            pytest.param(
                16,
                _EIGHT_EXPERTS,
                "there are more GPUs (16) than experts (8)",
                id="more-gpus-than-experts",
            ),
            pytest.param(
                4,
                {**_EIGHT_EXPERTS, "quantization_config": _AWQ_128},
                "the experts' input per GPU (192) is not whole awq groups of 128",
                id="awq-experts",
            ),
            pytest.param(
                4,
                {"quantization_config": {**_AWQ_128, "method": "gptq"}},
                "down_proj's input per GPU (2752) is not whole gptq groups of 128",
                id="gptq-down-proj",
            ),
        ],
    )
    def test_each_width_that_does_not_split_is_the_reason(
        self, tp, root, reason
    ):
        """Each reason alone, in one problem at tensor_parallel_size."""
        problems = problems_of(
            lambda: Qwen3VLConfig.from_dict(_split(tp, **root))
        )

        assert [_refused_split(tp, reason)] == problems

    @pytest.mark.parametrize(
        ("tp", "root"),
        [
            pytest.param(
                2,
                {
                    "preserve_full_capacity": False,
                    "num_attention_heads": 24,
                    "num_key_value_heads": 6,
                    "hidden_size": 3072,
                },
                id="kv-heads-a-multiple-of-the-gpus",
            ),
            pytest.param(
                16,
                {"num_key_value_heads": 4},
                id="kv-heads-replicated",
            ),
            pytest.param(
                32,
                {
                    "vision_num_attention_heads": 32,
                    "vision_intermediate_size": 4320,
                },
                id="32-gpus",
            ),
            pytest.param(
                2,
                {**_EIGHT_EXPERTS, "intermediate_size": 11001},
                id="moe-without-dense-layers-skips-the-mlp",
            ),
            pytest.param(
                2,
                {
                    **_EIGHT_EXPERTS,
                    "moe_intermediate_size": 769,
                    "parallel_config": {"expert_parallel": True},
                },
                id="expert-parallel-keeps-experts-whole",
            ),
            pytest.param(
                2,
                {"quantization_config": _AWQ_128},
                id="awq-whole-groups",
            ),
            pytest.param(
                8,
                {
                    **_EIGHT_EXPERTS,
                    "quantization_config": _AWQ_128,
                    "parallel_config": {"expert_parallel": True},
                },
                id="awq-experts-whole-under-expert-parallel",
            ),
            pytest.param(
                8,
                {"quantization_config": {**_AWQ_128, "group_size": -1}},
                id="awq-one-group-per-column",
            ),
            pytest.param(
                8,
                {
                    "quantization_config": {
                        "method": "fp8",
                        "bits": 8,
                        "weight_block_size": [128, 128],
                    }
                },
                id="fp8-not-grouped",
            ),
        ],
    )
    def test_splits_at_the_edges_are_accepted(self, tp, root):
        """Widths that just split, replicated key/value heads, groups that stay whole."""
        config = Qwen3VLConfig.from_dict(_split(tp, **root))

        assert tp == config.parallel_config.tensor_parallel_size

    @pytest.mark.parametrize(
        "root",
        [{"mlp_only_layers": [3]}, {"decoder_sparse_step": 2}],
        ids=["mlp-only-layers", "sparse-step"],
    )
    def test_dense_layers_of_a_moe_model_split_their_mlp(self, root):
        """A MoE model with dense layers splits intermediate_size too."""
        problems = problems_of(
            lambda: Qwen3VLConfig.from_dict(
                _split(2, **_EIGHT_EXPERTS, intermediate_size=11001, **root)
            )
        )

        assert [
            _refused_split(
                2,
                "the MLP's intermediate sizes (11001) do not split into 2 equal parts",
            )
        ] == problems

    def test_awq_groups_are_measured_only_when_the_widths_split(self):
        """A width that does not split is the reason; groups are not measured on it."""
        problems = problems_of(
            lambda: Qwen3VLConfig.from_dict(
                _split(
                    8,
                    vision_num_attention_heads=12,
                    quantization_config=_AWQ_128,
                )
            )
        )

        assert [
            _refused_split(
                8, "the vision heads (12) do not split into 8 equal parts"
            )
        ] == problems

    def test_every_group_that_breaks_is_a_reason(self):
        """o_proj and down_proj both short of whole groups: both named, in order."""
        problems = problems_of(
            lambda: Qwen3VLConfig.from_dict(
                _split(
                    16,
                    head_dim=96,
                    mrope_section=[16, 16, 16],
                    quantization_config=_AWQ_128,
                )
            )
        )

        assert [
            _refused_split(
                16,
                "o_proj's input per GPU (192) is not whole awq groups of 128",
                "down_proj's input per GPU (688) is not whole awq groups of 128",
            )
        ] == problems

    @pytest.mark.parametrize("stages", [1, 31, 32])
    def test_stages_up_to_the_layers_are_accepted(self, stages):
        """One layer a stage at most: 32 stages for the default's 32 layers."""
        config = Qwen3VLConfig.from_dict(
            {"parallel_config": {"pipeline_parallel_size": stages}}
        )

        assert stages == config.parallel_config.pipeline_parallel_size

    def test_more_stages_than_layers_are_refused(self):
        """33 stages of 32 layers leave one empty."""
        problems = problems_of(
            lambda: Qwen3VLConfig.from_dict(
                {"parallel_config": {"pipeline_parallel_size": 33}}
            )
        )

        assert [
            (
                PP,
                (
                    "must be at most num_hidden_layers (32): each stage holds at"
                    " least one layer (got 33)"
                ),
            )
        ] == problems

    def test_expert_parallel_on_a_dense_model_is_refused(self):
        """The default model has no experts."""
        problems = problems_of(
            lambda: Qwen3VLConfig.from_dict(
                {"parallel_config": {"expert_parallel": True}}
            )
        )

        assert [
            (
                EP,
                (
                    "must be false: the model is dense (num_experts is 0), and"
                    " vLLM refuses expert parallelism without experts (got true)"
                ),
            )
        ] == problems

    @pytest.mark.parametrize(
        ("tp", "dp"), [(1, 1), (1, 8), (8, 1), (4, 2), (2, 4)]
    )
    def test_expert_parallel_up_to_one_expert_a_gpu_is_accepted(self, tp, dp):
        """tensor x data parallel GPUs up to the experts each hold one or more."""
        config = Qwen3VLConfig.from_dict(
            {
                **_EIGHT_EXPERTS,
                "parallel_config": {
                    "tensor_parallel_size": tp,
                    "data_parallel_size": dp,
                    "expert_parallel": True,
                },
            }
        )

        assert config.parallel_config.expert_parallel

    @pytest.mark.parametrize(("tp", "dp"), [(4, 3), (1, 9), (2, 5)])
    def test_expert_parallel_over_more_gpus_than_experts_is_refused(
        self, tp, dp
    ):
        """A GPU would hold no expert."""
        problems = problems_of(
            lambda: Qwen3VLConfig.from_dict(
                {
                    **_EIGHT_EXPERTS,
                    "parallel_config": {
                        "tensor_parallel_size": tp,
                        "data_parallel_size": dp,
                        "expert_parallel": True,
                    },
                }
            )
        )

        assert [
            (
                EP,
                (
                    f"must be false while tensor x data parallel ({tp * dp}) is"
                    " more than the experts (8): a GPU would hold none (got true)"
                ),
            )
        ] == problems

    def test_data_parallel_alone_needs_no_experts(self):
        """Replicas of a dense model are not expert parallelism."""
        config = Qwen3VLConfig.from_dict(
            {"parallel_config": {"data_parallel_size": 4096}}
        )

        assert 4096 == config.parallel_config.world_size

    def test_every_branch_is_reported_together(self):
        """Each broken branch is one problem at its own path, in one error."""
        problems = problems_of(
            lambda: Qwen3VLConfig.from_dict(
                {
                    "parallel_config": {
                        "tensor_parallel_size": 3,
                        "pipeline_parallel_size": 33,
                        "expert_parallel": True,
                    }
                }
            )
        )

        assert [EP, PP, TP] == [p for p, _ in problems]

    def test_the_rule_skips_a_section_with_a_bad_field(self):
        """A bad parallel field is reported alone; the rule does not run on it."""
        problems = problems_of(
            lambda: Qwen3VLConfig.from_dict(
                {
                    "parallel_config": {
                        "tensor_parallel_size": 3,
                        "data_parallel_size": 0,
                    }
                }
            )
        )

        assert ["parallel_config.data_parallel_size"] == [
            p for p, _ in problems
        ]

    def test_a_changed_model_is_checked_against_the_sizes(self):
        """apply_updates of the architecture alone meets the kept sizes."""
        split = Qwen3VLConfig.from_dict(_split(16))

        problems = problems_of(
            lambda: apply_updates(split, {"vision_intermediate_size": 3420})
        )

        assert [
            _refused_split(
                16,
                "the vision MLP's intermediate sizes (3420) do not split into 16 equal parts",
            )
        ] == problems

    def test_environment_variables_name_the_section(self):
        """QWEN3VL_PARALLEL_CONFIG__... sets a field; the rule names the variable."""
        name = "QWEN3VL_PARALLEL_CONFIG__TENSOR_PARALLEL_SIZE"
        config = load_config(
            env={
                name: "8",
                "QWEN3VL_PARALLEL_CONFIG__PIPELINE_PARALLEL_SIZE": "2",
                "QWEN3VL_PARALLEL_CONFIG__DATA_PARALLEL_SIZE": "3",
            }
        )

        assert (8, 2, 3, 48) == (
            config.parallel_config.tensor_parallel_size,
            config.parallel_config.pipeline_parallel_size,
            config.parallel_config.data_parallel_size,
            config.parallel_config.world_size,
        )
        error = refusal(lambda: load_config(env={name: "3"}))
        assert [(TP, name)] == [(p.path, p.source) for p in error.problems]


# -- fingerprint ----------------------------------------------------------

FINGERPRINTED = apply_updates(
    Qwen3VLConfig.from_preset("aggressive", H100),
    {
        "memory_config.swap_threshold": 0.1,
        "memory_config.memory_pool_size": 3 * GiB + 1,
        "power_management_config.adaptation_frequency": 1e-3,
        "vocab_size": 151_936,
    },
)


def _alternatives(value: object) -> list[object]:
    """Candidate values for a leaf, other than `value`, most of them valid."""
    if isinstance(value, bool):
        return [not value]
    if isinstance(value, tuple):
        if not value:
            return [(1,), (0,)]
        # Same length and sum (rules may pin the sum), then other shapes.
        shifted = (value[0] + 1, value[1] - 1, *value[2:])
        return [shifted, (7, 0), (9, 0), value[:-1], (*value, value[-1] + 1)]
    if isinstance(value, str):
        return [
            "minimal",
            "high",
            "sdpa",
            "scalar",
            "gelu",
            "some_other_machine",
            "float16",
            "linear",
            "fp16",
            "int8",
        ]
    if isinstance(value, float):
        return [value / 2, value * 2, value + 1]
    assert isinstance(value, int)
    return [value + 1, value * 2, value - 1, value // 2, value + 2, 8, 4096]


# Leaves that a rule ties to others, so they can only change together, with
# a change that moves them together; the layout version has one valid value
# so far.  Only the leaves the schema has count.
_QWEN2 = {
    "attention_bias": True,
    "mrope_interleaved": False,
    "vision_deepstack_visual_indexes": [],
    "vision_num_position_embeddings": 0,
}
_QWEN2_5 = {
    **_QWEN2,
    "model_family": "qwen2_5_vl",
    "vision_window_size": 112,
    "vision_tokens_per_second": 2,
    "vision_fullatt_block_indexes": [7, 15, 23],
}
_YARN = {"rope_scaling_config.rope_type": "yarn"}
_LONGROPE = {
    "rope_scaling_config.rope_type": "longrope",
    "rope_scaling_config.short_factor": [1.0],
    "rope_scaling_config.long_factor": [2.0],
}
_LLAMA3 = {
    "rope_scaling_config.rope_type": "llama3",
    "rope_scaling_config.original_max_position_embeddings": 8192,
}
_FP8 = {
    "quantization_config.method": "fp8",
    "quantization_config.bits": 8,
    "quantization_config.weight_block_size": [128, 128],
}
_AWQ = {
    "quantization_config.method": "awq",
    "quantization_config.bits": 4,
    "quantization_config.group_size": 128,
}
_COUPLED = {
    "config_version": None,
    "model_family": {
        **_QWEN2,
        "model_family": "qwen2_vl",
        "vision_intermediate_size": 4608,
    },
    "vision_window_size": _QWEN2_5,
    "vision_fullatt_block_indexes": _QWEN2_5,
    "vision_tokens_per_second": _QWEN2_5,
    **{
        f"rope_scaling_config.{name}": {
            **_YARN,
            f"rope_scaling_config.{name}": value,
        }
        for name, value in (
            ("factor", 4.0),
            ("original_max_position_embeddings", 32768),
            ("attention_factor", 1.2),
            ("beta_fast", 16.0),
            ("beta_slow", 2.0),
            ("mscale", 0.7),
            ("mscale_all_dim", 0.7),
            ("truncate", False),
        )
    },
    "rope_scaling_config.short_factor": _LONGROPE,
    "rope_scaling_config.long_factor": _LONGROPE,
    "rope_scaling_config.low_freq_factor": {
        **_LLAMA3,
        "rope_scaling_config.low_freq_factor": 2.0,
    },
    "rope_scaling_config.high_freq_factor": {
        **_LLAMA3,
        "rope_scaling_config.high_freq_factor": 8.0,
    },
    "quantization_config.method": _FP8,
    "quantization_config.bits": _FP8,
    "quantization_config.weight_block_size": _FP8,
    "quantization_config.group_size": _AWQ,
    "quantization_config.modules_to_not_convert": {
        **_AWQ,
        "quantization_config.modules_to_not_convert": ["visual"],
    },
    "quantization_config.extra": {
        **_AWQ,
        "quantization_config.extra": '{"zero_point": true}',
    },
    "head_dim": {"head_dim": 64, "mrope_section": [16, 8, 8]},
    "num_experts": {
        "num_experts": 8,
        "num_experts_per_tok": 2,
        "moe_intermediate_size": 768,
        "optimization_config.moe_num_experts": 8,
    },
    # Expert parallelism needs experts.
    "parallel_config.expert_parallel": {
        "num_experts": 8,
        "num_experts_per_tok": 2,
        "moe_intermediate_size": 768,
        "optimization_config.moe_num_experts": 8,
        "parallel_config.expert_parallel": True,
    },
}
COUPLED_CHANGES = {k: v for k, v in _COUPLED.items() if k in LEAVES}


class TestFingerprint:
    """fingerprint is a stable hash of the content."""

    def test_equal_configs_equal_fingerprints(self):
        """Configs built in different ways but equal share the fingerprint."""
        a = Qwen3VLConfig(
            power_management_config=apply_updates(
                DEFAULT.power_management_config, {"thermal_constraint": 75}
            )
        )

        assert DEFAULT == a
        assert DEFAULT.fingerprint() == a.fingerprint()
        assert DEFAULT.fingerprint() == load_config(env={}).fingerprint()
        assert 64 == len(DEFAULT.fingerprint())
        assert all(c in "0123456789abcdef" for c in DEFAULT.fingerprint())

    def test_negative_zero_equals_zero(self):
        """A ratio of -0.0 equals 0.0, so the fingerprints are equal too."""
        zero = apply_updates(DEFAULT, {SPARSITY: 0.0})
        negative = load_config(
            env={"QWEN3VL_OPTIMIZATION_CONFIG__SPARSITY_RATIO": "-0"}
        )

        assert zero == negative
        assert [] == diff(zero, negative)
        assert zero.fingerprint() == negative.fingerprint()

    def test_every_single_leaf_change_changes_it(self):
        """Changing any one leaf that can change gives another fingerprint."""
        unchangeable = []
        for path in LEAVES:
            old = value_at(DEFAULT, path)
            for candidate in _alternatives(old):
                if candidate == old:
                    continue
                try:
                    changed = apply_updates(DEFAULT, {path: candidate})
                except ConfigError:
                    continue
                assert [path] == [p for p, _, _ in diff(DEFAULT, changed)]
                assert DEFAULT.fingerprint() != changed.fingerprint(), path
                assert changed != DEFAULT, path
                assert not changed == DEFAULT, path  # noqa: SIM201
                break
            else:
                unchangeable.append(path)

        assert sorted(COUPLED_CHANGES) == sorted(unchangeable)

    @pytest.mark.parametrize(
        "patch", [p for p in COUPLED_CHANGES.values() if p is not None]
    )
    def test_coupled_leaf_change_changes_it(self, patch):
        """Leaves that can only change together change the fingerprint too."""
        changed = apply_updates(DEFAULT, patch)

        assert DEFAULT.fingerprint() != changed.fingerprint()

    def test_sections_have_fingerprints_too(self):
        """A section's fingerprint follows its content."""
        assert CPUConfig().fingerprint() == CPUConfig().fingerprint()
        assert (
            CPUConfig().fingerprint() != CPUConfig(num_threads=8).fingerprint()
        )

    @pytest.mark.parametrize("config", [DEFAULT, FINGERPRINTED])
    def test_same_across_file_formats(self, tmp_path, config):
        """Saved as JSON, YAML and TOML and read back, the fingerprint holds."""
        prints = set()
        for suffix in (".json", ".yaml", ".toml"):
            path = tmp_path / f"config{suffix}"
            config.save_to_file(path)
            prints.add(Qwen3VLConfig.from_file(path).fingerprint())
            prints.add(load_config(path, env={}).fingerprint())

        assert {config.fingerprint()} == prints

    @settings(
        DISK_EXAMPLES,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(config=CONFIGS)
    def test_any_config_same_across_file_formats(self, tmp_path, config):
        """Any valid config keeps its fingerprint through every format."""
        for suffix in (".json", ".yaml", ".toml"):
            path = tmp_path / f"any{suffix}"
            config.save_to_file(path)

            assert config.fingerprint() == (
                Qwen3VLConfig.from_file(path).fingerprint()
            )

    def test_same_in_another_process(self):
        """A fresh interpreter with other hash seeds computes the same value."""
        script = (
            "import json, sys\n"
            "from qwen3vl import Qwen3VLConfig\n"
            "data = json.load(sys.stdin)\n"
            "print(Qwen3VLConfig.from_dict(data).fingerprint())\n"
        )
        data = json.dumps(FINGERPRINTED.to_dict())
        prints = set()
        for seed in ("0", "123456789"):
            result = subprocess.run(
                [sys.executable, "-c", script],
                input=data,
                capture_output=True,
                text=True,
                check=True,
                timeout=60,
                env={**os.environ, "PYTHONHASHSEED": seed},
            )
            prints.add(result.stdout.strip())

        assert {FINGERPRINTED.fingerprint()} == prints


class TestSaveWithBase:
    """Issue 15: save_to_file(path, base=...) writes one's own changes only."""

    @pytest.mark.parametrize("suffix", [".json", ".yaml", ".toml"])
    def test_only_what_differs_and_the_version(self, tmp_path, suffix):
        """The file holds config_version and the changed settings, as files write them."""
        from qwen3vl._formats import read_document

        tuned = apply_updates(
            DEFAULT,
            {
                "gpu_config.attention_implementation": "sdpa",
                "memory_config.gpu_memory_size": "12GiB",
                "mrope_section": [32, 16, 16],
            },
        )
        path = tmp_path / f"tweaks{suffix}"

        tuned.save_to_file(path, base=DEFAULT)

        assert {
            "config_version": 1,
            "mrope_section": [32, 16, 16],  # a list is written whole
            "memory_config": {"gpu_memory_size": "12GiB"},
            "gpu_config": {"attention_implementation": "sdpa"},
        } == read_document(path)[0]

    def test_nothing_changed_writes_the_version_alone(self, tmp_path):
        """A config saved against itself is config_version alone."""
        DEFAULT.save_to_file(tmp_path / "same.toml", base=DEFAULT)

        assert "config_version = 1\n" == (tmp_path / "same.toml").read_text(
            "utf-8"
        )
        assert DEFAULT == Qwen3VLConfig.from_file(tmp_path / "same.toml")

    def test_a_section_against_its_base(self, tmp_path):
        """A section has no config_version: only its changes are written."""
        base = MemoryConfig()
        tuned = attrs.evolve(base, gpu_memory_size=3 * GiB)

        tuned.save_to_file(tmp_path / "memory.json", base=base)

        assert {"gpu_memory_size": "3GiB"} == json.loads(
            (tmp_path / "memory.json").read_text("utf-8")
        )
        assert tuned == MemoryConfig.from_file(tmp_path / "memory.json")

    def test_a_base_of_another_class_is_a_type_error(self, tmp_path):
        """base must be a config of the same class."""
        with pytest.raises(TypeError, match="base must be a Qwen3VLConfig"):
            DEFAULT.save_to_file(tmp_path / "x.toml", base=MemoryConfig())

        assert not (tmp_path / "x.toml").exists()

    def test_loading_over_another_base_keeps_the_changes(self, tmp_path):
        """The changes reload over another machine's presets, the rest theirs."""
        tuned = apply_updates(DEFAULT, {"cpu_config.num_workers": 2})
        tuned.save_to_file(tmp_path / "tweaks.yaml", base=DEFAULT)

        config = load_config(
            tmp_path / "tweaks.yaml",
            hardware_target=H100,
            env=False,
        )

        assert 2 == config.cpu_config.num_workers
        assert (9, 0) == config.gpu_config.gpu_compute_capability

    @settings(
        DISK_EXAMPLES,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(config=CONFIGS, base=CONFIGS)
    def test_changes_over_the_base_give_the_config_back(
        self, tmp_path, config, base
    ):
        """For any two configs, the base patched with the file is the config."""
        from qwen3vl._formats import read_document

        path = tmp_path / "changes.toml"
        config.save_to_file(path, base=base)

        assert config == apply_updates(base, read_document(path)[0])
