"""
`plan_memory`: where each part of the model goes across GPU, CPU and SSD.

The placement rule, in order (docs/hardware.md explains why):

1. The budgets.  GPU: ``gpu_memory_size`` less the ``memory_pool_size``
   reserve; CPU: ``cpu_memory_size``; SSD: ``ssd_memory_size``.  With memory
   swapping on, the GPU and CPU tiers are filled only up to
   ``swap_threshold`` of their budget, the head room swapping needs.  A known
   machine caps each budget at what it really has.  Without memory tiering,
   only the first tier is used.
2. The precision: the one `implied_dtype` gives, for the activations, the
   weights and the KV cache (``serving_config.kv_cache_dtype`` where it is
   not ``"auto"``).  Quantized weights (a quantized checkpoint's, or
   ``serving_config.online_quantization``'s) are sized as loaded instead:
   the quantized Linears with their scales, the rest at the checkpoint's
   ``dtype`` (`MemoryEstimate.weight_bytes`), since loading keeps them so.
3. The parts.  The activations first, on the device that computes: the
   GPU if the plan has one, else the CPU.  The KV cache next, on the GPU
   or else the CPU (never on the SSD: it is written every token); both are
   sized for ``serving_config``'s context and sequences.  Then the weights
   in the order a forward pass needs them: the vision tower, the
   embeddings, each decoder layer, the final norm with the LM head.  Each
   goes, whole, to the highest tier that still has room, never above the
   tier of the part before it (GPU, then CPU, then SSD), as accelerate's
   sequential device maps do.  A part that fits nowhere makes the plan
   infeasible.
4. Several GPUs (``parallel_config``): the plan is one GPU's, of the
   pipeline stage that holds the most (vLLM's split of the layers, the
   vision tower and embeddings on the first stage, the LM head on the
   last).  It holds a tensor-parallel share of each of the stage's parts,
   of its layers' KV cache (whole key/value heads: one, replicated, where
   there are fewer heads than GPUs) and of the activations (the hidden
   states are whole on every GPU).  A model split over several GPUs uses
   the GPU tier alone; data-parallel replicas on one node share its RAM
   and disk, each the same part of them.

Strictly private: import the names from `qwen3vl.hardware`.
"""

from __future__ import annotations

from typing import Literal

import attrs

from qwen3vl._sections import Qwen3VLConfig

from ._estimate import MemoryEstimate, estimate_memory
from ._profile import HardwareProfile
from ._weights import loaded_quantization


__all__ = [
    "Placement",
    "Tier",
    "TierPlan",
    "implied_dtype",
    "place",
    "plan_memory",
]

Tier = Literal["gpu", "cpu", "ssd"]
TIERS: tuple[Tier, ...] = ("gpu", "cpu", "ssd")


def compute_capability(
    config: Qwen3VLConfig, hardware: HardwareProfile | None
) -> tuple[int, int] | None:
    """
    Return the compute capability that applies: the real GPU's, else the config's.

    ``None`` means no GPU: the profile has none, or the config gives the GPU
    no memory.
    """
    if hardware is not None and hardware.gpu is not None:
        if hardware.gpu.compute_capability is not None:
            return hardware.gpu.compute_capability
    elif hardware is not None and hardware.gpus == ():
        return None
    if config.memory_config.gpu_memory_size == 0:
        return None
    return config.gpu_config.gpu_compute_capability


def implied_dtype(
    config: Qwen3VLConfig, hardware: HardwareProfile | None = None
) -> str:
    """
    Return the precision a config implies on a machine.

    fp32 without mixed precision, without a GPU, and on compute 6.1/6.2
    parts (whose fp16 runs at a small fraction of fp32 speed); else bf16
    from compute 8.0, fp16 below.
    """
    cc = compute_capability(config, hardware)
    if not config.gpu_config.use_mixed_precision or cc is None:
        return "fp32"
    if cc >= (8, 0):
        return "bf16"
    if cc[0] == 6 and cc[1] >= 1:
        return "fp32"
    return "fp16"


@attrs.frozen
class Placement:
    """
    One part of the model and the tier that holds it.

    Attributes:
        part: ``"activations"``, ``"kv_cache"``, ``"vision"``,
            ``"embeddings"``, ``"layers.<i>"`` or ``"lm_head"`` (with the
            final norm).
        tier: ``"gpu"``, ``"cpu"`` or ``"ssd"``; ``None`` if it fits nowhere.
        bytes: Its size: at the plan's precision, or as loaded for
            quantized weights (the KV cache at `TierPlan.kv_cache_dtype`).

    .. versionadded:: 0.1.0
    """

    part: str
    tier: Tier | None
    bytes: int


@attrs.frozen
class TierPlan:
    """
    Where each part of the model goes, and whether it all fits.

    Attributes:
        dtype: The compute precision: of the activations, and of the
            weights unless they are quantized.
        placements: Every part, in placement order.
        budgets: Bytes each tier may hold (0 for a tier not used).
        estimate: The `MemoryEstimate` the sizes come from.
        kv_cache_dtype: The KV cache's precision: `dtype`, or
            ``serving_config.kv_cache_dtype``.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0
       `kv_cache_dtype`, and the ``"activations"`` part.
    """

    dtype: str
    placements: tuple[Placement, ...]
    budgets: dict[str, int]
    estimate: MemoryEstimate
    kv_cache_dtype: str = attrs.field(kw_only=True)

    @property
    def feasible(self) -> bool:
        """Whether every part has a tier."""
        return all(p.tier is not None for p in self.placements)

    @property
    def used(self) -> dict[str, int]:
        """Bytes placed on each tier."""
        totals: dict[str, int] = dict.fromkeys(TIERS, 0)
        for p in self.placements:
            if p.tier is not None:
                totals[p.tier] += p.bytes
        return totals

    @property
    def unplaced(self) -> tuple[Placement, ...]:
        """The parts that fit nowhere."""
        return tuple(p for p in self.placements if p.tier is None)

    def tier_of(self, part: str) -> Tier | None:
        """Return the tier of `part`; raise `KeyError` for an unknown part."""
        for p in self.placements:
            if p.part == part:
                return p.tier
        raise KeyError(part)


def _budgets(
    config: Qwen3VLConfig, hardware: HardwareProfile | None
) -> dict[str, int]:
    memory = config.memory_config
    gpu = max(0, memory.gpu_memory_size - memory.memory_pool_size)
    cpu = memory.cpu_memory_size
    ssd = memory.ssd_memory_size
    if hardware is not None:
        real_gpu = hardware.gpu
        if hardware.gpus == ():
            gpu = 0
        elif real_gpu is not None and real_gpu.memory_bytes is not None:
            gpu = min(gpu, real_gpu.memory_bytes - memory.memory_pool_size)
        if hardware.memory_total_bytes is not None:
            cpu = min(cpu, hardware.memory_total_bytes)
        if hardware.disk is not None and hardware.disk.free_bytes is not None:
            ssd = min(ssd, hardware.disk.free_bytes)
    parallel = config.parallel_config
    if parallel.tensor_parallel_size * parallel.pipeline_parallel_size > 1:
        # A model over several GPUs stays on them: vLLM keeps its KV cache
        # on the GPUs, and a layer offloaded to RAM stalls every GPU.
        cpu = ssd = 0
    else:
        # The replicas of one node offload to the same RAM and disk.
        sharing = _gpus_per_node(config, hardware)
        cpu, ssd = cpu // sharing, ssd // sharing
    if memory.enable_memory_swapping:
        # Swapping needs head room to move tensors through.
        gpu = int(gpu * memory.swap_threshold)
        cpu = int(cpu * memory.swap_threshold)
    budgets = {"gpu": max(0, gpu), "cpu": max(0, cpu), "ssd": max(0, ssd)}
    if not memory.enable_memory_tiering:
        first = "gpu" if budgets["gpu"] > 0 else "cpu"
        budgets = {t: (b if t == first else 0) for t, b in budgets.items()}
    return budgets


def _gpus_per_node(
    config: Qwen3VLConfig, hardware: HardwareProfile | None
) -> int:
    """Return how many of the deployment's GPUs share one node's RAM and disk."""
    world = config.parallel_config.world_size
    if hardware is not None and hardware.gpus:
        return min(world, len(hardware.gpus))
    return world


def stages(layers: int, pipeline: int) -> tuple[range, ...]:
    """
    Return the decoder layers of each pipeline stage, as vLLM splits them.

    vLLM's ``get_pp_indices``: equal stages, and the layers left over go one
    each to the stages before the last, from the last but one backwards
    (the last stage also holds the final norm and the LM head).
    """
    sizes = [layers // pipeline] * pipeline
    for i in range(2, layers % pipeline + 2):
        sizes[-i] += 1
    starts = [sum(sizes[:i]) for i in range(pipeline)]
    return tuple(range(a, a + n) for a, n in zip(starts, sizes, strict=True))


def _one_gpu(
    config: Qwen3VLConfig, parts: list[tuple[str, int]]
) -> tuple[list[tuple[str, int]], int]:
    """
    Return the weight parts one GPU holds, and its decoder layers.

    Each GPU of a stage holds a tensor-parallel share of the stage's parts
    (norms, replicated, are too small to matter); the first stage holds the
    vision tower and the embeddings, the last the LM head (a copy of tied
    embeddings).  The plan is the stage that holds the most.
    """
    parallel = config.parallel_config
    tp, pp = parallel.tensor_parallel_size, parallel.pipeline_parallel_size
    if tp == pp == 1:
        return parts, config.num_hidden_layers
    sizes = dict(parts)
    if pp > 1 and config.tie_word_embeddings:
        sizes["lm_head"] += sizes["embeddings"]
    best: list[tuple[str, int]] = []
    layers = 0
    for index, stage in enumerate(stages(config.num_hidden_layers, pp)):
        names = [f"layers.{i}" for i in stage]
        if index == 0:
            names = ["vision", "embeddings", *names]
        if index == pp - 1:
            names.append("lm_head")
        held = [(name, -(-sizes[name] // tp)) for name in names]
        if sum(size for _, size in held) > sum(size for _, size in best):
            best, layers = held, len(stage)
    return best, layers


def _weight_sizes(
    config: Qwen3VLConfig, estimate: MemoryEstimate, dtype: str
) -> list[tuple[str, int]]:
    """Return each weight part's bytes, in forward order."""
    e = estimate
    head = e.final_norm_params + e.lm_head_params
    if loaded_quantization(config).method == "none":
        return [
            ("vision", e.params_bytes(e.vision_params, dtype)),
            ("embeddings", e.params_bytes(e.embedding_params, dtype)),
            *(
                (f"layers.{i}", e.params_bytes(n, dtype))
                for i, n in enumerate(e.layer_params)
            ),
            ("lm_head", e.params_bytes(head, dtype)),
        ]
    # Quantized weights load as stored (or as quantizing on load leaves
    # them); the rest keeps the checkpoint's dtype with them.
    return [
        ("vision", e.vision_stored_bytes),
        ("embeddings", e.params_bytes(e.embedding_params, e.dtype)),
        *(
            (f"layers.{i}", size)
            for i, size in enumerate(e.layer_stored_bytes)
        ),
        ("lm_head", e.params_bytes(head, e.dtype)),
    ]


def _kv_share(config: Qwen3VLConfig, total: int, layers: int) -> int:
    """Return the KV cache one GPU holds: its layers, its key/value heads."""
    tp = config.parallel_config.tensor_parallel_size
    kv = config.num_key_value_heads or config.num_attention_heads
    # vLLM gives each GPU kv / tp heads, or one (replicated) where there
    # are fewer heads than GPUs.
    heads = -(-kv // tp)
    return -(-total * layers * heads // (config.num_hidden_layers * kv))


def plan_memory(
    config: Qwen3VLConfig,
    hardware: HardwareProfile | None = None,
    *,
    context_tokens: int | None = None,
    batch_size: int | None = None,
) -> TierPlan:
    """
    Place the model's parts across the GPU, CPU and SSD tiers.

    `hardware` caps the budgets at what the machine has and decides the
    precision; ``None`` plans on the config's figures alone (no detection:
    a plan is pure arithmetic).  `context_tokens` and `batch_size` size the
    KV cache and the activations, as in `estimate_memory`: by default
    ``serving_config``'s context and sequences.  Quantized weights are
    sized as loaded (`MemoryEstimate.weight_bytes`).

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0
       Quantized checkpoints are sized as stored, not at the plan's dtype;
       the context, the sequences, the KV cache dtype and quantizing on
       load come from `serving_config`; the activations are placed first.
    """
    estimate = estimate_memory(
        config, context_tokens=context_tokens, batch_size=batch_size
    )
    return place(config, hardware, estimate)


def place(
    config: Qwen3VLConfig,
    hardware: HardwareProfile | None,
    estimate: MemoryEstimate,
) -> TierPlan:
    """Place the parts of `estimate` (made from `config`) across the tiers."""
    dtype = implied_dtype(config, hardware)
    asked = config.serving_config.kv_cache_dtype
    kv_dtype = dtype if asked == "auto" else asked
    budgets = _budgets(config, hardware)
    left = dict(budgets)
    device: tuple[Tier, ...] = ("gpu",) if budgets["gpu"] else ("cpu",)

    weights, layers = _one_gpu(config, _weight_sizes(config, estimate, dtype))
    parts: list[tuple[str, int, tuple[Tier, ...]]] = [
        ("activations", estimate.activation_bytes(dtype), device),
        (
            "kv_cache",
            _kv_share(config, estimate.kv_cache_bytes(kv_dtype), layers),
            ("gpu", "cpu"),
        ),
        *((part, size, TIERS) for part, size in weights),
    ]

    placements = []
    # The weights move down the tiers in forward order and never back up,
    # as accelerate's sequential device maps do: each activation crosses
    # from one tier to the next at most once per forward pass.
    lowest = 0
    for part, size, allowed in parts:
        weight = part not in ("activations", "kv_cache")
        tiers = TIERS[lowest:] if weight else allowed
        tier = next((t for t in tiers if left[t] >= size), None)
        if tier is not None:
            left[tier] -= size
            if weight:
                lowest = TIERS.index(tier)
        placements.append(Placement(part, tier, size))
    return TierPlan(
        dtype, tuple(placements), budgets, estimate, kv_cache_dtype=kv_dtype
    )
