"""
Fitting: more GPUs, the longest context that fits, and what fits when nothing does.

`check_config` reports a plan that does not fit, and a parallel plan the
machine cannot run.  Where the machine has GPUs the plan leaves idle, the
finding's fix is the smallest tensor-parallel size within a node, then the
fewest pipeline stages, whose one-GPU plan fits (`spread`); else, where
serving a shorter context makes it fit, the longest such context.
`resolve_for_hardware` applies the fix.  Where even the weights cannot be
placed, it says by how much, and which quantizing on load or which size of
model would fit.

Strictly private.
"""

from __future__ import annotations

from collections.abc import Iterator

import attrs

from qwen3vl._sections import Qwen3VLConfig
from qwen3vl._sections.parallel import splits_evenly, tensor_parallel_refusals
from qwen3vl._units import human_size

from ._estimate import MemoryEstimate, estimate_memory, with_context
from ._finding import Finding, Rule
from ._kernels import online_runs
from ._plan import TierPlan, compute_capability, place, plan_memory
from ._profile import HardwareProfile
from ._weights import DTYPE_BYTES


__all__ = ["CONTEXT_STEP", "RULES", "fitted_context", "layouts", "spread"]

#: Fitted contexts are whole multiples of this many tokens (vLLM's and
#: transformers' cache blocks divide it).
CONTEXT_STEP = 256


def fitted_context(
    config: Qwen3VLConfig,
    hardware: HardwareProfile | None,
    below: int,
    *,
    base: MemoryEstimate | None = None,
) -> int | None:
    """
    Return the longest context under `below` tokens whose plan fits, or None.

    The context is a multiple of `CONTEXT_STEP`, or `below` - 1 tokens where
    that is under one step; ``None`` when not even the shortest fits (the
    weights do not).  `base`, an estimate of the same model, spares
    counting its weights again.
    """
    steps = (below - 1) // CONTEXT_STEP
    # Counted once: only the KV cache and the activations change with the
    # context, and re-counting the weights (a quantized checkpoint's modules
    # matched against its patterns) cost ten times as much.
    if base is None:
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
    # weights do not.  More GPUs, then a shorter context (DESIGN: Fitting),
    # are safe fixes; a smaller or quantized model is the user's choice.
    plan = plan_memory(c, hw)
    if plan.feasible and on_gpus(plan):
        return
    # More GPUs before a shorter context or offloading: a machine's idle
    # GPUs serve the context that was asked for, at the GPUs' speed.
    across = spread_finding(c, hw, plan)
    if across is not None:
        yield across
        return
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


def _with_sizes(c: Qwen3VLConfig, tp: int, pp: int) -> Qwen3VLConfig:
    """Return `c` with other tensor- and pipeline-parallel sizes."""
    return attrs.evolve(
        c,
        parallel_config=attrs.evolve(
            c.parallel_config,
            tensor_parallel_size=tp,
            pipeline_parallel_size=pp,
        ),
    )


def layouts(
    c: Qwen3VLConfig, hw: HardwareProfile
) -> Iterator[tuple[int, int]]:
    """
    Yield the (tensor, pipeline) sizes the machine runs, no smaller than `c`'s.

    Smallest first: every tensor-parallel size a node holds and vLLM can
    split the model over, then the same with two pipeline stages, and so on
    while the GPUs (those of every node, with `c`'s data-parallel replicas)
    last.  A host whose nodes are unknown counts as one node.
    """
    per_node = len(hw.gpus or ())
    total = per_node * (hw.nodes or 1)
    parallel = c.parallel_config
    replicas = parallel.data_parallel_size
    values = {name: getattr(c, name) for name in splits_evenly.fields}
    splits = [
        tp
        for tp in range(parallel.tensor_parallel_size, per_node + 1)
        if tp == 1 or not tensor_parallel_refusals(values, tp)
    ]
    for pp in range(parallel.pipeline_parallel_size, c.num_hidden_layers + 1):
        if not splits or splits[0] * pp * replicas > total:
            return
        for tp in splits:
            if tp * pp * replicas <= total:
                yield tp, pp


def spread(
    c: Qwen3VLConfig, hw: HardwareProfile, own: TierPlan
) -> tuple[int, int, TierPlan] | None:
    """
    Return the parallel plan to spread `c` over, with its one-GPU plan; or None.

    `own` is `c`'s plan.  The first of `layouts` (past `c`'s own) that
    holds `c`'s context on its GPUs.  Where none does and `own` is not on
    its GPUs alone, the layout that holds the longest context on them (the
    smallest of equals), whose context is then fitted; ``None`` where that
    is `c`'s own, or no layout holds even the weights.
    """
    current = (
        c.parallel_config.tensor_parallel_size,
        c.parallel_config.pipeline_parallel_size,
    )
    estimate = own.estimate
    context = estimate.context_tokens
    found = [(tp, pp) for tp, pp in layouts(c, hw) if (tp, pp) != current]
    for tp, pp in found:
        bigger = _with_sizes(c, tp, pp)
        # The activations of one GPU follow its share of the heads.
        plan = place(bigger, hw, with_context(bigger, estimate, context))
        if plan.feasible:
            return tp, pp, plan
    if on_gpus(own):
        return None
    # Failing the whole context, the layout that serves the most of it; on
    # one GPU the RAM may hold what the GPUs would, so it does not count.
    best: tuple[int, tuple[int, int]] | None = None
    if current[0] * current[1] > 1:
        served = fitted_context(c, hw, context, base=estimate)
        best = (served or 0, current)
    for layout in found:
        bigger = _with_sizes(c, *layout)
        served = fitted_context(bigger, hw, context, base=estimate)
        if served is not None and (best is None or served > best[0]):
            best = (served, layout)
    if best is None or best[1] == current:
        return None
    tp, pp = best[1]
    bigger = _with_sizes(c, tp, pp)
    return tp, pp, place(bigger, hw, with_context(bigger, estimate, context))


def _across_gpus(c: Qwen3VLConfig, hw: HardwareProfile) -> Iterator[Finding]:
    # The parallel plan must be one the machine's GPUs can hold.
    parallel = c.parallel_config
    tp, world = parallel.tensor_parallel_size, parallel.world_size
    sizes = (
        f"tensor {tp} x pipeline {parallel.pipeline_parallel_size}"
        f" x data {parallel.data_parallel_size} parallel"
    )
    if world == 1 or hw.gpus is None:
        return
    ones = {
        "parallel_config.tensor_parallel_size": 1,
        "parallel_config.pipeline_parallel_size": 1,
        "parallel_config.data_parallel_size": 1,
    }
    per_node = len(hw.gpus)
    if per_node == 0:
        yield Finding(
            "error",
            "parallel_config",
            f"{sizes} asks for {world} GPUs; the machine has none",
            "set the three sizes to 1",
            ones,
        )
        return
    if tp > per_node:
        yield Finding(
            "error",
            "parallel_config.tensor_parallel_size",
            f"{tp} GPUs split every layer, and a node has {per_node}: every"
            " layer would wait on the network between nodes",
            f"split within a node (at most {per_node}), and across nodes"
            " with pipeline stages",
            ones,
        )
        return
    total = hw.total_gpus
    if total is None:
        if world > per_node:
            yield Finding(
                "warning",
                "parallel_config",
                f"{sizes} needs {world} GPUs and this host has {per_node}:"
                " the others must be on other nodes like it",
                "start the other nodes (vLLM: a Ray cluster), or check"
                " against a hardware target with their number of nodes",
            )
        return
    if world > total:
        fit = total // (world // parallel.data_parallel_size)
        yield Finding(
            "error",
            "parallel_config",
            f"{sizes} needs {world} GPUs; the machine has {total}"
            f" ({hw.nodes} node(s) of {per_node})",
            "use fewer replicas, or a smaller plan",
            {"parallel_config.data_parallel_size": fit} if fit else ones,
        )


def spread_finding(
    c: Qwen3VLConfig, hw: HardwareProfile, plan: TierPlan
) -> Finding | None:
    """Return the finding that spreads `c`'s unfitting `plan` over more GPUs, or None."""
    found = spread(c, hw, plan)
    if found is None:
        return None
    tp, pp, bigger = found
    parallel = c.parallel_config
    held = sum(p.bytes for p in bigger.placements if p.tier == "gpu")
    fits = (
        "fit"
        if bigger.feasible
        else "hold the weights (the context is fitted next)"
    )
    path = (
        "parallel_config.tensor_parallel_size"
        if pp == parallel.pipeline_parallel_size
        else "parallel_config.pipeline_parallel_size"
    )
    return Finding(
        "error",
        path,
        f"{_need(plan)} do not fit on {_gpus(c)}{_offloaded(plan)}; over"
        f" tensor {tp} x"
        f" pipeline {pp} parallel GPUs, each holds {human_size(held)} and"
        f" they {fits}",
        f"split the model over {tp * pp} GPUs ({tp} within a node, {pp}"
        " stage(s))",
        {
            "parallel_config.tensor_parallel_size": tp,
            "parallel_config.pipeline_parallel_size": pp,
        },
    )


def on_gpus(plan: TierPlan) -> bool:
    """Tell whether every part of `plan` is on the GPU."""
    return all(p.tier == "gpu" for p in plan.placements)


def _gpus(c: Qwen3VLConfig) -> str:
    parallel = c.parallel_config
    n = parallel.tensor_parallel_size * parallel.pipeline_parallel_size
    return "one GPU" if n == 1 else f"{n} GPUs"


def _offloaded(plan: TierPlan) -> str:
    below = sum(p.bytes for p in plan.placements if p.tier != "gpu")
    return f" ({human_size(below)} offloaded or without room)"


def _need(plan: TierPlan) -> str:
    total = sum(p.bytes for p in plan.placements)
    return f"the weights, KV cache and activations ({human_size(total)})"


RULES: tuple[Rule, ...] = (_across_gpus, _fits, _beyond_the_window)
