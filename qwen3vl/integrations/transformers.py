"""
A `qwen3vl` configuration building, placing and loading a transformers model.

* `to_transformers_config`: transformers' own config class of the
  architecture's family (``Qwen3VLConfig``, ``Qwen3VLMoeConfig``,
  ``Qwen2_5_VLConfig`` or ``Qwen2VLConfig``);
* `load_kwargs`: the ``from_pretrained`` arguments that the memory plan,
  the precision and the attention settings imply on a machine;
* `build_model`: a model with random weights, placed by the same plan;
* `unsupported_flags`: the optimization switches that are on and that
  transformers has no counterpart for.

transformers, accelerate and torch come with the optional extra
(``pip install 'qwen3vl[transformers]'``) and are imported only inside the
functions that need them, so that importing this module never needs them.
docs/integration.md explains every choice.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import pathlib

from collections.abc import Mapping
from types import MappingProxyType, ModuleType
from typing import Any

from qwen3vl._sections import Qwen3VLConfig
from qwen3vl._switches import without_counterpart
from qwen3vl.exceptions import ConfigError, Problem
from qwen3vl.hardware import (
    HardwareProfile,
    TierPlan,
    detect_hardware,
    plan_memory,
)
from qwen3vl.hardware._plan import compute_capability


__all__ = [
    "build_model",
    "load_kwargs",
    "to_transformers_config",
    "unsupported_flags",
]

# The device accelerate's device maps name for each tier of the plan.
_DEVICES: Mapping[str, int | str] = MappingProxyType(
    {"gpu": 0, "cpu": "cpu", "ssd": "disk"}
)

# torch's name for each precision `implied_dtype` gives.
_TORCH_DTYPES: Mapping[str, str] = MappingProxyType(
    {"fp32": "float32", "fp16": "float16", "bf16": "bfloat16"}
)

_TEXT = "model.language_model"


def _require(name: str) -> ModuleType:
    """Import `name`, or say which extra installs it."""
    try:
        return importlib.import_module(name)
    except ImportError as error:
        msg = (
            f"qwen3vl.integrations.transformers needs {name}, which is not"
            " installed: pip install 'qwen3vl[transformers]'"
        )
        raise ImportError(msg, name=name) from error


def to_transformers_config(config: Qwen3VLConfig) -> Any:
    """
    Return transformers' own config class for the architecture of `config`.

    It is the class of the config's family (``Qwen3VLConfig``, or
    ``Qwen3VLMoeConfig`` when `num_experts` is non-zero; ``Qwen2_5_VLConfig``;
    ``Qwen2VLConfig``), read from `Qwen3VLConfig.to_hf_dict`: the same
    numbers.

    Raises:
        ImportError: transformers is not installed.

    .. versionadded:: 0.1.0
    """
    transformers = _require("transformers")
    return transformers.AutoConfig.for_model(**config.to_hf_dict())


def unsupported_flags(config: Qwen3VLConfig) -> tuple[str, ...]:
    """
    Return the optimization switches on in `config` that transformers cannot honour.

    Each is a field name of ``optimization_config`` (in field order) that
    has no counterpart in transformers or PyTorch, so a model loaded through
    transformers runs without it; ``check_config`` reports each one as an
    ``info`` finding.  Needs none of the optional packages.

    .. versionadded:: 0.1.0
    """
    return without_counterpart(config.optimization_config)


def _device_map(plan: TierPlan, *, tied: bool) -> dict[str, int | str]:
    """Map each module of the transformers model to its tier's device."""
    where = {
        p.part: _DEVICES[p.tier] for p in plan.placements if p.tier is not None
    }
    embeddings = where["embeddings"]
    device_map: dict[str, int | str] = {
        "model.visual": where["vision"],
        f"{_TEXT}.embed_tokens": embeddings,
        # The rotary embedding holds no weights, only a few buffers computed
        # from the config: it runs beside the embeddings, and never from
        # disk, where there is nothing of it to offload.
        f"{_TEXT}.rotary_emb": "cpu" if embeddings == "disk" else embeddings,
    }
    for i in range(len(plan.estimate.layer_params)):
        device_map[f"{_TEXT}.layers.{i}"] = where[f"layers.{i}"]
    device_map[f"{_TEXT}.norm"] = where["lm_head"]
    # A tied output layer is the embedding matrix itself (the estimate counts
    # it there), and transformers cannot tie two tensors that sit apart.
    device_map["lm_head"] = embeddings if tied else where["lm_head"]
    return device_map


def load_kwargs(
    config: Qwen3VLConfig,
    hardware: HardwareProfile | None = None,
    *,
    offload_folder: str | os.PathLike[str] | None = None,
) -> dict[str, Any]:
    """
    Return the ``from_pretrained`` arguments that `config` implies on a machine.

    The keys:

    * ``dtype``: the torch dtype of `implied_dtype`;
    * ``attn_implementation``: ``"flash_attention_2"`` where the config asks
      for it, the ``flash_attn`` package is installed and the GPU holding
      the model has compute capability 8.0 or newer; ``"eager"`` where the
      config asks for it; ``"sdpa"`` otherwise;
    * ``device_map``: each module of transformers' model to ``0`` (the
      GPU), ``"cpu"`` or ``"disk"``, as `plan_memory` places its part;
    * ``max_memory``: the plan's budgets, ``{0: gpu, "cpu": cpu}`` (no GPU
      key when the plan gives the GPU nothing);
    * ``offload_folder``: only when some part is on the SSD tier;
    * ``quantization_config``: only when
      ``serving_config.online_quantization`` is ``"int8"`` or ``"nf4"``: a
      ``BitsAndBytesConfig`` that quantizes the weights on load (LLM.int8(),
      or NF4 computing at the plan's dtype), with
      ``llm_int8_enable_fp32_cpu_offload`` where the plan puts weights off
      the GPU.

    The plan is the one `check_config` and `resolve_for_hardware` judge:
    what fits, loads.

    Args:
        config: The configuration to load the model by.
        hardware: The machine; ``None`` detects this one, as
            `check_config` does.
        offload_folder: The folder for weights offloaded to disk.  It is
            required when the plan uses the SSD tier, and left out of the
            result when it does not: nothing is written where nobody asked.

    Raises:
        ConfigError: the model does not fit the tiers (`check_config`
            says what to change), the plan uses the SSD tier and no
            `offload_folder` was given, or `serving_config` asks what
            transformers cannot do: quantizing to ``"fp8"`` on load (vLLM
            does it), or a KV cache at another dtype than the model's.
        ImportError: torch (or, for quantizing on load, transformers) is
            not installed.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0
       ``quantization_config`` for quantizing on load.
    """
    torch = _require("torch")
    machine = detect_hardware() if hardware is None else hardware
    plan = plan_memory(config, machine)
    _transformers_can_serve(config, plan)
    if not plan.feasible:
        first = plan.unplaced[0]
        raise ConfigError(
            [
                Problem(
                    "memory_config",
                    f"the model does not fit at {plan.dtype}:"
                    f" {len(plan.unplaced)} part(s) have no tier, first"
                    f" {first.part}; check_config says what to change",
                )
            ]
        )
    device_map = _device_map(plan, tied=config.tie_word_embeddings)
    kwargs: dict[str, Any] = {
        "dtype": getattr(torch, _TORCH_DTYPES[plan.dtype]),
        "attn_implementation": _attention(config, machine, device_map),
        "device_map": device_map,
        "max_memory": {
            **({0: plan.budgets["gpu"]} if plan.budgets["gpu"] > 0 else {}),
            "cpu": plan.budgets["cpu"],
        },
    }
    on_disk = [p.part for p in plan.placements if p.tier == "ssd"]
    if on_disk:
        if offload_folder is None:
            raise ConfigError(
                [
                    Problem(
                        "memory_config.ssd_memory_size",
                        f"the plan offloads {len(on_disk)} part(s) to the"
                        f" SSD tier, first {on_disk[0]}: pass"
                        " offload_folder, a folder on that disk",
                    )
                ]
            )
        kwargs["offload_folder"] = os.fspath(offload_folder)
    online = config.serving_config.online_quantization
    if online != "none":
        kwargs["quantization_config"] = _bitsandbytes(
            online, kwargs["dtype"], offloads=set(device_map.values()) != {0}
        )
    return kwargs


def _transformers_can_serve(config: Qwen3VLConfig, plan: TierPlan) -> None:
    """Refuse the serving settings whose memory transformers would not match."""
    serving = config.serving_config
    problems = []
    if serving.online_quantization == "fp8":
        problems.append(
            Problem(
                "serving_config.online_quantization",
                "quantizing to fp8 on load is vLLM's (--quantization fp8);"
                " transformers quantizes on load with bitsandbytes: use"
                " 'int8' or 'nf4'",
            )
        )
    if plan.kv_cache_dtype != plan.dtype:
        problems.append(
            Problem(
                "serving_config.kv_cache_dtype",
                f"transformers keeps the KV cache at the model's dtype"
                f" ({plan.dtype}), not {serving.kv_cache_dtype}: the plan"
                " would not be what loads; use 'auto', or serve with vLLM",
            )
        )
    parallel = config.parallel_config
    if parallel.tensor_parallel_size * parallel.pipeline_parallel_size > 1:
        problems.append(
            Problem(
                "parallel_config.tensor_parallel_size",
                f"the plan splits the model over"
                f" {parallel.tensor_parallel_size} x"
                f" {parallel.pipeline_parallel_size} GPUs, and"
                " from_pretrained loads it into one process: serve it with"
                " vLLM (qwen3vl.integrations.vllm)",
            )
        )
    if problems:
        raise ConfigError(problems)


def _bitsandbytes(online: str, dtype: Any, *, offloads: bool) -> Any:
    """Return transformers' ``BitsAndBytesConfig`` for quantizing on load."""
    transformers = _require("transformers")
    if online == "int8":
        return transformers.BitsAndBytesConfig(
            load_in_8bit=True, llm_int8_enable_fp32_cpu_offload=offloads
        )
    return transformers.BitsAndBytesConfig(
        load_in_4bit=True,
        bnb_4bit_quant_type="nf4",
        bnb_4bit_compute_dtype=dtype,
        llm_int8_enable_fp32_cpu_offload=offloads,
    )


def _attention(
    config: Qwen3VLConfig,
    hardware: HardwareProfile,
    device_map: dict[str, int | str],
) -> str:
    """Return the attention kernel transformers should use."""
    asked = config.gpu_config.attention_implementation
    if asked == "eager":
        return "eager"
    cc = compute_capability(config, hardware)
    if (
        asked == "flash_attention_2"
        and cc is not None
        and cc >= (8, 0)
        # FlashAttention-2 runs on CUDA only: the GPU must hold the model.
        and _DEVICES["gpu"] in device_map.values()
        and _installed("flash_attn")
    ):
        return "flash_attention_2"
    # PyTorch's SDPA runs everywhere: memory-efficient kernels from compute
    # 5.0, and a plain kernel on the CPU.
    return "sdpa"


def _installed(name: str) -> bool:
    """Tell whether package `name` can be imported, without importing it."""
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        # A broken parent package, or a module without a spec: unusable.
        return False


def build_model(
    config: Qwen3VLConfig,
    hardware: HardwareProfile | None = None,
    *,
    offload_folder: str | os.PathLike[str] | None = None,
) -> Any:
    """
    Return a transformers model of `config` with random weights, placed by its plan.

    The model (``Qwen3VLForConditionalGeneration``, or the MoE class) is
    built in CPU memory at the plan's dtype and attention, put in eval mode
    as ``from_pretrained`` does, then moved to its device or, when the plan
    spreads it, dispatched by accelerate over the devices `load_kwargs`
    gives, with the weights for the disk written to `offload_folder`.  Seed
    torch first (``torch.manual_seed``) for repeatable weights.

    Args:
        config: The configuration to build the model from.
        hardware: The machine; ``None`` detects this one.
        offload_folder: An empty (or new) folder for the weights offloaded
            to disk; required when the plan uses the SSD tier.

    Raises:
        ConfigError: as `load_kwargs`.
        FileExistsError: `offload_folder` already holds offloaded weights
            (accelerate would reuse them instead of the new ones).
        ImportError: transformers, accelerate or torch is not installed.

    .. versionadded:: 0.1.0
    """
    transformers = _require("transformers")
    accelerate = _require("accelerate")
    kwargs = load_kwargs(config, hardware, offload_folder=offload_folder)
    folder = kwargs.get("offload_folder")
    if folder is not None and (pathlib.Path(folder) / "index.json").exists():
        msg = (
            f"{folder} already holds offloaded weights (index.json); give"
            " build_model an empty folder"
        )
        raise FileExistsError(msg)
    model = transformers.AutoModelForImageTextToText.from_config(
        to_transformers_config(config),
        dtype=kwargs["dtype"],
        attn_implementation=kwargs["attn_implementation"],
    )
    model.eval()
    devices = set(kwargs["device_map"].values())
    if len(devices) == 1 and "disk" not in devices:
        # As from_pretrained does: one device needs no hooks, and a model
        # without them saves and moves as any other.
        return model.to(devices.pop())
    return accelerate.dispatch_model(
        model, device_map=kwargs["device_map"], offload_dir=folder
    )
