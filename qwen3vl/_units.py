"""
Byte sizes with units: parsing ``"6GiB"`` and writing ``6 * 1024**3`` back.

Strictly private.
"""

from __future__ import annotations

import re


__all__ = [
    "GiB",
    "KiB",
    "MiB",
    "PiB",
    "TiB",
    "format_size",
    "human_size",
    "parse_size",
    "show_size",
]

KiB = 1024
MiB = 1024**2
GiB = 1024**3
TiB = 1024**4
PiB = 1024**5

# The JEDEC reading the specification uses ("6MB" L3 is 6 * 1024 * 1024):
# the decimal-looking names mean the same powers of 1024 as the IEC ones.
_UNITS: dict[str, int] = {
    "b": 1,
    "kb": KiB,
    "kib": KiB,
    "mb": MiB,
    "mib": MiB,
    "gb": GiB,
    "gib": GiB,
    "tb": TiB,
    "tib": TiB,
}

# Written files use the largest IEC unit that divides the size exactly.
_WRITE_UNITS = (("TiB", TiB), ("GiB", GiB), ("MiB", MiB), ("KiB", KiB))

# Digits are bounded so that a hostile 5 000-digit number never reaches the
# (quadratic) int conversion.
_SIZE = re.compile(
    r"\s*(?P<number>[0-9]{1,20}(?:\.[0-9]{1,20})?)\s*(?P<unit>[A-Za-z]{1,3})?\s*"
)

UNIT_NAMES = "B, KB/KiB, MB/MiB, GB/GiB, TB/TiB"


def parse_size(text: str) -> int:
    """
    Return the number of bytes that `text` (``"6GiB"``, ``"1.5 MB"``) names.

    Raises:
        ValueError: `text` is not a number followed by a known unit, or the
            number of bytes is not whole.
    """
    match = _SIZE.fullmatch(text)
    if match is None:
        msg = f"expected a size such as '6GiB' (units {UNIT_NAMES})"
        raise ValueError(msg)
    unit = match["unit"]
    if unit is None:
        msg = "expected a unit after the number (for example '6GiB'); write a plain integer for bytes"
        raise ValueError(msg)
    factor = _UNITS.get(unit.lower())
    if factor is None:
        msg = f"unknown size unit {unit!r} (known: {UNIT_NAMES})"
        raise ValueError(msg)
    number = match["number"]
    if len(number) <= 15 and "." not in number:
        # Whole and short: the product has at most 28 digits, where the
        # Decimal below is exact too, so plain ints give the same answer.
        return int(number) * factor
    # Imported here: only fractional or very long numbers need it, and
    # decimal is slow to import for `import qwen3vl` (issue 8).
    from decimal import Decimal, InvalidOperation  # noqa: PLC0415

    try:
        exact = Decimal(number) * factor
    except InvalidOperation:  # pragma: no cover - the regex admits only digits
        msg = "expected a number before the unit"
        raise ValueError(msg) from None
    if exact != exact.to_integral_value():
        msg = "the size is not a whole number of bytes"
        raise ValueError(msg)
    return int(exact)


def human_size(size: int) -> str:
    """Return `size` rounded for people: ``"2.7 GiB"``, ``"32 GiB"``, ``"512 B"``."""
    for name, factor in _WRITE_UNITS:
        if size >= factor:
            text = f"{size / factor:.1f}".removesuffix(".0")
            return f"{text} {name}"
    return f"{size} B"


def show_size(size: int) -> str:
    """Return `size` for a message: ``"6GiB"`` where exact, else ``"1000 B"``."""
    shown = format_size(size)
    return f"{shown} B" if isinstance(shown, int) else shown


def format_size(size: int) -> str | int:
    """Return `size` as ``"<n><IEC unit>"`` where that is exact, else as is."""
    if size > 0:
        for name, factor in _WRITE_UNITS:
            if size % factor == 0:
                return f"{size // factor}{name}"
    return size
