"""
Which optimization switches transformers has a counterpart for.

Pure data, with no import of transformers or of any config class, so that
every layer may read it: `qwen3vl.hardware` reports the switches that are on
and have no counterpart (``check_config``'s ``info`` findings), and
`qwen3vl.integrations.transformers` lists them (``unsupported_flags``).
docs/integration.md shows the same table; a test keeps the two equal.

Strictly private.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType


__all__ = ["TRANSFORMERS_COUNTERPARTS", "without_counterpart"]

#: Every boolean switch of ``OptimizationConfig``, in field order, and what
#: does its work in transformers (or in PyTorch under it); ``None`` where
#: nothing does, so that the switch has no effect on a transformers model.
TRANSFORMERS_COUNTERPARTS: Mapping[str, str | None] = MappingProxyType(
    {
        "use_memory_pooling": (
            "PyTorch's caching allocator, always on; `load_kwargs` keeps"
            " `memory_pool_size` out of the GPU budget"
        ),
        "use_hierarchical_memory_compression": None,
        "use_memory_efficient_attention": (
            '`attn_implementation="sdpa"`, which `load_kwargs` picks unless'
            " FlashAttention-2 or eager is asked for"
        ),
        "use_sparsity": None,
        "use_dynamic_sparse_attention": None,
        "use_adaptive_precision": None,
        "use_moe": ("the Qwen3-VL-MoE model classes, chosen by `num_experts`"),
        "use_flash_attention_2": (
            '`attn_implementation="flash_attention_2"`, which `load_kwargs`'
            " picks when `attention_implementation` asks for it and the GPU"
            " and the `flash_attn` package allow it"
        ),
        "use_adaptive_depth": None,
        "use_gradient_checkpointing": (
            "`model.gradient_checkpointing_enable()`, for training; call it"
            " yourself"
        ),
        "use_context_adaptive_positional_encoding": None,
        "use_conditional_feature_extraction": None,
        "use_cross_modal_compression": None,
        "use_cross_layer_memory_sharing": None,
        "use_hierarchical_vision": None,
        "use_learned_activation_routing": None,
        "use_adaptive_batch_processing": None,
        "use_adaptive_sequence_packing": None,
        "use_memory_efficient_grad_accumulation": None,
        "use_faster_rotary_embeddings": None,
        "use_hardware_specific_kernels": (
            "`from_pretrained(use_kernels=True)` with the `kernels` package;"
            " it fetches kernels from the Hub, so pass it yourself"
        ),
    }
)


def without_counterpart(switches: object) -> tuple[str, ...]:
    """
    Return the switches on in `switches` that transformers has no counterpart for.

    `switches` is an ``OptimizationConfig``; the names come in field order.
    """
    return tuple(
        name
        for name, counterpart in TRANSFORMERS_COUNTERPARTS.items()
        if counterpart is None and getattr(switches, name) is True
    )
