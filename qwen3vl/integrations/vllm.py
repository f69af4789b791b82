"""
A `qwen3vl` configuration serving with vLLM: `engine_args` and `serve_command`.

* `engine_args`: the keyword arguments of vLLM's ``EngineArgs`` that the
  memory plan, the parallel plan and the serving settings imply on a
  machine;
* `serve_command`: the same as the argv of ``vllm serve``.

Neither imports vLLM: what they write is plain data, checked against vLLM's
own config classes by ``nox -s interop-vllm``.  The plan is the one
`check_config` and `resolve_for_hardware` judge: what fits, loads.
docs/integration.md explains every choice.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import json
import math

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from qwen3vl._sections import Qwen3VLConfig
from qwen3vl._units import GiB
from qwen3vl.exceptions import ConfigError, Problem
from qwen3vl.hardware import (
    HardwareProfile,
    TierPlan,
    check_config,
    detect_hardware,
    plan_memory,
)
from qwen3vl.hardware._estimate import served_context


__all__ = ["VLLM_VERSIONS", "engine_args", "serve_command"]

#: The vLLM releases `engine_args` writes for, and ``nox -s interop-vllm``
#: checks against.
VLLM_VERSIONS = ">=0.33,<0.35"

# vLLM's name for each precision `implied_dtype` gives.
_DTYPES: Mapping[str, str] = MappingProxyType(
    {"fp32": "float32", "fp16": "float16", "bf16": "bfloat16"}
)

# vLLM's --kv-cache-dtype for each of ours that differs from the model's.
_KV_CACHE_DTYPES: Mapping[str, str] = MappingProxyType(
    {
        "fp16": "float16",
        "bf16": "bfloat16",
        "fp8_e4m3": "fp8_e4m3",
        "fp8_e5m2": "fp8_e5m2",
    }
)

# vLLM's --quantization for quantizing an unquantized checkpoint on load.
_ONLINE: Mapping[str, str] = MappingProxyType(
    {"fp8": "fp8", "int8": "int8_per_channel_weight_only"}
)


def engine_args(
    config: Qwen3VLConfig,
    hardware: HardwareProfile | None = None,
    *,
    model: str,
) -> dict[str, Any]:
    """
    Return the keyword arguments of vLLM's ``EngineArgs`` for `config` on a machine.

    From the memory plan on `hardware`:

    * ``model``: `model`, the checkpoint's folder or Hugging Face id;
    * ``dtype``: the plan's precision;
    * ``max_model_len`` and ``max_num_seqs``: ``serving_config``'s context
      (0: the model's window) and sequences;
    * ``tensor_parallel_size``, ``pipeline_parallel_size``,
      ``data_parallel_size`` and ``enable_expert_parallel``:
      ``parallel_config``;
    * ``distributed_executor_backend``: ``"ray"`` where the GPUs span
      nodes, ``"mp"`` on one node with several GPUs, left out for one;
    * ``gpu_memory_utilization``: the GPU tier (``gpu_memory_size`` less
      ``memory_pool_size``) as a fraction of the card, rounded down;
    * ``cpu_offload_gb``: the weights the plan puts in RAM, only where it
      puts some there;
    * ``kv_cache_dtype``: ``"auto"`` where it is the model's dtype;
    * ``quantization``: only for quantizing on load (``"fp8"``, or
      ``"int8_per_channel_weight_only"`` for ``"int8"``): a quantized
      checkpoint says its own method in its ``config.json``;
    * ``limit_mm_per_prompt``: images and videos of one prompt;
    * ``mm_processor_kwargs``: the processor's ``max_pixels`` (one
      `vision_image_size` square by default), and ``min_pixels`` where set.

    Args:
        config: The configuration to serve.
        hardware: The machine; ``None`` detects this one, as
            `check_config` does.
        model: What vLLM loads: a model folder or a Hugging Face id.

    Raises:
        ConfigError: `check_config` finds an error on the machine (a plan
            that does not fit, a kernel the GPU lacks: resolve the config
            with `resolve_for_hardware` first), or the plan asks what vLLM
            cannot do: offloading to disk, a KV cache off the
            GPU, an fp32 KV cache under a half-precision model, or
            quantizing to ``"nf4"`` on load (vLLM 0.33 has no
            bitsandbytes).

    .. versionadded:: 0.2.0
    """
    machine = detect_hardware() if hardware is None else hardware
    plan = plan_memory(config, machine)
    _vllm_can_serve(config, machine, plan)
    serving, parallel = config.serving_config, config.parallel_config
    kwargs: dict[str, Any] = {
        "model": model,
        "dtype": _DTYPES[plan.dtype],
        "max_model_len": served_context(config),
        "max_num_seqs": serving.max_concurrent_sequences,
        "tensor_parallel_size": parallel.tensor_parallel_size,
        "pipeline_parallel_size": parallel.pipeline_parallel_size,
        "data_parallel_size": parallel.data_parallel_size,
        "enable_expert_parallel": parallel.expert_parallel,
    }
    backend = _backend(config, machine)
    if backend is not None:
        kwargs["distributed_executor_backend"] = backend
    kwargs["gpu_memory_utilization"] = _utilization(config, machine, plan)
    offloaded = sum(p.bytes for p in plan.placements if p.tier == "cpu")
    if offloaded:
        # vLLM counts in GiB; rounded up, so that the plan's weights fit.
        kwargs["cpu_offload_gb"] = math.ceil(offloaded / GiB * 100) / 100
    kwargs["kv_cache_dtype"] = (
        "auto"
        if plan.kv_cache_dtype == plan.dtype
        else _KV_CACHE_DTYPES[plan.kv_cache_dtype]
    )
    if serving.online_quantization != "none":
        kwargs["quantization"] = _ONLINE[serving.online_quantization]
    kwargs["limit_mm_per_prompt"] = {
        "image": serving.max_images_per_prompt,
        "video": serving.max_videos_per_prompt,
    }
    pixels = {
        "max_pixels": serving.max_image_pixels or config.vision_image_size**2
    }
    if serving.min_image_pixels:
        pixels = {"min_pixels": serving.min_image_pixels, **pixels}
    kwargs["mm_processor_kwargs"] = pixels
    return kwargs


def serve_command(
    config: Qwen3VLConfig,
    hardware: HardwareProfile | None = None,
    *,
    model: str,
) -> list[str]:
    """
    Return the argv of ``vllm serve`` for `config` on a machine.

    The options are `engine_args`' in vLLM's spelling
    (``--tensor-parallel-size 8``); a dict is written as JSON, a true flag
    bare and a false one left out.  ``shlex.join`` makes it a shell line.

    Raises:
        ConfigError: as `engine_args`.

    .. versionadded:: 0.2.0
    """
    kwargs = engine_args(config, hardware, model=model)
    argv = ["vllm", "serve", kwargs.pop("model")]
    for key, value in kwargs.items():
        flag = "--" + key.replace("_", "-")
        if isinstance(value, bool):
            if value:
                argv.append(flag)
        elif isinstance(value, dict):
            argv += [flag, json.dumps(value, separators=(",", ":"))]
        else:
            argv += [flag, str(value)]
    return argv


def _vllm_can_serve(
    config: Qwen3VLConfig, machine: HardwareProfile, plan: TierPlan
) -> None:
    """Refuse the plans and settings that vLLM would not load as planned."""
    # An error of the check is one on the machine: a plan that does not
    # fit, a kernel the GPU lacks (vLLM refuses AWQ at fp32, for one).
    problems = [
        Problem(f.path, f"{f.message}; {f.suggestion}")
        for f in check_config(config, machine)
        if f.severity == "error"
    ]
    on_disk = [p.part for p in plan.placements if p.tier == "ssd"]
    if on_disk:
        problems.append(
            Problem(
                "memory_config.ssd_memory_size",
                f"the plan offloads {len(on_disk)} part(s) to the SSD tier,"
                f" first {on_disk[0]}, and vLLM offloads to RAM only: turn"
                " memory tiering off, or serve a smaller model",
            )
        )
    if plan.feasible and plan.tier_of("kv_cache") != "gpu":
        problems.append(
            Problem(
                "serving_config.max_context_tokens",
                "the plan keeps the KV cache in RAM, and vLLM keeps it on"
                " the GPU: serve a shorter context or fewer sequences",
            )
        )
    serving = config.serving_config
    if plan.kv_cache_dtype != plan.dtype and (
        plan.kv_cache_dtype not in _KV_CACHE_DTYPES
    ):
        problems.append(
            Problem(
                "serving_config.kv_cache_dtype",
                f"vLLM keeps the KV cache at the model's dtype ({plan.dtype}),"
                " fp16, bf16 or fp8, not fp32: use 'auto'",
            )
        )
    if serving.online_quantization == "nf4":
        problems.append(
            Problem(
                "serving_config.online_quantization",
                "vLLM 0.33 quantizes on load to fp8 or int8, and has no"
                " bitsandbytes NF4: use 'fp8' or 'int8', or serve with"
                " transformers",
            )
        )
    if problems:
        raise ConfigError(problems)


def _backend(config: Qwen3VLConfig, machine: HardwareProfile) -> str | None:
    """Return how vLLM starts its workers: Ray across nodes, processes on one."""
    world = config.parallel_config.world_size
    if world == 1:
        return None
    per_node = len(machine.gpus or ())
    return "ray" if per_node and world > per_node else "mp"


def _utilization(
    config: Qwen3VLConfig, machine: HardwareProfile, plan: TierPlan
) -> float:
    """Return the GPU tier's budget as a fraction of the card, rounded down."""
    card = config.memory_config.gpu_memory_size
    gpu = machine.gpu
    if gpu is not None and gpu.memory_bytes:
        card = gpu.memory_bytes
    if card <= 0 or plan.budgets["gpu"] <= 0:
        # No GPU: vLLM's CPU backend sizes its KV cache by itself.
        return 0.9
    return max(0.01, math.floor(plan.budgets["gpu"] / card * 100) / 100)
