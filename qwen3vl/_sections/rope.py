"""
The RoPE scaling section: how the text model stretches its rotary positions.

The names and meanings are transformers' (``rope_scaling`` in the released
files, ``rope_parameters`` in transformers 5): a rope type and the
parameters that type reads.  A parameter no type reads stays at its default,
so that a value never sits in a config doing nothing.

Strictly private.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, ClassVar, Literal, get_args

import attrs

from qwen3vl._compound import number_tuple
from qwen3vl._errors import as_written
from qwen3vl._fields import Rule, rule, setting
from qwen3vl._validators import boolean, integer, number, one_of
from qwen3vl.exceptions import Problem

from .base import BaseConfig


__all__ = ["ROPE_PARAMETERS", "ROPE_TYPES", "RopeScalingConfig"]

RopeType = Literal[
    "default", "linear", "dynamic", "yarn", "longrope", "llama3"
]

#: Every rope type transformers defines for these models, plain first.
ROPE_TYPES: tuple[str, ...] = get_args(RopeType)

#: The parameters each rope type reads (transformers' ``modeling_rope_utils``).
ROPE_PARAMETERS: dict[str, tuple[str, ...]] = {
    "default": (),
    "linear": ("factor",),
    "dynamic": ("factor", "original_max_position_embeddings"),
    "yarn": (
        "factor",
        "original_max_position_embeddings",
        "attention_factor",
        "beta_fast",
        "beta_slow",
        "mscale",
        "mscale_all_dim",
        "truncate",
    ),
    "longrope": (
        "factor",
        "original_max_position_embeddings",
        "attention_factor",
        "short_factor",
        "long_factor",
    ),
    "llama3": (
        "factor",
        "original_max_position_embeddings",
        "low_freq_factor",
        "high_freq_factor",
    ),
}


@rule(
    "rope_type",
    "factor",
    "original_max_position_embeddings",
    "attention_factor",
    "beta_fast",
    "beta_slow",
    "mscale",
    "mscale_all_dim",
    "truncate",
    "short_factor",
    "long_factor",
    "low_freq_factor",
    "high_freq_factor",
)
def parameters_of_type(c: Mapping[str, Any]) -> Iterator[Problem]:
    # A parameter the rope type never reads would look as if it scaled the
    # positions while it does nothing; the type's own needs come after.
    kind = c["rope_type"]
    reads = ROPE_PARAMETERS[kind]
    for name, default in _DEFAULTS.items():
        if name not in reads and c[name] != default:
            users = [t for t, ps in ROPE_PARAMETERS.items() if name in ps]
            yield Problem(
                name,
                f"is read only by rope_type {' or '.join(users)}, not"
                f" {kind!r}: leave it at its default {as_written(default)}"
                f" (got {as_written(c[name])})",
            )
    if kind == "yarn" and c["beta_fast"] <= c["beta_slow"]:
        yield Problem(
            "beta_fast",
            f"must be above beta_slow ({c['beta_slow']}): YaRN ramps between"
            f" them (got {c['beta_fast']})",
        )
    if kind == "longrope":
        short, long = c["short_factor"], c["long_factor"]
        if not short or len(short) != len(long):
            yield Problem(
                "long_factor",
                "LongRoPE needs short_factor and long_factor of the same,"
                f" non-zero length (got {len(short)} and {len(long)} values)",
            )
    if kind == "llama3":
        if c["original_max_position_embeddings"] == 0:
            yield Problem(
                "original_max_position_embeddings",
                "llama3 scaling needs the context the model was trained for"
                " (got 0, which means not set)",
            )
        if c["low_freq_factor"] >= c["high_freq_factor"]:
            yield Problem(
                "high_freq_factor",
                f"must be above low_freq_factor ({c['low_freq_factor']})"
                f" (got {c['high_freq_factor']})",
            )


@attrs.frozen(eq=False, repr=False)
class RopeScalingConfig(BaseConfig):
    """
    How the text model's rotary positions are scaled, as transformers says.

    Attributes:
        rope_type: ``"default"`` (no scaling), ``"linear"``, ``"dynamic"``,
            ``"yarn"``, ``"longrope"`` or ``"llama3"``.
        factor: How many times the trained context is stretched, >= 1.
        original_max_position_embeddings: Context the model was trained
            for; 0 means not set.
        attention_factor: Attention scaling of YaRN and LongRoPE; 0 means
            computed from `factor`.
        beta_fast: YaRN's fast boundary of the frequency ramp.
        beta_slow: YaRN's slow boundary of the frequency ramp.
        mscale: YaRN's attention scale; 0 means not set.
        mscale_all_dim: YaRN's attention scale over all dimensions; 0 means
            not set.
        truncate: YaRN truncates its correction range to whole dimensions.
        short_factor: LongRoPE's factors for short contexts, one per
            frequency.
        long_factor: LongRoPE's factors for long contexts, one per
            frequency.
        low_freq_factor: llama3's low-frequency boundary.
        high_freq_factor: llama3's high-frequency boundary.

    .. versionadded:: 0.2.0
    """

    __qwen3vl_rules__: ClassVar[tuple[Rule, ...]] = (parameters_of_type,)

    rope_type: RopeType = setting(
        "default",
        "Rope type: default, linear, dynamic, yarn, longrope or llama3.",
        one_of(ROPE_TYPES),
    )
    factor: float = setting(
        1.0,
        "How many times the trained context is stretched.",
        number(ge=1.0, le=1e6),
    )
    original_max_position_embeddings: int = setting(
        0,
        "Context the model was trained for, in tokens; 0 means not set.",
        integer(ge=0, le=2**26),
    )
    attention_factor: float = setting(
        0.0,
        "Attention scaling of YaRN and LongRoPE; 0 means computed from factor.",
        number(ge=0.0, le=1e3),
    )
    beta_fast: float = setting(
        32.0,
        "YaRN's fast boundary of the frequency ramp.",
        number(gt=0.0, le=1e6),
    )
    beta_slow: float = setting(
        1.0,
        "YaRN's slow boundary of the frequency ramp.",
        number(gt=0.0, le=1e6),
    )
    mscale: float = setting(
        0.0, "YaRN's attention scale; 0 means not set.", number(ge=0.0, le=1e3)
    )
    mscale_all_dim: float = setting(
        0.0,
        "YaRN's attention scale over all dimensions; 0 means not set.",
        number(ge=0.0, le=1e3),
    )
    truncate: bool = setting(
        True,
        "YaRN truncates its correction range to whole dimensions.",
        boolean(),
    )
    short_factor: tuple[float, ...] = setting(
        (),
        "LongRoPE's factors for short contexts, one per rotary frequency.",
        number_tuple(gt=0.0, le=1e6, max_len=4096),
    )
    long_factor: tuple[float, ...] = setting(
        (),
        "LongRoPE's factors for long contexts, one per rotary frequency.",
        number_tuple(gt=0.0, le=1e6, max_len=4096),
    )
    low_freq_factor: float = setting(
        1.0, "llama3's low-frequency boundary.", number(gt=0.0, le=1e6)
    )
    high_freq_factor: float = setting(
        4.0, "llama3's high-frequency boundary.", number(gt=0.0, le=1e6)
    )


#: Each parameter's default: what "not used" looks like.
_DEFAULTS: dict[str, Any] = {
    f.name: f.default
    for f in attrs.fields(RopeScalingConfig)
    if f.name != "rope_type"
}
