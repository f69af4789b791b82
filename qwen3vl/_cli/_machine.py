"""
The commands about a configuration on a machine: check, fit, detect,
estimate.

Strictly private.
"""

from __future__ import annotations

import argparse
import shlex
import textwrap

from collections.abc import Sequence
from typing import Any

from qwen3vl._converters import to_file_data
from qwen3vl._formats import dumps
from qwen3vl._sections import Qwen3VLConfig
from qwen3vl._sections.base import file_changes
from qwen3vl._switches import without_counterpart
from qwen3vl._units import human_size

from ._inputs import load, machine
from ._output import (
    EXIT_FINDINGS,
    EXIT_OK,
    WIDTH,
    Out,
    as_json,
    paint,
    shown,
    wrap,
)


__all__ = ["check", "detect", "estimate", "fit", "ranges"]

_SEVERITIES = ("error", "warning", "info")


# -- check and fit ---------------------------------------------------------


def check(args: argparse.Namespace, out: Out) -> int:
    """Print check_config's findings and the memory plan."""
    from qwen3vl.hardware import check_config, plan_memory  # noqa: PLC0415

    config, _ = load(args)
    where = machine(args)
    findings = check_config(config, where)
    plan = plan_memory(config, where)
    if args.json:
        out.write(as_json(_report_data(where, findings, plan), out))
    else:
        _report_text(config, where, findings, plan, out)
    return _exit_code(findings)


def fit(args: argparse.Namespace, out: Out) -> int:
    """Fit the configuration to the machine; print it, what changed and why, and the plan."""
    from qwen3vl.hardware import plan_memory, resolve_for_hardware  # noqa: PLC0415

    config, _ = load(args)
    where = machine(args)
    config, for_vllm = _for_vllm(args, config)
    resolution = resolve_for_hardware(config, where)
    fitted = resolution.config
    findings = resolution.findings
    changes = (*for_vllm, *resolution.changes)
    plan = plan_memory(fitted, where)
    command, refused = _vllm_command(args, fitted, where)
    if args.output is not None:
        fitted.save_to_file(args.output)
    if args.json:
        data = _report_data(where, findings, plan)
        vllm: dict[str, Any] = {}
        if args.vllm is not None:
            vllm["vllm"] = {"argv": command, "refused": refused}
        out.write(
            as_json(
                {
                    "fits": plan.feasible,
                    "changes": [
                        {
                            "path": c.path,
                            "old": c.old,
                            "new": c.new,
                            "reason": c.reason,
                        }
                        for c in changes
                    ],
                    **data,
                    "config": to_file_data(fitted),
                    **vllm,
                },
                out,
            )
        )
        return _exit_code(findings) or (EXIT_FINDINGS if refused else EXIT_OK)
    # The whole configuration is some 150 lines; what differs from the
    # built-in defaults is the part to read, and loads back to the same.
    out.write(
        "Fitted, where it differs from the defaults (--output FILE saves it"
        " whole):\n\n"
    )
    out.write(dumps(file_changes(fitted, Qwen3VLConfig()), "toml") + "\n")
    n = len(changes)
    out.write(
        f"Fitting changed {n} setting(s):\n"
        if n
        else "Fitting changed nothing.\n"
    )
    for c in changes:
        out.write(f"  {c.path}: {_value(c.old)} -> {_value(c.new)}\n")
        out.write(wrap(f"because {c.reason}") + "\n")
    if args.output is not None:
        out.write(f"Saved the fitted configuration to {args.output}.\n")
    out.write("\n")
    _report_text(fitted, where, findings, plan, out)
    if args.vllm is None:
        return _exit_code(findings)
    if command:
        out.write(f"\nServe it with vLLM:\n\n{shlex.join(command)}\n")
    else:
        out.write("\nvLLM cannot serve this plan:\n")
        for problem in refused:
            out.write(wrap(problem) + "\n")
    return _exit_code(findings) or (EXIT_FINDINGS if refused else EXIT_OK)


def _for_vllm(
    args: argparse.Namespace, config: Qwen3VLConfig
) -> tuple[Qwen3VLConfig, tuple[Any, ...]]:
    """Return `config` as vLLM serves it (memory tiering off), with that change."""
    if args.vllm is None or not config.memory_config.enable_memory_tiering:
        return config, ()
    from qwen3vl._update import apply_updates  # noqa: PLC0415
    from qwen3vl.hardware import Change  # noqa: PLC0415

    path = "memory_config.enable_memory_tiering"
    change = Change(
        path,
        True,
        False,
        "vLLM serves from the GPUs: the KV cache is on them, and weights"
        " go to RAM only as cpu_offload_gb, never to disk",
    )
    return apply_updates(config, {path: False}), (change,)


def _vllm_command(
    args: argparse.Namespace, config: Qwen3VLConfig, where: Any
) -> tuple[list[str], list[str]]:
    """Return `vllm serve`'s argv for the fitted config, or why vLLM refuses it."""
    if args.vllm is None:
        return [], []
    from qwen3vl.exceptions import ConfigError  # noqa: PLC0415
    from qwen3vl.integrations.vllm import serve_command  # noqa: PLC0415

    model = args.vllm or args.model
    if not model:
        return [], ["name the checkpoint vLLM loads: --vllm MODEL, or --model"]
    try:
        return serve_command(config, where, model=model), []
    except ConfigError as e:
        return [], [f"{p.path}: {p.message}" for p in e.problems]


def _value(value: Any) -> str:
    return shown(list(value) if isinstance(value, tuple) else value)


def _exit_code(findings: Sequence[Any]) -> int:
    if any(f.severity == "error" for f in findings):
        return EXIT_FINDINGS
    return EXIT_OK


def _report_data(
    where: Any, findings: Sequence[Any], plan: Any
) -> dict[str, Any]:
    return {
        "machine": where.source,
        "findings": [
            {
                "severity": f.severity,
                "path": f.path,
                "message": f.message,
                "suggestion": f.suggestion,
            }
            for f in findings
        ],
        "plan": _plan_data(plan),
    }


def _report_text(
    config: Qwen3VLConfig,
    where: Any,
    findings: Sequence[Any],
    plan: Any,
    out: Out,
) -> None:
    named = "this machine" if where.source == "detected" else where.source
    out.write(f"Checked against {named}.\n")
    if not findings:
        out.write("No findings.\n")
    ignored = _ignored_switches(config, findings)
    for f in findings:
        if f in ignored:
            if f is ignored[0]:
                _write_ignored(ignored, out)
            continue
        _write_finding(f.severity, f.path, f.message, f.suggestion, out)
    out.write("\n" + _plan_text(plan, config))
    counts = [sum(f.severity == s for f in findings) for s in _SEVERITIES]
    out.write(
        f"\n{counts[0]} error(s), {counts[1]} warning(s),"
        f" {counts[2]} info(s).\n"
    )


def _write_finding(
    severity: str, path: str, message: str, suggestion: str, out: Out
) -> None:
    out.write(f"{paint(severity, severity, out)}: {path}\n")
    out.write(wrap(message) + "\n")
    out.write(wrap(f"-> {suggestion}") + "\n")


def _ignored_switches(
    config: Qwen3VLConfig, findings: Sequence[Any]
) -> list[Any]:
    """The info findings, one per switch, that transformers ignores them."""
    paths = {
        f"optimization_config.{flag}"
        for flag in without_counterpart(config.optimization_config)
    }
    found = [
        f
        for f in findings
        if f.severity == "info"
        and f.path in paths
        and "transformers has no counterpart" in f.message
    ]
    return found if len(found) > 1 else []


def _write_ignored(ignored: Sequence[Any], out: Out) -> None:
    # One entry for what would be a screenful of the same sentence.
    names = ", ".join(f.path.rpartition(".")[2] for f in ignored)
    _write_finding(
        "info",
        f"optimization_config: {len(ignored)} switches transformers ignores",
        f"on, but transformers has no counterpart, so a model it loads runs"
        f" without them: {names}",
        "set them to false, or leave them for a runtime that implements them",
        out,
    )


def _plan_data(plan: Any) -> dict[str, Any]:
    return {
        "dtype": plan.dtype,
        "feasible": plan.feasible,
        "budgets": plan.budgets,
        "used": plan.used,
        "placements": [
            {"part": p.part, "tier": p.tier, "bytes": p.bytes}
            for p in plan.placements
        ],
    }


def _plan_text(plan: Any, config: Qwen3VLConfig) -> str:
    parallel = config.parallel_config
    tp, pp = parallel.tensor_parallel_size, parallel.pipeline_parallel_size
    each = (
        f", each GPU of tensor {tp} x pipeline {pp} parallel"
        if tp * pp > 1
        else ""
    )
    lines = [f"Memory plan at {plan.dtype}{each}:"]
    for tier, budget in plan.budgets.items():
        parts = ranges([p.part for p in plan.placements if p.tier == tier])
        used = human_size(plan.used[tier])
        lines.append(
            f"  {tier:<4} {used:>10} of {human_size(budget):<10} {parts}"
        )
    lines.extend(
        f"  no room for {p.part} ({human_size(p.bytes)})"
        for p in plan.unplaced
    )
    fitted = (
        textwrap.fill(line, WIDTH, subsequent_indent=" " * 30)
        for line in lines
    )
    return "\n".join(fitted) + "\n"


def ranges(parts: list[str]) -> str:
    """Write layers.0 ... layers.9 as layers.0-9."""
    result: list[str] = []
    run: list[int] = []

    def flush() -> None:
        if run:
            result.append(
                f"layers.{run[0]}"
                if len(run) == 1
                else f"layers.{run[0]}-{run[-1]}"
            )
            run.clear()

    for part in parts:
        if part.startswith("layers."):
            index = int(part.split(".")[1])
            if run and index != run[-1] + 1:
                flush()
            run.append(index)
        else:
            flush()
            result.append(part)
    flush()
    return ", ".join(result) or "-"


# -- detect ----------------------------------------------------------------


def _size(value: int) -> str:
    return f"{value} ({human_size(value)})"


def _gpu_line(gpu: Any) -> str:
    facts = []
    if gpu.compute_capability is not None:
        major, minor = gpu.compute_capability
        facts.append(f"compute capability {major}.{minor}")
    if gpu.memory_bytes is not None:
        facts.append(human_size(gpu.memory_bytes))
    if gpu.memory_bandwidth_gbps is not None:
        facts.append(f"{gpu.memory_bandwidth_gbps:g} GB/s")
    return f"  - {gpu.name}" + (f": {', '.join(facts)}" if facts else "")


def _disk_text(disk: Any) -> str:
    free = (
        "free space unknown"
        if disk.free_bytes is None
        else f"{human_size(disk.free_bytes)} free"
    )
    return f"{disk.path or '-'} ({disk.kind}, {free})"


def detect(args: argparse.Namespace, out: Out) -> int:
    """Print what this machine is."""
    import attrs  # noqa: PLC0415

    from qwen3vl.hardware import detect_hardware  # noqa: PLC0415

    profile = detect_hardware()
    if args.json:
        out.write(as_json(attrs.asdict(profile), out))
        return EXIT_OK
    for field in attrs.fields(type(profile)):
        key, value = field.name, getattr(profile, field.name)
        if key == "gpus" and value:
            out.write(f"{key}:\n")
            out.write("".join(f"{_gpu_line(g)}\n" for g in value))
            continue
        if value is None:
            text = "unknown"
        elif key == "gpus":
            text = "none"
        elif key == "disk":
            text = _disk_text(value)
        elif key.endswith("bytes"):
            text = _size(value)
        else:
            text = str(value)
        out.write(f"{key}: {text}\n")
    return EXIT_OK


# -- estimate --------------------------------------------------------------


def estimate(args: argparse.Namespace, out: Out) -> int:
    """Print parameters, weight, KV cache and activation sizes."""
    from qwen3vl.hardware import estimate_memory  # noqa: PLC0415

    config, _ = load(args)
    e = estimate_memory(config, context_tokens=args.context)
    dtypes = ("fp32", "fp16", "bf16", "int8", "int4")
    if args.json:
        out.write(
            as_json(
                {
                    "total_params": e.total_params,
                    "text_params": e.text_params,
                    "vision_params": e.vision_params,
                    "stored_weight_bytes": e.weight_bytes(),
                    "weight_bytes": {d: e.weight_bytes(d) for d in dtypes},
                    "context_tokens": e.context_tokens,
                    "kv_cache_bytes_per_token": {
                        d: e.kv_cache_bytes_per_token(d) for d in dtypes
                    },
                    "batch_size": e.batch_size,
                    "kv_cache_bytes": {d: e.kv_cache_bytes(d) for d in dtypes},
                    "activation_bytes": {
                        d: e.activation_bytes(d)
                        for d in dtypes
                        if not d.startswith("int")
                    },
                    "vision_tokens_per_image": e.vision_tokens_per_image,
                },
                out,
            )
        )
        return EXIT_OK
    out.write(
        f"Parameters: {e.total_params:,} (text {e.text_params:,},"
        f" vision {e.vision_params:,})\n"
    )
    q = config.quantization_config
    online = config.serving_config.online_quantization
    if online != "none":
        kind = f"Loaded weights ({config.dtype}, {online} on load)"
    elif q.method != "none":
        kind = f"Stored weights ({q.method}, {q.bits}-bit)"
    else:
        kind = f"Stored weights ({config.dtype})"
    out.write(f"{kind}: {human_size(e.weight_bytes())}\n")
    out.write(
        f"For {e.context_tokens:,} tokens x {e.batch_size} sequence(s): weights,"
        " KV cache and activations:\n"
    )
    for d in dtypes:
        # Integer weights still compute in a float dtype: no activations.
        computed = (
            "-" if d.startswith("int") else human_size(e.activation_bytes(d))
        )
        out.write(
            f"  {d:<5} weights {human_size(e.weight_bytes(d)):>10}"
            f"   KV cache {human_size(e.kv_cache_bytes(d)):>10}"
            f"   activations {computed:>10}\n"
        )
    out.write(f"Vision tokens per image: {e.vision_tokens_per_image}\n")
    return EXIT_OK
