"""
The optimization section: every switch and its parameters.

Strictly private.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, ClassVar

import attrs

from qwen3vl._fields import Rule, rule, setting
from qwen3vl._validators import boolean, integer, number
from qwen3vl.exceptions import Problem

from .base import BaseConfig


__all__ = ["OptimizationConfig"]


@rule("moe_num_experts", "moe_top_k")
def _top_k_within_experts(c: Mapping[str, Any]) -> Iterator[Problem]:
    # A token cannot be routed to more experts than exist.
    if c["moe_top_k"] > c["moe_num_experts"]:
        yield Problem(
            "moe_top_k",
            f"must be at most moe_num_experts ({c['moe_num_experts']})"
            f" (got {c['moe_top_k']})",
        )


def _switch(default: bool, description: str) -> Any:
    return setting(default, description, boolean())


@attrs.frozen(eq=False, repr=False)
class OptimizationConfig(BaseConfig):
    """
    Switches for every optimization technique, and their parameters.

    Attributes:
        sparsity_ratio: Fraction of activations zeroed by sparsity, [0, 1).
        moe_num_experts: Mixture-of-experts experts, 2 to 1024.
        moe_top_k: Experts each token is routed to, 1 to `moe_num_experts`.

    Every other attribute is a boolean switch named ``use_<technique>``.

    .. versionadded:: 0.1.0
    """

    __qwen3vl_rules__: ClassVar[tuple[Rule, ...]] = (_top_k_within_experts,)

    use_memory_pooling: bool = _switch(True, "Reuse allocations from a pool.")
    use_hierarchical_memory_compression: bool = _switch(
        True, "Compress memory hierarchically across tiers."
    )
    use_memory_efficient_attention: bool = _switch(
        True, "Use memory-efficient attention kernels."
    )
    use_sparsity: bool = _switch(True, "Enable activation sparsity.")
    sparsity_ratio: float = setting(
        0.5,
        "Fraction of activations zeroed when sparsity is on.",
        number(ge=0.0, lt=1.0),
    )
    use_dynamic_sparse_attention: bool = _switch(
        True, "Enable dynamic sparse attention."
    )
    use_adaptive_precision: bool = _switch(
        True, "Choose numeric precision per layer at run time."
    )
    use_moe: bool = _switch(True, "Enable mixture of experts.")
    moe_num_experts: int = setting(
        4, "Number of mixture-of-experts experts.", integer(ge=2, le=1024)
    )
    moe_top_k: int = setting(
        2, "Number of experts each token is routed to.", integer(ge=1, le=1024)
    )
    use_flash_attention_2: bool = _switch(True, "Enable FlashAttention-2.")
    use_adaptive_depth: bool = _switch(
        True, "Skip layers adaptively for easy inputs."
    )
    use_gradient_checkpointing: bool = _switch(
        True, "Recompute activations in the backward pass to save memory."
    )
    use_context_adaptive_positional_encoding: bool = _switch(
        True, "Adapt positional encoding to the context."
    )
    use_conditional_feature_extraction: bool = _switch(
        True, "Extract vision features only where needed."
    )
    use_cross_modal_compression: bool = _switch(
        True, "Compress across the text and vision modalities."
    )
    use_cross_layer_memory_sharing: bool = _switch(
        True, "Share memory between transformer layers."
    )
    use_hierarchical_vision: bool = _switch(
        True, "Process images hierarchically."
    )
    use_learned_activation_routing: bool = _switch(
        True, "Route activations with a learned router."
    )
    use_adaptive_batch_processing: bool = _switch(
        True, "Adapt the batch size at run time."
    )
    use_adaptive_sequence_packing: bool = _switch(
        True, "Pack sequences adaptively into batches."
    )
    use_memory_efficient_grad_accumulation: bool = _switch(
        True, "Accumulate gradients memory-efficiently."
    )
    use_faster_rotary_embeddings: bool = _switch(
        True, "Use the faster rotary embedding kernels."
    )
    use_hardware_specific_kernels: bool = _switch(
        True, "Use kernels tuned for the target hardware."
    )
