"""
The Qwen-VL families and what each fixes: the rules behind `model_family`.

The flat architecture fields describe one of three families.  Each family
has parts the others lack (Qwen3-VL's DeepStack and experts, Qwen2.5-VL's
windowed vision attention), and fixes some choices (Qwen2 attention always
has query, key and value biases).  A field for a part the family lacks holds
its "absent" value, so that no value sits in a config doing nothing.

Strictly private.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Literal, get_args

from qwen3vl._errors import as_written
from qwen3vl._fields import rule
from qwen3vl.exceptions import Problem


__all__ = [
    "FAMILIES",
    "FIXED",
    "ModelFamily",
    "family_fixes",
    "qwen2_shapes",
]

ModelFamily = Literal["qwen3_vl", "qwen2_5_vl", "qwen2_vl"]

#: The families, newest first; Qwen3-VL is the default.
FAMILIES: tuple[str, ...] = get_args(ModelFamily)

_WINDOWS = "windowed vision attention is Qwen2.5-VL's"
_QWEN2 = {
    "attention_bias": (
        True,
        "Qwen2 attention always has query, key and value biases",
    ),
    "mrope_interleaved": (
        False,
        "Qwen2 places the rotary sections one after another",
    ),
    "vision_deepstack_visual_indexes": ((), "it has no DeepStack"),
    "vision_num_position_embeddings": (
        0,
        "its vision tower has rotary positions only, no learned table",
    ),
    "num_experts": (0, "it has no mixture-of-experts build"),
}
_NO_WINDOWS = {
    "vision_window_size": (0, _WINDOWS),
    "vision_fullatt_block_indexes": ((), _WINDOWS),
    "vision_tokens_per_second": (0, "its video positions are not timed"),
}

#: Per family: field -> (the value the family fixes, why).
FIXED: dict[str, dict[str, tuple[Any, str]]] = {
    "qwen3_vl": _NO_WINDOWS,
    "qwen2_5_vl": _QWEN2,
    "qwen2_vl": {**_QWEN2, **_NO_WINDOWS},
}

_FIELDS = sorted({f for fixed in FIXED.values() for f in fixed})


@rule(
    "model_family",
    *_FIELDS,
    "vision_patch_size",
    "vision_spatial_merge_size",
    "vision_num_hidden_layers",
)
def family_fixes(c: Mapping[str, Any]) -> Iterator[Problem]:
    # The export writes the family's own layout; a value that layout has no
    # place for would be lost there, and counted here for a model that is
    # not the one transformers builds.
    family = c["model_family"]
    for field, (value, why) in FIXED[family].items():
        if c[field] != value:
            yield Problem(
                field,
                f"must be {as_written(value)} for model_family {family!r}: {why}"
                f" (got {as_written(c[field])})",
            )
    if family == "qwen3_vl" and c["vision_num_position_embeddings"] == 0:
        yield Problem(
            "vision_num_position_embeddings",
            "must be at least 1 for model_family 'qwen3_vl': its vision"
            " tower learns a table of positions (got 0)",
        )
    if family == "qwen2_5_vl":
        unit = c["vision_patch_size"] * c["vision_spatial_merge_size"]
        window = c["vision_window_size"]
        if window < unit or window % unit:
            yield Problem(
                "vision_window_size",
                f"must be a positive multiple of vision_patch_size x"
                f" vision_spatial_merge_size ({unit}) for model_family"
                f" 'qwen2_5_vl': windows hold whole merged patches"
                f" (got {window})",
            )
        if c["vision_tokens_per_second"] == 0:
            yield Problem(
                "vision_tokens_per_second",
                "must be at least 1 for model_family 'qwen2_5_vl': video"
                " positions advance with time (got 0)",
            )
        depth = c["vision_num_hidden_layers"]
        if any(i >= depth for i in c["vision_fullatt_block_indexes"]):
            yield Problem(
                "vision_fullatt_block_indexes",
                f"must name layers below vision_num_hidden_layers ({depth})"
                f" (got {list(c['vision_fullatt_block_indexes'])})",
            )


@rule(
    "model_family",
    "head_dim",
    "hidden_size",
    "num_attention_heads",
    "vision_hidden_size",
    "vision_intermediate_size",
)
def qwen2_shapes(c: Mapping[str, Any]) -> Iterator[Problem]:
    # Qwen2 layouts have no head_dim key: the head is hidden_size split
    # evenly; Qwen2-VL's vision MLP is a whole multiple (mlp_ratio) wide.
    family = c["model_family"]
    if family == "qwen3_vl":
        return
    heads, hidden = c["num_attention_heads"], c["hidden_size"]
    if c["head_dim"] * heads != hidden:
        yield Problem(
            "head_dim",
            f"must be hidden_size / num_attention_heads ({hidden} / {heads})"
            f" for model_family {family!r}, whose layout derives it"
            f" (got {c['head_dim']})",
        )
    width = c["vision_hidden_size"]
    if family == "qwen2_vl" and c["vision_intermediate_size"] % width:
        yield Problem(
            "vision_intermediate_size",
            f"must be a whole multiple of vision_hidden_size ({width}) for"
            " model_family 'qwen2_vl', whose layout writes it as mlp_ratio"
            f" (got {c['vision_intermediate_size']})",
        )
