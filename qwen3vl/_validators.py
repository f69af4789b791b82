"""
The value kinds of configuration fields, each written once.

Each setting of a config class carries a validator object in its metadata
(`qwen3vl._fields.setting`).
One object answers every question about the field's values: how to read one
from a file, dict or patch (`parse`, strict, units allowed), whether a Python
value is valid (`check`), how to write one to a file (`dump`) and what is
expected, in words (`expected`).  Keeping that in one place is what lets the
converter, the file writers, `apply_updates` and direct construction agree.

Strictly private.
"""

from __future__ import annotations

import contextlib
import math
import re

from collections.abc import Callable, Sequence
from typing import Any

from ._errors import closest, given
from ._units import format_size, parse_size, show_size


__all__ = [
    "Invalid",
    "Validator",
    "boolean",
    "integer",
    "name",
    "number",
    "one_of",
    "size",
]


class Invalid(Exception):  # noqa: N818 - an internal signal, never raised to users
    """
    A value failed its field's validator; the message says why.

    Strictly private: the config classes turn it into a `Problem`.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# The strict grammars of values written as text (environment variables,
# "path=value" overrides): no underscores, no hex, no YAML-isms.
_INT_TEXT = re.compile(r"[-+]?[0-9]{1,30}")
_FLOAT_TEXT = re.compile(
    r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?"
)


def _fail(expected: str, value: object) -> Invalid:
    return Invalid(f"expected {expected} ({given(value)})")


class Validator:
    """
    How the values of one kind of field are read, checked and written.

    Strictly private.
    """

    __slots__ = ()

    #: Converter applied by attrs on construction (for example int -> float).
    converter: Callable[[Any], Any] | None = None

    def expected(self) -> str:
        """Describe valid values, in words, for messages and docs."""
        raise NotImplementedError

    def parse(self, raw: object) -> Any:
        """Read `raw` from a file, dict or patch; raise `Invalid` if bad."""
        value = raw if self.converter is None else self.converter(raw)
        self.check(value)
        return value

    def from_text(self, text: str) -> Any:
        """
        Read `text` from an environment variable or a ``path=value`` override.

        The result still goes through `parse`; this only turns the string
        into the kind of value a file would hold, by a strict grammar.
        Surrounding spaces never matter in a variable or an override.
        """
        return text.strip()

    def check(self, value: object) -> None:
        """Raise `Invalid` unless `value` is a valid Python value."""
        raise NotImplementedError

    def dump(self, value: Any) -> Any:
        """Return `value` as it is written to a file."""
        return value

    def to_python(self, value: Any) -> Any:
        """Return `value` as plain data for `to_dict` (JSON types)."""
        return value

    def json_schema(self) -> dict[str, Any]:
        """
        Return the JSON Schema (draft 2020-12) of the values files may hold.

        It is as strict as `parse` wherever JSON Schema can say so, and never
        stricter: a value it refuses, `parse` refuses too.
        """
        raise NotImplementedError


def _json_bounds(
    ge: float | None,
    gt: float | None = None,
    le: float | None = None,
    lt: float | None = None,
) -> dict[str, Any]:
    keywords = (
        ("minimum", ge),
        ("exclusiveMinimum", gt),
        ("maximum", le),
        ("exclusiveMaximum", lt),
    )
    return {key: bound for key, bound in keywords if bound is not None}


# What `_units.parse_size` reads, as a pattern for any JSON Schema validator:
# Python's `\s` spelled out (ECMA-262's differs), the units matched without
# case-insensitivity flags, which patterns cannot carry.  Whole bytes and the
# bounds are beyond a pattern.
_JSON_SPACE = (
    "[\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a"
    "\u2028\u2029\u202f\u205f\u3000]*"
)
_JSON_SIZE = (
    f"^{_JSON_SPACE}[0-9]{{1,20}}(?:\\.[0-9]{{1,20}})?{_JSON_SPACE}"
    f"(?:[Bb]|[KkMmGgTt][Ii]?[Bb]){_JSON_SPACE}$"
)


def _bounds_text(
    ge: float | None,
    gt: float | None,
    le: float | None,
    lt: float | None,
    show: Callable[[Any], object] = lambda v: v,
) -> str:
    parts = []
    if ge is not None:
        parts.append(f">= {show(ge)}")
    if gt is not None:
        parts.append(f"> {show(gt)}")
    if le is not None:
        parts.append(f"<= {show(le)}")
    if lt is not None:
        parts.append(f"< {show(lt)}")
    return " and ".join(parts)


class _IntegerValidator(Validator):
    __slots__ = ("ge", "le")

    def __init__(self, ge: int, le: int) -> None:
        self.ge = ge
        self.le = le

    def __repr__(self) -> str:
        return f"integer(ge={self.ge}, le={self.le})"

    def from_text(self, text: str) -> Any:
        if _INT_TEXT.fullmatch(text.strip()):
            return int(text)
        raise _fail(self.expected(), text)

    def expected(self) -> str:
        return f"an integer {_bounds_text(self.ge, None, self.le, None)}"

    def check(self, value: object) -> None:
        if type(value) is not int or not self.ge <= value <= self.le:
            raise _fail(self.expected(), value)

    def json_schema(self) -> dict[str, Any]:
        return {"type": "integer", **_json_bounds(self.ge, le=self.le)}


class _NumberValidator(Validator):
    __slots__ = ("ge", "gt", "le", "lt")

    def __init__(
        self,
        ge: float | None,
        gt: float | None,
        le: float | None,
        lt: float | None,
    ) -> None:
        self.ge = ge
        self.gt = gt
        self.le = le
        self.lt = lt

    def __repr__(self) -> str:
        return f"number({_bounds_text(self.ge, self.gt, self.le, self.lt)})"

    @staticmethod
    def converter(value: Any) -> Any:
        # An int is a valid float (design: "an int is accepted for a float
        # field"); storing it as float keeps equality, hashing and the
        # written form ("75.0") the same whichever was given.
        if type(value) is int:
            return float(value)
        if type(value) is float and value == 0.0:
            # -0.0 == 0.0, so equal configs must not differ in their
            # written form or fingerprint by the sign of a zero.
            return 0.0
        return value

    def expected(self) -> str:
        bounds = _bounds_text(self.ge, self.gt, self.le, self.lt)
        return f"a number {bounds}"

    def from_text(self, text: str) -> Any:
        if _FLOAT_TEXT.fullmatch(text.strip()):
            return float(text)
        raise _fail(self.expected(), text)

    def parse(self, raw: object) -> Any:
        if type(raw) is int and abs(raw) > 2**53:
            raise _fail(self.expected(), raw)
        return super().parse(raw)

    def check(self, value: object) -> None:
        if type(value) is not float or not math.isfinite(value):
            raise _fail(self.expected(), value)
        if (
            (self.ge is not None and not value >= self.ge)
            or (self.gt is not None and not value > self.gt)
            or (self.le is not None and not value <= self.le)
            or (self.lt is not None and not value < self.lt)
        ):
            raise _fail(self.expected(), value)

    def json_schema(self) -> dict[str, Any]:
        bounds = _json_bounds(self.ge, self.gt, self.le, self.lt)
        return {"type": "number", **bounds}


class _BooleanValidator(Validator):
    __slots__ = ()

    def __repr__(self) -> str:
        return "boolean()"

    def from_text(self, text: str) -> Any:
        word = text.strip().lower()
        if word in ("true", "1"):
            return True
        if word in ("false", "0"):
            return False
        raise _fail("true, false, 1 or 0", text)

    def expected(self) -> str:
        return "true or false"

    def check(self, value: object) -> None:
        if type(value) is not bool:
            raise _fail(self.expected(), value)

    def json_schema(self) -> dict[str, Any]:
        return {"type": "boolean"}


class _SizeValidator(_IntegerValidator):
    """
    Whole bytes; `parse` (files, dicts, patches) also reads ``"6GiB"``.

    `check` (Python construction) takes ints only, and its message says so.
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return f"size(ge={self.ge}, le={self.le})"

    def _bounds(self) -> str:
        return _bounds_text(self.ge, None, self.le, None, show_size)

    def expected(self) -> str:
        return f"a size {self._bounds()} (bytes, or a string such as '6GiB')"

    def parse(self, raw: object) -> Any:
        if type(raw) is str:
            try:
                raw = parse_size(raw)
            except ValueError as e:
                msg = f"{e} ({given(raw)})"
                raise Invalid(msg) from None
        if type(raw) is not int or not self.ge <= raw <= self.le:
            raise _fail(self.expected(), raw)
        return raw

    def check(self, value: object) -> None:
        if type(value) is int and self.ge <= value <= self.le:
            return
        message = f"expected an int of bytes {self._bounds()} ({given(value)})"
        if isinstance(value, str):
            with contextlib.suppress(ValueError):
                if self.ge <= (size := parse_size(value)) <= self.le:
                    message += f"; in Python, write {size}"
            message += (
                "; a size with a unit is read from files, from_dict and"
                " apply_updates"
            )
        raise Invalid(message)

    def from_text(self, text: str) -> Any:
        # Digits alone are bytes, as a plain integer in a file would be.
        if _INT_TEXT.fullmatch(text.strip()):
            return int(text)
        return text

    def dump(self, value: Any) -> Any:
        return format_size(value)

    def json_schema(self) -> dict[str, Any]:
        bounds = _bounds_text(self.ge, None, self.le, None, show_size)
        text = {
            "type": "string",
            "pattern": _JSON_SIZE,
            "description": (
                "A size with a unit, such as '6GiB'; it must also be a "
                f"whole number of bytes {bounds}, which a schema cannot check."
            ),
        }
        return {"oneOf": [super().json_schema(), text]}


class _OneOfValidator(Validator):
    __slots__ = ("choices",)

    def __init__(self, choices: tuple[str, ...]) -> None:
        self.choices = choices

    def __repr__(self) -> str:
        return f"one_of{self.choices!r}"

    def expected(self) -> str:
        return "one of " + ", ".join(repr(c) for c in self.choices)

    def check(self, value: object) -> None:
        if type(value) is str and value in self.choices:
            return
        message = f"expected {self.expected()} ({given(value)})"
        if type(value) is str:
            near = closest(value.lower(), self.choices)
            if near is not None:
                message += f"; did you mean {near!r}?"
        raise Invalid(message)

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "enum": list(self.choices)}


class _NameValidator(Validator):
    __slots__ = ()

    _PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,127}")

    def __repr__(self) -> str:
        return "name()"

    def expected(self) -> str:
        return (
            "a name of 1 to 128 letters, digits, '_', '-' or '.' "
            "that starts with a letter or digit"
        )

    def check(self, value: object) -> None:
        if type(value) is not str or not self._PATTERN.fullmatch(value):
            raise _fail(self.expected(), value)

    def json_schema(self) -> dict[str, Any]:
        # Patterns are searched, so anchor them; and since Python's `$` also
        # matches before a final newline, refuse newlines outright (a
        # lookahead would be neater, but some validators' engines lack it).
        return {
            "type": "string",
            "pattern": f"^{self._PATTERN.pattern}$",
            "not": {"pattern": "\n"},
        }


def integer(*, ge: int, le: int) -> Validator:
    """Return a validator for whole numbers in ``[ge, le]`` (no bools)."""
    return _IntegerValidator(ge, le)


def number(
    *,
    ge: float | None = None,
    gt: float | None = None,
    le: float | None = None,
    lt: float | None = None,
) -> Validator:
    """Return a validator for finite floats within the given bounds."""
    return _NumberValidator(ge, gt, le, lt)


def boolean() -> Validator:
    """Return a validator for `True` and `False` only."""
    return _BooleanValidator()


def size(*, ge: int = 1, le: int) -> Validator:
    """Return a validator for byte sizes; files may write ``"6GiB"``."""
    return _SizeValidator(ge, le)


def one_of(choices: Sequence[str]) -> Validator:
    """Return a validator for one of a fixed set of strings."""
    return _OneOfValidator(tuple(choices))


def name() -> Validator:
    """Return a validator for short identifier-like strings."""
    return _NameValidator()
