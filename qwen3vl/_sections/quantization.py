"""
The quantization section: how the checkpoint's weights are stored.

It mirrors Hugging Face's ``quantization_config`` key: the method and what
sizing and checking need are fields; every other key of the checkpoint's
mapping is kept, as JSON text, in `extra`, so that exporting gives back what
was imported.

Strictly private.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, ClassVar, Literal, get_args

import attrs

from qwen3vl._compound import int_tuple, json_object, name_tuple
from qwen3vl._errors import as_written
from qwen3vl._fields import Rule, rule, setting
from qwen3vl._validators import integer, one_of
from qwen3vl.exceptions import Problem

from .base import BaseConfig


__all__ = ["BITS", "QUANTIZATION_METHODS", "QuantizationConfig"]

QuantizationMethod = Literal[
    "none", "fp8", "awq", "gptq", "bitsandbytes", "compressed-tensors"
]

#: The methods, by Hugging Face's ``quant_method`` names; "none" stores
#: every weight at the checkpoint's dtype.
QUANTIZATION_METHODS: tuple[str, ...] = get_args(QuantizationMethod)

#: The bits per weight each method can store.
BITS: dict[str, tuple[int, ...]] = {
    "none": (0,),
    "fp8": (8,),
    "awq": (4,),
    "gptq": (2, 3, 4, 8),
    "bitsandbytes": (4, 8),
    "compressed-tensors": (4, 8),
}

#: Methods whose weights come in groups along the input (group_size).
_GROUPED = ("awq", "gptq", "compressed-tensors")


@rule(
    "method",
    "bits",
    "group_size",
    "weight_block_size",
    "modules_to_not_convert",
    "extra",
)
def method_needs(c: Mapping[str, Any]) -> Iterator[Problem]:
    # Each method stores weights its own way; a value it cannot have would
    # make the sizes and the checks describe a checkpoint that cannot exist.
    method = c["method"]
    if method == "none":
        for name, empty in (
            ("bits", 0),
            ("group_size", 0),
            ("weight_block_size", ()),
            ("modules_to_not_convert", ()),
            ("extra", "{}"),
        ):
            if c[name] != empty:
                yield Problem(
                    name,
                    f"must be {as_written(empty)} while method is 'none': nothing"
                    f" is quantized (got {as_written(c[name])})",
                )
        return
    if c["bits"] not in BITS[method]:
        allowed = " or ".join(map(str, BITS[method]))
        yield Problem(
            "bits",
            f"must be {allowed} for method {method!r} (got {c['bits']})",
        )
    if method not in _GROUPED and c["group_size"] != 0:
        yield Problem(
            "group_size",
            f"must be 0 for method {method!r}: its scales are not grouped"
            f" along the input (got {c['group_size']})",
        )
    if method in ("awq", "gptq") and c["group_size"] == 0:
        yield Problem(
            "group_size",
            f"method {method!r} stores one scale per group of inputs: give"
            " the group's size, or -1 for one group per column (got 0)",
        )
    if method != "fp8" and c["weight_block_size"]:
        yield Problem(
            "weight_block_size",
            f"is read only for method 'fp8', not {method!r}"
            f" (got {list(c['weight_block_size'])})",
        )
    if len(c["weight_block_size"]) == 1:
        yield Problem(
            "weight_block_size",
            "must be empty (one scale per tensor) or [rows, columns]"
            f" (got {list(c['weight_block_size'])})",
        )


@attrs.frozen(eq=False, repr=False)
class QuantizationConfig(BaseConfig):
    """
    How the checkpoint's weights are stored: Hugging Face's ``quantization_config``.

    Attributes:
        method: ``"none"`` (every weight at the model's dtype), ``"fp8"``,
            ``"awq"``, ``"gptq"``, ``"bitsandbytes"`` or
            ``"compressed-tensors"``.
        bits: Bits per quantized weight (0 when nothing is quantized).
        group_size: Inputs that share one scale (AWQ, GPTQ,
            compressed-tensors); -1 is one group per column, 0 no groups.
        weight_block_size: FP8's ``[rows, columns]`` of one scale block;
            empty for one scale per tensor.
        modules_to_not_convert: Modules kept at the model's dtype, by name
            or pattern, as the checkpoint lists them.
        extra: The checkpoint's other ``quantization_config`` keys, as a
            JSON object in text, written back on export.

    .. versionadded:: 0.2.0
    """

    __qwen3vl_rules__: ClassVar[tuple[Rule, ...]] = (method_needs,)

    method: QuantizationMethod = setting(
        "none",
        "Quantization method: none, fp8, awq, gptq, bitsandbytes or compressed-tensors.",
        one_of(QUANTIZATION_METHODS),
    )
    bits: int = setting(
        0,
        "Bits per quantized weight; 0 when nothing is quantized.",
        integer(ge=0, le=16),
    )
    group_size: int = setting(
        0,
        "Inputs that share one scale; -1 is one group per column, 0 no groups.",
        integer(ge=-1, le=2**20),
    )
    weight_block_size: tuple[int, ...] = setting(
        (),
        "FP8's [rows, columns] of one scale block; empty for one per tensor.",
        int_tuple(ge=1, le=65_536, max_len=2),
    )
    modules_to_not_convert: tuple[str, ...] = setting(
        (),
        "Modules kept at the model's dtype, by name or pattern.",
        name_tuple(max_len=4096),
    )
    extra: str = setting(
        "{}",
        "The checkpoint's other quantization_config keys, as JSON text.",
        json_object(max_chars=65_536),
    )
