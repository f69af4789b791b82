"""Plain helpers and constants shared by several test files."""

from __future__ import annotations

import json
import pathlib
import warnings

from collections.abc import Callable
from typing import Any

import pytest

from hypothesis import settings
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
    UnmappedKeyWarning,
    apply_updates,
    import_hf_config,
    load_config,
)
from qwen3vl._fields import leaf_paths
from qwen3vl._switches import TRANSFORMERS_COUNTERPARTS
from qwen3vl.hardware import DiskInfo, GPUInfo, HardwareProfile


#: The checkout's root folder.
ROOT = pathlib.Path(__file__).resolve().parents[1]

# -- classes and formats --------------------------------------------------

SECTION_CLASSES: tuple[type[BaseConfig], ...] = (
    MemoryConfig,
    CPUConfig,
    GPUConfig,
    PowerManagementConfig,
    OptimizationConfig,
    RopeScalingConfig,
    QuantizationConfig,
    ServingConfig,
    ParallelConfig,
)
CONFIG_CLASSES: tuple[type[BaseConfig], ...] = (
    *SECTION_CLASSES,
    Qwen3VLConfig,
)
#: Parametrizes a test over every config class, sections and root.
by_class = pytest.mark.parametrize(
    "cls", CONFIG_CLASSES, ids=lambda c: c.__name__
)

FORMATS = ("json", "yaml", "toml")
SUFFIXES = {"json": ".json", "yaml": ".yaml", "toml": ".toml"}
#: Parametrizes a test over the three file formats.
by_format = pytest.mark.parametrize("fmt", FORMATS)


# -- Hypothesis ------------------------------------------------------------


def fewer_examples(divisor: int) -> settings:
    """Return the loaded profile's settings with 1/`divisor` of its examples."""
    return settings(max_examples=max(1, settings().max_examples // divisor))


#: For properties that build several configs, or convert one, per example.
SLOW_EXAMPLES = fewer_examples(4)
#: For properties that write files per example (each save fsyncs twice).
DISK_EXAMPLES = fewer_examples(8)


# -- configs and dotted paths ---------------------------------------------

#: The specification's defaults.
DEFAULT = Qwen3VLConfig()
#: Every leaf path of the root config, in schema order.
LEAVES = list(leaf_paths(Qwen3VLConfig))

LEVEL = "optimization_level"
TARGET = "hardware_target"
FLASH = "optimization_config.use_flash_attention_2"
THREADS = "cpu_config.num_threads"
SPARSITY = "optimization_config.sparsity_ratio"

# Hardware presets.
CPU_ONLY = "cpu_only"
AMD = "amd_ryzen9_5950x_nvidia_rtx3090_nvme"
H100 = "intel_xeon_8480_nvidia_h100_sxm_nvme"


def value_at(config: object, path: str) -> Any:
    """Return the value at dotted `path` of `config`."""
    for part in path.split("."):
        config = getattr(config, part)
    return config


def as_text(path: str, value: Any) -> str:
    """Return the value of `path` written as an environment variable holds it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if path.endswith("gpu_compute_capability"):
        return ".".join(str(part) for part in value)
    if isinstance(value, tuple):
        return ",".join(str(part) for part in value)
    if isinstance(value, float):
        return repr(value)
    return str(value)


def write_config(folder: Any, name: str, text: str) -> str:
    """Write `text` with a config_version to `folder`/`name`; return its path."""
    if name.endswith(".json"):
        text = json.dumps({"config_version": 1, **json.loads(text)})
    elif name.endswith(".toml"):
        text = "config_version = 1\n" + text
    else:
        text = "config_version: 1\n" + text
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return str(path)


# -- Hugging Face config.json files ---------------------------------------

#: Real config.json files of released checkpoints.
DATA = ROOT / "tests" / "data" / "hf-configs"
DENSE = "Qwen3-VL-4B-Instruct.config.json"
MOE = "Qwen3-VL-30B-A3B-Instruct.config.json"


def real(name: str) -> dict[str, Any]:
    """Return a fresh copy of one of the real config.json files."""
    data: dict[str, Any] = json.loads((DATA / name).read_text("utf-8"))
    return data


#: Every config.json under tests/data/hf-configs, by file name.
HF_FILES = sorted(path.name for path in DATA.glob("*.json"))
#: The files of quantized checkpoints.
QUANTIZED = [name for name in HF_FILES if "quantization_config" in real(name)]

#: Files that our rules refuse though transformers reads them: file name ->
#: (the problem's path, a regex of its message).  transformers' Qwen3-VL
#: testers give mrope_section [16, 8, 8] to 8-wide heads (4 rotary
#: frequencies); the interleaved layout only slices, so transformers runs it.
REFUSED: dict[str, tuple[str, str]] = dict.fromkeys(
    (
        "transformers-tests-qwen3_vl.config.json",
        "transformers-tests-qwen3_vl_moe.config.json",
    ),
    (
        "text_config.rope_parameters.mrope_section",
        r"must add up to head_dim / 2 \(4\)",
    ),
)


def readable(name: str) -> dict[str, Any]:
    """
    Return a real file, made valid for us where `REFUSED` says it is not.

    The testers' [16, 8, 8] becomes [2, 1, 1], the sections that their
    interleaved slicing reaches in 4 frequencies: the same model.
    """
    data = real(name)
    if name in REFUSED:
        data["text_config"]["rope_parameters"]["mrope_section"] = [2, 1, 1]
    return data


def imported(name: str) -> Qwen3VLConfig:
    """
    Return a real file imported by `import_hf_config`, as its own family.

    Files `REFUSED` says we refuse are imported as `readable` makes them;
    keys that no field holds are not this helper's concern.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnmappedKeyWarning)
        return import_hf_config(readable(name)).config


# Qwen2.5-VL-7B-Instruct's config.json as released: text keys flat.
QWEN2_5_VL: dict[str, Any] = real("Qwen2.5-VL-7B-Instruct.config.json")

# Qwen2-VL-2B-Instruct's config.json as released: flat, and its vision part
# names its width embed_dim and its output width hidden_size.
QWEN2_VL: dict[str, Any] = real("Qwen2-VL-2B-Instruct.config.json")


# -- refusals --------------------------------------------------------------


def refusal(
    call: Callable[..., object], *args: Any, **kwargs: Any
) -> ConfigError:
    """Return the ConfigError that ``call(*args, **kwargs)`` raises."""
    with pytest.raises(ConfigError) as info:
        call(*args, **kwargs)
    return info.value


def assert_well_formed(e: ConfigError, source: str | None = None) -> None:
    """Check that `e` lists problems with a path, a message and `source`."""
    assert len(e.problems) >= 1
    for problem in e.problems:
        assert isinstance(problem.path, str)
        assert isinstance(problem.message, str)
        assert "" != problem.message
        if source is not None:
            assert source == problem.source, problem
    assert "" != str(e)


# -- machines ---------------------------------------------------------------


def gpu(cc=(9, 0), memory=80 * GiB, bandwidth=3352.0, name="H100 SXM"):
    """A GPU for a test profile."""
    return GPUInfo(
        name=name,
        compute_capability=cc,
        memory_bytes=memory,
        memory_bandwidth_gbps=bandwidth,
    )


def machine(**changes):
    """A roomy Hopper machine that no default setting strains."""
    base = {
        "cpu_model": "test CPU",
        "physical_cores": 32,
        "logical_cpus": 64,
        "simd": "avx512",
        "memory_total_bytes": 1024 * GiB,
        "memory_available_bytes": 1000 * GiB,
        "gpus": (gpu(),),
        "disk": DiskInfo(path="/", kind="nvme", free_bytes=4096 * GiB),
    }
    return HardwareProfile(**{**base, **changes})


#: The switches transformers has no counterpart for, each an info finding.
NO_COUNTERPART = [
    name for name, does in TRANSFORMERS_COUNTERPARTS.items() if does is None
]


def on_target(name: str, target: str) -> Qwen3VLConfig:
    """The real checkpoint `name` with the hardware preset of `target`."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # keys of config.json we do not map
        return load_config(
            model=DATA / name, hardware_target=target, env=False
        )


def errors(findings):
    """The error findings among `findings`."""
    return [f for f in findings if f.severity == "error"]


def fitting(**patch):
    """A config that fits the roomy machine, with `patch` applied."""
    base = {
        "num_experts": 0,
        "optimization_config": {
            "use_moe": False,
            **dict.fromkeys(NO_COUNTERPART, False),
        },
        "gpu_config": {
            "gpu_compute_capability": [9, 0],
            "memory_bandwidth_gbps": 3352.0,
        },
        "memory_config": {
            "gpu_memory_size": "80GiB",
            "memory_pool_size": "8GiB",
        },
        "max_position_embeddings": 4096,
        "cpu_config": {"simd_instruction_set": "avx512"},
    }
    config = apply_updates(Qwen3VLConfig(), base)
    return apply_updates(config, patch) if patch else config


def paths(findings, severity=None):
    """The (severity, path) pairs of the findings, optionally of one severity."""
    return [
        (f.severity, f.path)
        for f in findings
        if severity is None or f.severity == severity
    ]


# -- fake /proc and /sys trees -------------------------------------------


def write_file(root: pathlib.Path, path: str, text: str) -> pathlib.Path:
    """Write `text` to `path` under `root`, making the folders on the way."""
    target = root / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target


# -- models -----------------------------------------------------------------


def qwen3_vl_8b() -> Qwen3VLConfig:
    """Qwen3-VL-8B-Instruct's architecture as released."""
    return Qwen3VLConfig(
        num_hidden_layers=36,
        num_attention_heads=32,
        num_key_value_heads=8,
        head_dim=128,
        hidden_size=4096,
        intermediate_size=12288,
        vocab_size=151936,
        max_position_embeddings=262144,
        tie_word_embeddings=False,
        vision_num_hidden_layers=27,
        vision_hidden_size=1152,
        vision_intermediate_size=4304,
        vision_num_attention_heads=16,
        vision_patch_size=16,
        vision_out_hidden_size=4096,
        vision_deepstack_visual_indexes=(8, 16, 24),
        vision_num_position_embeddings=2304,
        vision_spatial_merge_size=2,
        vision_temporal_patch_size=2,
    )


#: A small mixture of experts: layer 1 is sparse (every 2nd layer), layer 3
#: would be too but is kept dense by mlp_only_layers.
SMALL_MOE: dict[str, Any] = {
    "num_experts": 4,
    "num_experts_per_tok": 2,
    "moe_intermediate_size": 32,
    "decoder_sparse_step": 2,
    "mlp_only_layers": (3,),
    "optimization_config": OptimizationConfig(moe_num_experts=4, moe_top_k=2),
}


def small(**changes: Any) -> Qwen3VLConfig:
    """A tiny model, with `changes` on top."""
    fields: dict[str, Any] = {
        "preserve_full_capacity": False,
        "num_hidden_layers": 4,
        "num_attention_heads": 4,
        "num_key_value_heads": 2,
        "hidden_size": 64,
        "head_dim": 16,
        "mrope_section": (4, 2, 2),
        "intermediate_size": 128,
        "vocab_size": 1000,
        "max_position_embeddings": 4096,
        "vision_num_hidden_layers": 2,
        "vision_hidden_size": 32,
        "vision_num_attention_heads": 2,
        "vision_intermediate_size": 64,
        "vision_deepstack_visual_indexes": (0, 1),
        "vision_image_size": 64,
        "vision_patch_size": 16,
        "vision_num_position_embeddings": 16,
        **changes,
    }
    return Qwen3VLConfig(**fields)


#: Special tokens inside the tiny vocabulary, so that they can be embedded.
TOKENS = {
    "image_token_id": 990,
    "video_token_id": 991,
    "vision_start_token_id": 992,
    "vision_end_token_id": 993,
}


#: Bytes of the tiny model's parts at fp32 (a 64-token KV cache).
KV_CACHE, VISION, EMBEDDINGS, LAYER = 65_536, 566_656, 256_000, 148_096
#: What serving its 64 tokens keeps in memory: the activations of the
#: largest forward step, and the KV cache.
ACTIVATIONS = 200_608
SERVED = ACTIVATIONS + KV_CACHE


def tiny(
    memory_config: dict[str, Any] | None = None,
    gpu_config: dict[str, Any] | None = None,
    **architecture: Any,
) -> Qwen3VLConfig:
    """A four-layer model of 418 thousand parameters, on the CPU in fp32."""
    return apply_updates(
        small(**{**TOKENS, "max_position_embeddings": 64, **architecture}),
        {
            "memory_config": {
                "gpu_memory_size": 0,
                "memory_pool_size": 0,
                "enable_memory_swapping": False,
                **(memory_config or {}),
            },
            "gpu_config": {
                "use_mixed_precision": False,
                "attention_implementation": "sdpa",
                **(gpu_config or {}),
            },
        },
    )


def cpu_machine(memory: int) -> HardwareProfile:
    """A machine without a GPU, with `memory` bytes and a roomy disk."""
    return HardwareProfile(
        gpus=(),
        memory_total_bytes=memory,
        disk=DiskInfo(path="/offload", kind="nvme", free_bytes=GiB),
    )


def gpu_machine(
    cc: tuple[int, int], memory: int = 80 * GiB
) -> HardwareProfile:
    """A machine with one GPU of compute capability `cc`."""
    return HardwareProfile(
        gpus=(
            GPUInfo("test GPU", compute_capability=cc, memory_bytes=memory),
        ),
        memory_total_bytes=64 * GiB,
    )


def on_gpu(cc: tuple[int, int], **gpu_config: Any) -> Qwen3VLConfig:
    """The tiny model on a GPU of compute capability `cc`."""
    return tiny(
        memory_config={"gpu_memory_size": GiB, "memory_pool_size": 0},
        gpu_config={
            "gpu_compute_capability": list(cc),
            "use_mixed_precision": True,
            **gpu_config,
        },
    )
