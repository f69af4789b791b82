"""
qwen3vl's cross-field rules, written once for the other libraries' schemas.

Each function reads a section's fields as attributes and returns the
problems as ``"path: message"`` strings, empty when the section is fine.
The pydantic, msgspec and OmegaConf schemas raise them from their own hooks
(a model validator, ``__post_init__``), as their users would.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any


__all__ = ["cpu", "increasing", "memory", "optimization", "root"]

FULL_CAPACITY = 32


def increasing(name: str, items: tuple[int, ...]) -> list[str]:
    """Return a problem unless `items` are distinct and in increasing order."""
    if any(a >= b for a, b in pairwise(items)):
        return [f"{name}: must be in increasing order (got {list(items)})"]
    return []


def memory(m: Any) -> list[str]:
    """The pool is carved out of GPU memory."""
    if m.memory_pool_size > m.gpu_memory_size:
        return ["memory_pool_size: must not exceed gpu_memory_size"]
    return []


def cpu(c: Any) -> list[str]:
    """Each cache level holds at least the one inside it."""
    problems = []
    if c.l1_cache_size > c.l2_cache_size:
        problems.append("l2_cache_size: must be at least l1_cache_size")
    if c.l2_cache_size > c.l3_cache_size:
        problems.append("l3_cache_size: must be at least l2_cache_size")
    return problems


def optimization(o: Any) -> list[str]:
    """A token cannot be routed to more experts than exist."""
    if o.moe_top_k > o.moe_num_experts:
        return ["moe_top_k: must be at most moe_num_experts"]
    return []


def root(c: Any) -> list[str]:
    """The architecture's rules, and the MoE switches that must match it."""
    problems = []
    if c.preserve_full_capacity:
        if c.num_hidden_layers < FULL_CAPACITY:
            problems.append("num_hidden_layers: at least 32 for full capacity")
        if c.num_attention_heads < FULL_CAPACITY:
            problems.append(
                "num_attention_heads: at least 32 for full capacity"
            )
    for path, by in (
        ("hidden_size", "num_attention_heads"),
        ("vision_hidden_size", "vision_num_attention_heads"),
        ("vision_image_size", "vision_patch_size"),
    ):
        if getattr(c, path) % getattr(c, by):
            problems.append(f"{path}: must be divisible by {by}")
    kv = c.num_key_value_heads
    if kv and c.num_attention_heads % kv:
        problems.append("num_key_value_heads: must divide num_attention_heads")
    if c.head_dim % 2:
        problems.append("head_dim: must be even")
    elif sum(c.mrope_section) != c.head_dim // 2:
        problems.append("mrope_section: must add up to head_dim / 2")
    out = c.vision_out_hidden_size
    if out and out != c.hidden_size:
        problems.append("vision_out_hidden_size: must be 0 or hidden_size")
    depth = c.vision_num_hidden_layers
    if any(i >= depth for i in c.vision_deepstack_visual_indexes):
        problems.append(
            "vision_deepstack_visual_indexes: must name existing layers"
        )
    problems.extend(_experts(c))
    return problems


def _experts(c: Any) -> list[str]:
    experts, top_k = c.num_experts, c.num_experts_per_tok
    if experts == 0:
        return []
    if experts == 1:
        return ["num_experts: must be 0 or at least 2"]
    problems = []
    top_k_ok = 1 <= top_k <= experts
    if not top_k_ok:
        problems.append("num_experts_per_tok: must be 1 to num_experts")
    if c.moe_intermediate_size == 0:
        problems.append("moe_intermediate_size: must be at least 1")
    switches = c.optimization_config
    if not switches.use_moe:
        problems.append("optimization_config.use_moe: must be true")
    if switches.moe_num_experts != experts:
        problems.append(
            "optimization_config.moe_num_experts: must equal num_experts"
        )
    if top_k_ok and switches.moe_top_k != top_k:
        problems.append(
            "optimization_config.moe_top_k: must equal num_experts_per_tok"
        )
    return problems
