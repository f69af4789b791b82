"""
What makes an architecture valid: activation names, token ids, and the rules across the root's architecture fields.

Each rule says why the model needs it.  `Qwen3VLConfig` lists them.

Strictly private.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from qwen3vl._fields import Rule, rule
from qwen3vl.exceptions import Problem


__all__ = [
    "ACTIVATIONS",
    "FULL_CAPACITY_HEADS",
    "FULL_CAPACITY_LAYERS",
    "MAX_TOKEN_ID",
    "deepstack_layers_exist",
    "divisible",
    "experts_match",
    "full_capacity",
    "key_value_groups",
    "rotary_sections",
    "vision_feeds_text",
]

#: Below these, the model is no longer the full-capacity Qwen3-VL.
FULL_CAPACITY_LAYERS = 32
FULL_CAPACITY_HEADS = 32


@rule("preserve_full_capacity", "num_hidden_layers", "num_attention_heads")
def full_capacity(c: Mapping[str, Any]) -> Iterator[Problem]:
    # The specification promises 32 layers and 32 heads; a smaller model must
    # be asked for explicitly, not reached by a typo or a stray patch.
    if not c["preserve_full_capacity"]:
        return
    for path, least, what in (
        ("num_hidden_layers", FULL_CAPACITY_LAYERS, "layers"),
        ("num_attention_heads", FULL_CAPACITY_HEADS, "attention heads"),
    ):
        if c[path] < least:
            yield Problem(
                path,
                f"expected at least {least} {what} while "
                f"preserve_full_capacity is true (got {c[path]}); "
                "set preserve_full_capacity to false for a reduced model",
            )


def divisible(path: str, by: str, what: str) -> Rule:
    @rule(path, by)
    def check(c: Mapping[str, Any]) -> Iterator[Problem]:
        if c[path] % c[by]:
            yield Problem(
                path,
                f"must be divisible by {by} ({c[by]}) {what} (got {c[path]})",
            )

    return check


#: The activation names transformers knows (its ``ACT2FN`` table).
ACTIVATIONS = (
    "gelu",
    "gelu_10",
    "gelu_accurate",
    "gelu_fast",
    "gelu_new",
    "gelu_python",
    "gelu_python_tanh",
    "gelu_pytorch_tanh",
    "hardswish",
    "laplace",
    "leaky_relu",
    "linear",
    "mish",
    "prelu",
    "quick_gelu",
    "relu",
    "relu2",
    "relu6",
    "sigmoid",
    "silu",
    "sqrtsoftplus",
    "swish",
    "tanh",
    "xielu",
)

#: Largest token id a vocabulary may hold (``vocab_size`` is at most 2**24).
MAX_TOKEN_ID = 2**24 - 1


@rule("num_attention_heads", "num_key_value_heads")
def key_value_groups(c: Mapping[str, Any]) -> Iterator[Problem]:
    # Grouped-query attention: each key/value head serves a whole group of
    # query heads, so the query heads must split into equal groups.
    kv = c["num_key_value_heads"]
    if kv and c["num_attention_heads"] % kv:
        yield Problem(
            "num_key_value_heads",
            f"must divide num_attention_heads ({c['num_attention_heads']})"
            f" (got {kv}); 0 means one per attention head",
        )


@rule("head_dim", "mrope_section")
def rotary_sections(c: Mapping[str, Any]) -> Iterator[Problem]:
    # Rotary embeddings turn pairs of dimensions, and multimodal RoPE hands
    # each pair to exactly one of the time, height and width sections.
    head_dim, sections = c["head_dim"], c["mrope_section"]
    if head_dim % 2:
        yield Problem(
            "head_dim",
            f"must be even: rotary embeddings turn pairs of dimensions"
            f" (got {head_dim})",
        )
    elif sum(sections) != head_dim // 2:
        yield Problem(
            "mrope_section",
            f"must add up to head_dim / 2 ({head_dim // 2})"
            f" (got {list(sections)}, which adds up to {sum(sections)})",
        )


@rule("vision_out_hidden_size", "hidden_size")
def vision_feeds_text(c: Mapping[str, Any]) -> Iterator[Problem]:
    # The vision merger's output takes the place of token embeddings in the
    # text model, so it must be exactly as wide.
    out = c["vision_out_hidden_size"]
    if out and out != c["hidden_size"]:
        yield Problem(
            "vision_out_hidden_size",
            f"must be 0 or equal to hidden_size ({c['hidden_size']})"
            f" (got {out})",
        )


@rule("vision_deepstack_visual_indexes", "vision_num_hidden_layers")
def deepstack_layers_exist(c: Mapping[str, Any]) -> Iterator[Problem]:
    # DeepStack taps the output of these vision layers; an index past the
    # last layer would never fire and its merger would sit unused.
    depth = c["vision_num_hidden_layers"]
    indexes = c["vision_deepstack_visual_indexes"]
    if any(i >= depth for i in indexes):
        yield Problem(
            "vision_deepstack_visual_indexes",
            f"must name layers below vision_num_hidden_layers ({depth})"
            f" (got {list(indexes)})",
        )


@rule(
    "num_experts",
    "num_experts_per_tok",
    "moe_intermediate_size",
    "optimization_config",
)
def experts_match(c: Mapping[str, Any]) -> Iterator[Problem]:
    # A mixture-of-experts checkpoint fixes its experts in its weights: each
    # token goes to 1..num_experts of them, each expert has an MLP, and the
    # runtime's MoE switches must route exactly as the weights were trained.
    experts, top_k = c["num_experts"], c["num_experts_per_tok"]
    if experts == 0:
        return
    if experts == 1:
        yield Problem(
            "num_experts",
            "must be 0 (a dense model) or at least 2 (got 1)",
        )
        return
    top_k_ok = 1 <= top_k <= experts
    if not top_k_ok:
        yield Problem(
            "num_experts_per_tok",
            f"must be 1 to num_experts ({experts}) in a mixture-of-experts"
            f" model (got {top_k})",
        )
    if c["moe_intermediate_size"] == 0:
        yield Problem(
            "moe_intermediate_size",
            "must be at least 1 in a mixture-of-experts model (got 0)",
        )
    switches = c["optimization_config"]
    if not switches.use_moe:
        yield Problem(
            "optimization_config.use_moe",
            f"must be true while num_experts is {experts}: the checkpoint's"
            " layers are experts (got false)",
        )
    if switches.moe_num_experts != experts:
        yield Problem(
            "optimization_config.moe_num_experts",
            f"must equal num_experts ({experts})"
            f" (got {switches.moe_num_experts})",
        )
    if top_k_ok and switches.moe_top_k != top_k:
        yield Problem(
            "optimization_config.moe_top_k",
            f"must equal num_experts_per_tok ({top_k})"
            f" (got {switches.moe_top_k})",
        )
