"""
Fitting: the longest context that fits the machine, and what fits when nothing does.

`check_config` reports a plan that does not fit; where serving a shorter
context makes it fit, the finding's fix is the longest such context, which
`resolve_for_hardware` applies.  Where even the weights cannot be placed, it
says by how much, and which quantizing on load or which size of model would
fit.

Strictly private.
"""

from __future__ import annotations

from collections.abc import Iterator

import attrs

from qwen3vl._sections import Qwen3VLConfig
from qwen3vl._units import human_size

from ._estimate import estimate_memory, with_context
from ._finding import Finding, Rule
from ._kernels import online_runs
from ._plan import TierPlan, compute_capability, place, plan_memory
from ._profile import HardwareProfile
from ._weights import DTYPE_BYTES


__all__ = ["CONTEXT_STEP", "RULES", "fitted_context"]

#: Fitted contexts are whole multiples of this many tokens (vLLM's and
#: transformers' cache blocks divide it).
CONTEXT_STEP = 256


def fitted_context(
    config: Qwen3VLConfig, hardware: HardwareProfile | None, below: int
) -> int | None:
    """
    Return the longest context under `below` tokens whose plan fits, or None.

    The context is a multiple of `CONTEXT_STEP`, or `below` - 1 tokens where
    that is under one step; ``None`` when not even the shortest fits (the
    weights do not).
    """
    steps = (below - 1) // CONTEXT_STEP
    # Counted once: only the KV cache and the activations change with the
    # context, and re-counting the weights (a quantized checkpoint's modules
    # matched against its patterns) cost ten times as much.
    base = estimate_memory(config)

    def fits(tokens: int) -> bool:
        return place(
            config, hardware, with_context(config, base, tokens)
        ).feasible

    if steps == 0:
        return below - 1 if below > 1 and fits(below - 1) else None
    if not fits(CONTEXT_STEP):
        return None
    # The plan grows with the context: the largest step that fits is found
    # by halving, about 10 plans for a 262,144-token window.
    low, high = 1, steps
    while low < high:
        middle = (low + high + 1) // 2
        if fits(middle * CONTEXT_STEP):
            low = middle
        else:
            high = middle - 1
    return low * CONTEXT_STEP


def _served(plan: TierPlan) -> int:
    """Return the bytes of what the context costs: KV cache and activations."""
    return sum(
        p.bytes
        for p in plan.placements
        if p.part in ("activations", "kv_cache")
    )


def _fits(c: Qwen3VLConfig, hw: HardwareProfile) -> Iterator[Finding]:
    # The KV cache and the activations grow with the context served; the
    # weights do not.  Context first (DESIGN: Fitting): a shorter context
    # is a safe fix, a smaller or quantized model is the user's choice.
    plan = plan_memory(c, hw)
    if plan.feasible:
        return
    e = plan.estimate
    context, sequences = e.context_tokens, e.batch_size
    fitted = fitted_context(c, hw, context)
    if fitted is not None:
        smaller = place(c, hw, with_context(c, e, fitted))
        yield Finding(
            "error",
            "serving_config.max_context_tokens",
            f"the KV cache and activations of {context:,} tokens x"
            f" {sequences} sequence(s) take {human_size(_served(plan))}"
            f" ({plan.kv_cache_dtype} cache) and do not fit beside the"
            f" weights; {fitted:,} tokens take"
            f" {human_size(_served(smaller))} and fit",
            f"serve at most {fitted} tokens, or fewer sequences, or give"
            " the tiers more memory",
            {"serving_config.max_context_tokens": fitted},
        )
        return
    shortest = place(
        c, hw, with_context(c, e, min(CONTEXT_STEP, e.context_tokens))
    )
    yield Finding(
        "error",
        "memory_config",
        _no_room(c, shortest),
        _what_fits(c, hw, shortest),
    )


def _no_room(c: Qwen3VLConfig, plan: TierPlan) -> str:
    """Say which part of `plan` (the shortest context) fits nowhere, and how much room is missing."""
    used = plan.used
    method = c.quantization_config.method
    online = c.serving_config.online_quantization
    at = plan.dtype
    if method != "none":
        at += f", {method} weights as stored"
    elif online != "none":
        at += f", weights quantized to {online} on load"
    room = ", ".join(
        f"{tier} {human_size(used[tier])} of {human_size(budget)}"
        for tier, budget in plan.budgets.items()
    )
    missing = sum(p.bytes for p in plan.unplaced)
    first = plan.unplaced[0] if plan.unplaced else None
    where_first = (
        f"first {first.part} ({human_size(first.bytes)}); "
        if first is not None
        else ""
    )
    return (
        f"the model does not fit at {at}, even with"
        f" {plan.estimate.context_tokens} tokens of"
        f" context: {len(plan.unplaced)} part(s) have no tier,"
        f" {where_first}{human_size(missing)} more than the tiers hold;"
        f" used {room}"
    )


def _what_fits(
    c: Qwen3VLConfig, hw: HardwareProfile, shortest: TierPlan
) -> str:
    """Name the quantizing on load and the model size that would fit."""
    options = []
    cc = compute_capability(c, hw)
    if c.quantization_config.method == "none":
        for online in online_runs(cc):
            if online == c.serving_config.online_quantization:
                continue
            quantized = attrs.evolve(
                c,
                serving_config=attrs.evolve(
                    c.serving_config, online_quantization=online
                ),
            )
            tokens = fitted_context(
                quantized, hw, quantized.max_position_embeddings + 1
            )
            if tokens is not None:
                options.append(
                    f"online_quantization {online!r} fits, with up to"
                    f" {tokens:,} tokens"
                )
    room = sum(shortest.budgets.values()) - _served(shortest)
    per_param = DTYPE_BYTES[shortest.dtype]
    billions = max(0.0, room / per_param / 1e9)
    options.append(
        f"a model of at most {billions:.1f} billion parameters at"
        f" {shortest.dtype} would fit"
    )
    tiering = (
        "raise the tier sizes"
        if c.memory_config.enable_memory_tiering
        else "turn on memory tiering"
    )
    return f"{tiering}; or: " + "; ".join(options)


def _beyond_the_window(
    c: Qwen3VLConfig, _: HardwareProfile
) -> Iterator[Finding]:
    # A context beyond the model's positions is served as the whole window:
    # a hardware preset's context fits a model with a shorter one too.
    asked, window = (
        c.serving_config.max_context_tokens,
        c.max_position_embeddings,
    )
    if asked > window:
        yield Finding(
            "info",
            "serving_config.max_context_tokens",
            f"{asked:,} tokens asked, and the model has {window:,} positions:"
            f" {window:,} are served",
            "nothing to change; 0 says the model's whole window",
        )


RULES: tuple[Rule, ...] = (_fits, _beyond_the_window)
