"""
Uses of the public API as a caller writes them; type-checked, never run.
"""

from __future__ import annotations

import attrs

from qwen3vl import (
    ConfigError,
    CPUConfig,
    GiB,
    GPUConfig,
    HardwareMismatchWarning,
    HFImport,
    MemoryConfig,
    OptimizationConfig,
    Problem,
    Qwen3VLConfig,
    UnmappedKeyWarning,
    apply_updates,
    import_hf_config,
    load_config,
)


config = Qwen3VLConfig(
    gpu_config=GPUConfig(gpu_compute_capability=(8, 0)),
    cpu_config=CPUConfig(num_threads=8, l3_cache_size=32 * 1024 * 1024),
    memory_config=MemoryConfig(gpu_memory_size=24 * GiB),
    optimization_config=OptimizationConfig(use_moe=False),
    optimization_level="aggressive",
)
layers: int = config.num_hidden_layers
capability: tuple[int, int] = config.gpu_config.gpu_compute_capability
ratio: float = config.optimization_config.sparsity_ratio

updated: Qwen3VLConfig = apply_updates(
    config, {"gpu_config.use_tensor_cores": False}
)
section: GPUConfig = apply_updates(
    config.gpu_config, {"use_tensor_cores": False}
)
evolved: Qwen3VLConfig = attrs.evolve(config, vocab_size=1000)

loaded: Qwen3VLConfig = Qwen3VLConfig.from_file("config.yaml")
from_data: GPUConfig = GPUConfig.from_dict({"use_tensor_cores": False})
data: dict[str, object] = config.to_dict()
config.save_to_file("config.toml")
config.validate()

try:
    Qwen3VLConfig.from_dict({"num_hidden_layers": "32"})
except ConfigError as e:
    problems: tuple[Problem, ...] = e.problems
    first_path: str = problems[0].path
    line: int | None = problems[0].line
    paths: list[str] = e.paths

pretrained: Qwen3VLConfig = Qwen3VLConfig.from_pretrained(
    "Qwen/Qwen3-VL-8B-Instruct"
)
hf_dict: dict[str, object] = pretrained.to_hf_dict()
report: HFImport[Qwen3VLConfig] = import_hf_config(hf_dict)
imported: Qwen3VLConfig = report.config
unmapped: dict[str, object] = report.unmapped
notes: tuple[str, ...] = report.ignored + report.notes
sections: tuple[int, int, int] = imported.mrope_section
taps: tuple[int, ...] = imported.vision_deepstack_visual_indexes
warning_keys: tuple[str, ...] = UnmappedKeyWarning("x", ("a",)).keys

# Hardware: a machine, the findings, the effective config, the plan.
from qwen3vl import (  # noqa: E402
    Finding,
    HardwareProfile,
    MemoryEstimate,
    Resolution,
    TierPlan,
    check_config,
    detect_hardware,
    estimate_memory,
    plan_memory,
    resolve_for_hardware,
)


host: HardwareProfile = detect_hardware()
target: HardwareProfile = HardwareProfile.from_target("cpu_only")
findings: list[Finding] = check_config(config, target)
errors: list[str] = [f.path for f in findings if f.severity == "error"]
resolution: Resolution = resolve_for_hardware(config, host)
effective: Qwen3VLConfig = resolution.config
estimate: MemoryEstimate = estimate_memory(config, context_tokens=4096)
weights: int = estimate.weight_bytes("bf16")
plan: TierPlan = plan_memory(effective, host)
fits: bool = plan.feasible
kv_dtype: str = plan.kv_cache_dtype
activations: int = estimate.activation_bytes("bf16")

# What is served: context, sequences, KV cache dtype, quantizing on load.
from qwen3vl import QuantizationConfig, RopeScalingConfig, ServingConfig  # noqa: E402


served = Qwen3VLConfig(
    serving_config=ServingConfig(
        max_context_tokens=8192,
        max_concurrent_sequences=4,
        kv_cache_dtype="fp8_e4m3",
        online_quantization="nf4",
    ),
    rope_scaling_config=RopeScalingConfig(),
    quantization_config=QuantizationConfig(),
)
context: int = served.serving_config.max_context_tokens
online: str = served.serving_config.online_quantization

# How many GPUs share the model: tensor, pipeline, data and expert parallel.
from qwen3vl import ParallelConfig  # noqa: E402


split = Qwen3VLConfig(
    parallel_config=ParallelConfig(
        tensor_parallel_size=8,
        pipeline_parallel_size=2,
        data_parallel_size=1,
        expert_parallel=False,
    ),
)
gpus: int = split.parallel_config.world_size
tensor_parallel: int = split.parallel_config.tensor_parallel_size
whole_experts: bool = split.parallel_config.expert_parallel

# The JSON Schema of configuration files, for editors.
from qwen3vl import config_schema  # noqa: E402


schema: dict[str, object] = config_schema()
schema_id: object = schema["$id"]

# The transformers integration type-checks without transformers installed:
# the model and its config are Any, as torch objects are to mypy here.
from qwen3vl.integrations.transformers import (  # noqa: E402
    build_model,
    load_kwargs,
    to_transformers_config,
    unsupported_flags,
)


from_pretrained_kwargs: dict[str, object] = load_kwargs(
    config, target, offload_folder="offload"
)
ignored_switches: tuple[str, ...] = unsupported_flags(config)
hf_config: object = to_transformers_config(config)
model: object = build_model(effective, host, offload_folder="offload")

with_model: Qwen3VLConfig = load_config(model="Qwen/Qwen3-VL-8B-Instruct")
mismatch_paths: tuple[str, ...] = HardwareMismatchWarning("x", ("a",)).paths
config.save_to_file("tweaks.toml", base=Qwen3VLConfig())
