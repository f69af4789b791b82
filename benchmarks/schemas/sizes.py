"""
Byte sizes written with units (``"6GiB"``), read as qwen3vl reads them.

A copy of the rule, not an import of qwen3vl's: the other libraries'
schemas must not pay for importing qwen3vl.
"""

from __future__ import annotations

import re

from decimal import Decimal


__all__ = ["GiB", "KiB", "MiB", "PiB", "parse_size"]

KiB = 1024
MiB = 1024**2
GiB = 1024**3
PiB = 1024**5

_UNITS = {
    "b": 1,
    "kb": KiB,
    "kib": KiB,
    "mb": MiB,
    "mib": MiB,
    "gb": GiB,
    "gib": GiB,
    "tb": 1024**4,
    "tib": 1024**4,
}
_SIZE = re.compile(
    r"\s*(?P<number>[0-9]{1,20}(?:\.[0-9]{1,20})?)\s*(?P<unit>[A-Za-z]{1,3})\s*"
)


def parse_size(value: object) -> object:
    """
    Return the bytes a size string names; any other value is returned as is.

    Raises:
        ValueError: a string that is not a number with a known unit, or not
            a whole number of bytes.
    """
    if type(value) is not str:
        return value
    match = _SIZE.fullmatch(value)
    factor = _UNITS.get(match["unit"].lower()) if match else None
    if match is None or factor is None:
        msg = f"expected a size such as '6GiB' (got {value!r})"
        raise ValueError(msg)
    exact = Decimal(match["number"]) * factor
    if exact != exact.to_integral_value():
        msg = f"the size is not a whole number of bytes (got {value!r})"
        raise ValueError(msg)
    return int(exact)
