"""
The value kinds made of several values: pairs, short lists and JSON objects.

`capability` and `int_tuple` were the first; RoPE's per-frequency factors
(`number_tuple`), the modules a quantization leaves alone (`name_tuple`) and
the keys of a checkpoint's ``quantization_config`` that no field holds
(`json_object`) came with the Qwen-VL families.  Each is a `Validator`, as
in `qwen3vl._validators`.

Strictly private.
"""

from __future__ import annotations

import itertools
import math
import re

from typing import Any

from ._validators import (
    _FLOAT_TEXT,
    _INT_TEXT,
    Invalid,
    Validator,
    _bounds_text,
    _fail,
    _json_bounds,
)


__all__ = [
    "capability",
    "int_tuple",
    "json_object",
    "name_tuple",
    "number_tuple",
]

_CAPABILITY_TEXT = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})")


def _comma_separated(
    text: str, item: re.Pattern[str], max_len: int
) -> list[str] | None:
    """
    Split a list written as text ("24,20,20"), or None if it is not one.

    An empty value is an empty list; each item must match `item`.
    """
    parts = [part.strip() for part in text.split(",")] if text.strip() else []
    if len(parts) > max_len or not all(item.fullmatch(p) for p in parts):
        return None
    return parts


class _TupleValidator(Validator):
    """Values stored as tuples, written as lists."""

    __slots__ = ()

    @staticmethod
    def converter(value: Any) -> Any:
        # Files and users write lists ([6, 1]); the field stores a tuple so
        # that configs stay hashable and immutable.
        if type(value) is list:
            return tuple(value)
        return value

    def to_python(self, value: Any) -> Any:
        return list(value)

    dump = to_python


class _CapabilityValidator(_TupleValidator):
    __slots__ = ("major", "minor")

    def __init__(self, major: tuple[int, int], minor: tuple[int, int]) -> None:
        self.major = major
        self.minor = minor

    def __repr__(self) -> str:
        return f"capability(major={self.major}, minor={self.minor})"

    def expected(self) -> str:
        return (
            f"a [major, minor] pair of integers, major "
            f"{self.major[0]}..{self.major[1]}, minor "
            f"{self.minor[0]}..{self.minor[1]}"
        )

    def from_text(self, text: str) -> Any:
        # The way NVIDIA writes it: "8.6".
        match = _CAPABILITY_TEXT.fullmatch(text.strip())
        if match is None:
            raise _fail(f"{self.expected()}, written like 8.6", text)
        return (int(match[1]), int(match[2]))

    def check(self, value: object) -> None:
        if (
            type(value) is not tuple
            or len(value) != 2
            or type(value[0]) is not int
            or type(value[1]) is not int
            or not self.major[0] <= value[0] <= self.major[1]
            or not self.minor[0] <= value[1] <= self.minor[1]
        ):
            raise _fail(self.expected(), value)

    def json_schema(self) -> dict[str, Any]:
        # maxItems rather than ``items: false``: editors that know only draft
        # 7 skip prefixItems, and would then read ``items: false`` as "no
        # items at all" and flag every capability.
        major, minor = self.major, self.minor
        return {
            "type": "array",
            "prefixItems": [
                {"type": "integer", **_json_bounds(major[0], le=major[1])},
                {"type": "integer", **_json_bounds(minor[0], le=minor[1])},
            ],
            "minItems": 2,
            "maxItems": 2,
        }


def capability(*, major: tuple[int, int], minor: tuple[int, int]) -> Validator:
    """Return a validator for a ``(major, minor)`` version pair."""
    return _CapabilityValidator(major, minor)


class _IntTupleValidator(_TupleValidator):
    """A short run of whole numbers, such as RoPE sections or layer indexes."""

    __slots__ = ("ge", "increasing", "le", "max_len", "min_len")

    def __init__(
        self, ge: int, le: int, min_len: int, max_len: int, increasing: bool
    ) -> None:
        self.ge = ge
        self.le = le
        self.min_len = min_len
        self.max_len = max_len
        self.increasing = increasing

    def __repr__(self) -> str:
        return (
            f"int_tuple(ge={self.ge}, le={self.le}, min_len={self.min_len}, "
            f"max_len={self.max_len}, increasing={self.increasing})"
        )

    def expected(self) -> str:
        if self.min_len == self.max_len:
            count = f"exactly {self.min_len}"
        else:
            count = f"{self.min_len} to {self.max_len}"
        order = ", in increasing order" if self.increasing else ""
        bounds = _bounds_text(self.ge, None, self.le, None)
        return f"a list of {count} integers {bounds}{order}"

    def from_text(self, text: str) -> Any:
        parts = _comma_separated(text, _INT_TEXT, self.max_len)
        if parts is None:
            raise _fail(f"{self.expected()}, written like 24,20,20", text)
        return tuple(int(part) for part in parts)

    def check(self, value: object) -> None:
        if (
            type(value) is not tuple
            or not self.min_len <= len(value) <= self.max_len
            or any(
                type(item) is not int or not self.ge <= item <= self.le
                for item in value
            )
            or (
                self.increasing
                and any(a >= b for a, b in itertools.pairwise(value))
            )
        ):
            raise _fail(self.expected(), value)

    def json_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {
            "type": "array",
            "items": {"type": "integer", **_json_bounds(self.ge, le=self.le)},
            "minItems": self.min_len,
            "maxItems": self.max_len,
        }
        if self.increasing:
            # The order itself is beyond JSON Schema; distinct items are not.
            schema["uniqueItems"] = True
        return schema


def int_tuple(
    *,
    ge: int,
    le: int,
    min_len: int = 0,
    max_len: int,
    increasing: bool = False,
) -> Validator:
    """
    Return a validator for a tuple of ints in ``[ge, le]``; files write lists.

    `increasing` also asks for distinct items in increasing order.
    """
    return _IntTupleValidator(ge, le, min_len, max_len, increasing)


class _NumberTupleValidator(_TupleValidator):
    """A run of finite floats, such as LongRoPE's per-frequency factors."""

    __slots__ = ("gt", "le", "max_len")

    def __init__(self, gt: float, le: float, max_len: int) -> None:
        self.gt = gt
        self.le = le
        self.max_len = max_len

    def __repr__(self) -> str:
        return (
            f"number_tuple(gt={self.gt}, le={self.le}, max_len={self.max_len})"
        )

    @staticmethod
    def converter(value: Any) -> Any:
        # As for a single number: an int is a float, and a list a tuple.
        if type(value) in (list, tuple):
            return tuple(
                float(v) if type(v) is int and abs(v) <= 2**53 else v
                for v in value
            )
        return value

    def expected(self) -> str:
        bounds = _bounds_text(None, self.gt, self.le, None)
        return f"a list of at most {self.max_len} numbers {bounds}"

    def from_text(self, text: str) -> Any:
        parts = _comma_separated(text, _FLOAT_TEXT, self.max_len)
        if parts is None:
            raise _fail(f"{self.expected()}, written like 1.0,1.5", text)
        return tuple(float(part) for part in parts)

    def check(self, value: object) -> None:
        if (
            type(value) is not tuple
            or len(value) > self.max_len
            or any(
                type(item) is not float
                or not math.isfinite(item)
                or not self.gt < item <= self.le
                for item in value
            )
        ):
            raise _fail(self.expected(), value)

    def json_schema(self) -> dict[str, Any]:
        return {
            "type": "array",
            "items": {
                "type": "number",
                **_json_bounds(None, self.gt, self.le),
            },
            "maxItems": self.max_len,
        }


def number_tuple(*, gt: float, le: float, max_len: int) -> Validator:
    """Return a validator for a tuple of floats in ``(gt, le]``; files write lists."""
    return _NumberTupleValidator(gt, le, max_len)


class _NameTupleValidator(_TupleValidator):
    """Module names or patterns, such as ``"visual"`` or ``"re:.*lm_head"``."""

    __slots__ = ("max_len",)

    # Printable ASCII without spaces or commas: dotted module paths and the
    # regular expressions compressed-tensors writes ("re:visual.*"); a comma
    # would split the name in a variable or an override.
    _PATTERN = re.compile(r"[!-+\--~]{1,512}")

    def __init__(self, max_len: int) -> None:
        self.max_len = max_len

    def __repr__(self) -> str:
        return f"name_tuple(max_len={self.max_len})"

    def expected(self) -> str:
        return (
            f"a list of at most {self.max_len} module names, each 1 to 512"
            " printable ASCII characters without spaces or commas"
        )

    def from_text(self, text: str) -> Any:
        return (
            tuple(p.strip() for p in text.split(",")) if text.strip() else ()
        )

    def check(self, value: object) -> None:
        if (
            type(value) is not tuple
            or len(value) > self.max_len
            or any(
                type(item) is not str or not self._PATTERN.fullmatch(item)
                for item in value
            )
        ):
            raise _fail(self.expected(), value)

    def json_schema(self) -> dict[str, Any]:
        return {
            "type": "array",
            "items": {
                "type": "string",
                "pattern": f"^{self._PATTERN.pattern}$",
            },
            "maxItems": self.max_len,
        }


def name_tuple(*, max_len: int) -> Validator:
    """Return a validator for a tuple of module names; files write lists."""
    return _NameTupleValidator(max_len)


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            msg = f"the key {key!r} appears twice"
            raise ValueError(msg)
        found[key] = value
    return found


def _no_constant(name: str) -> Any:
    msg = f"{name} is not a JSON number"
    raise ValueError(msg)


def parse_json_object(text: str) -> dict[str, Any]:
    """
    Return the JSON object `text` holds; raise `ValueError` if it holds none.

    Strict as our JSON files are: no duplicate keys, no NaN or infinities.
    """
    import json  # noqa: PLC0415 - only configs of quantized checkpoints need it

    try:
        value = json.loads(
            text,
            object_pairs_hook=_no_duplicates,
            parse_constant=_no_constant,
        )
    except RecursionError:
        msg = "it is nested too deeply"
        raise ValueError(msg) from None
    if not isinstance(value, dict):
        msg = f"it holds a JSON {type(value).__name__}, not an object"
        raise ValueError(msg)  # noqa: TRY004 - a ValueError is what callers catch
    return value


class _JsonObjectValidator(Validator):
    """A JSON object written as text, kept exactly as given."""

    __slots__ = ("max_chars",)

    def __init__(self, max_chars: int) -> None:
        self.max_chars = max_chars

    def __repr__(self) -> str:
        return f"json_object(max_chars={self.max_chars})"

    def expected(self) -> str:
        return f"a JSON object written as text, at most {self.max_chars} characters"

    def check(self, value: object) -> None:
        if type(value) is not str or len(value) > self.max_chars:
            raise _fail(self.expected(), value)
        try:
            parse_json_object(value)
        except ValueError as e:
            message = f"expected {self.expected()}: {e}"
            raise Invalid(message) from None

    def json_schema(self) -> dict[str, Any]:
        return {
            "type": "string",
            "maxLength": self.max_chars,
            "contentMediaType": "application/json",
        }


def json_object(*, max_chars: int) -> Validator:
    """Return a validator for a JSON object held as text (``"{}"`` is empty)."""
    return _JsonObjectValidator(max_chars)
