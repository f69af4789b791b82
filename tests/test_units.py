"""Tests for byte sizes with units: `parse_size`, `format_size`, `show_size`."""

from __future__ import annotations

import decimal
import re

import pytest

from hypothesis import given
from hypothesis import strategies as st
from qwen3vl._units import (
    _UNITS,
    GiB,
    KiB,
    MiB,
    TiB,
    format_size,
    parse_size,
    show_size,
)


UNITS = {
    "B": 1,
    "KB": KiB,
    "KiB": KiB,
    "MB": MiB,
    "MiB": MiB,
    "GB": GiB,
    "GiB": GiB,
    "TB": TiB,
    "TiB": TiB,
}


class TestConstants:
    def test_binary_powers(self):
        """The unit constants are the powers of 1024."""
        assert (1024, 1024**2, 1024**3, 1024**4) == (KiB, MiB, GiB, TiB)


class TestParseSize:
    @pytest.mark.parametrize(("unit", "factor"), list(UNITS.items()))
    def test_every_unit_in_any_case(self, unit, factor):
        """Every known unit is read in upper, lower and given case."""
        for spelled in (unit, unit.lower(), unit.upper(), unit.swapcase()):
            assert 6 * factor == parse_size(f"6{spelled}")

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("6GiB", 6 * GiB),
            ("6MB", 6 * MiB),
            ("2 GiB", 2 * GiB),
            ("  2GiB  ", 2 * GiB),
            ("\t2 \t gib\n", 2 * GiB),
            ("1.5GiB", 3 * GiB // 2),
            ("1.5 MB", 3 * MiB // 2),
            ("0.5KiB", 512),
            ("1.0B", 1),
            ("0.25KB", 256),
            ("1024B", 1024),
            ("0B", 0),
            ("007KiB", 7 * KiB),
            ("1024TiB", 1024 * TiB),
            ("12345678901234567890B", 12345678901234567890),
        ],
    )
    def test_reads_numbers_with_units(self, text, expected):
        """A number and a unit, with spaces and decimals, gives whole bytes."""
        assert expected == parse_size(text)

    def test_returns_an_int(self):
        """A decimal size still comes back as an int, not a float."""
        assert int is type(parse_size("1.5GiB"))

    @pytest.mark.parametrize("text", ["1024", "6", " 6 ", "1.5"])
    def test_refuses_a_number_without_unit(self, text):
        """A bare number is refused, with a hint to add a unit."""
        with pytest.raises(ValueError, match="unit after the number"):
            parse_size(text)

    @pytest.mark.parametrize("text", ["6XB", "6K", "6G", "6PiB", "6bit"])
    def test_refuses_unknown_units(self, text):
        """A unit that is not one of B/KB/KiB/MB/MiB/GB/GiB/TB/TiB is refused."""
        with pytest.raises(ValueError, match="unknown size unit"):
            parse_size(text)

    @pytest.mark.parametrize(
        "text", ["1.3B", "0.1KiB", "1.0000000001GiB", "0.5B"]
    )
    def test_refuses_fractions_of_a_byte(self, text):
        """A size that is not a whole number of bytes is refused."""
        with pytest.raises(ValueError, match="whole number of bytes"):
            parse_size(text)

    @pytest.mark.parametrize(
        "text",
        [
            "",
            "   ",
            "GiB",
            "-1GiB",
            "+1GiB",
            "1,5GiB",
            "1 2GiB",
            "1e3B",
            "0x10B",
            "six GiB",
            "1GiBs",
            "1.GiB",
            "\u0661GiB",  # ARABIC-INDIC DIGIT ONE
            "inf GiB",
            "nan B",
            "1GiB 2GiB",
        ],
    )
    def test_refuses_garbage(self, text):
        """Text that is not a number followed by a unit is refused."""
        with pytest.raises(ValueError, match=re.escape("such as '6GiB'")):
            parse_size(text)

    @pytest.mark.parametrize(
        "text",
        [
            "1" * 21 + "B",
            "1" * 5000 + "GiB",
            "1." + "0" * 21 + "B",
            "1" * 100_000 + ".5B",
        ],
    )
    def test_refuses_over_long_digit_strings(self, text):
        """More than 20 digits before or after the point is refused."""
        with pytest.raises(ValueError, match=re.escape("such as '6GiB'")):
            parse_size(text)

    @given(
        st.integers(min_value=0, max_value=10**6),
        st.sampled_from(sorted(UNITS)),
    )
    def test_whole_number_times_unit(self, number, unit):
        """``"<n><unit>"`` is always n times the unit's power of 1024."""
        assert number * UNITS[unit] == parse_size(f"{number}{unit}")


class TestFormatSize:
    @pytest.mark.parametrize(
        ("size", "expected"),
        [
            (KiB, "1KiB"),
            (32 * KiB, "32KiB"),
            (1536 * KiB, "1536KiB"),
            (MiB, "1MiB"),
            (6 * MiB, "6MiB"),
            (GiB, "1GiB"),
            (2 * GiB, "2GiB"),
            (3 * GiB // 2, "1536MiB"),
            (TiB, "1TiB"),
            (1024 * TiB, "1024TiB"),
            (3 * TiB + GiB, "3073GiB"),
        ],
    )
    def test_largest_exact_iec_unit(self, size, expected):
        """A size is written in the largest IEC unit that divides it."""
        assert expected == format_size(size)

    @pytest.mark.parametrize(
        "size", [1, 512, 1000, 1023, 1025, 1536, GiB + 1, 0, -1024]
    )
    def test_int_when_not_exact(self, size):
        """A size no IEC unit divides, zero or a negative comes back as is."""
        result = format_size(size)
        assert int is type(result)
        assert size == result

    @given(st.integers(min_value=1, max_value=2**64))
    def test_round_trips_through_parse_size(self, n):
        """Whatever string `format_size` writes, `parse_size` reads back."""
        shown = format_size(n)
        if isinstance(shown, str):
            assert n == parse_size(shown)
        else:
            assert n == shown

    @given(st.integers(min_value=1, max_value=2**64))
    def test_str_exactly_when_a_kib_multiple(self, n):
        """`format_size` gives a string exactly for multiples of 1 KiB."""
        assert (n % KiB == 0) == isinstance(format_size(n), str)


class TestShowSize:
    @pytest.mark.parametrize(
        ("size", "expected"),
        [
            (6 * GiB, "6GiB"),
            (48 * KiB, "48KiB"),
            (1000, "1000 B"),
            (1, "1 B"),
            (0, "0 B"),
        ],
    )
    def test_shows_a_unit_always(self, size, expected):
        """A size for a message carries an IEC unit, or ``B`` for bytes."""
        assert expected == show_size(size)


class TestWholeSizes:
    @given(
        number=st.integers(0, 10**15 - 1),
        unit=st.sampled_from(sorted(_UNITS)),
        fraction=st.sampled_from(["", ".0", ".5", ".25"]),
    )
    def test_whole_sizes_parse_as_decimal_does(self, number, unit, fraction):
        """The integer arithmetic gives what the exact Decimal product gives."""
        text = f"{number}{fraction}{unit}"
        exact = decimal.Decimal(f"{number}{fraction}") * _UNITS[unit]
        if exact == exact.to_integral_value():
            assert int(exact) == parse_size(text)
        else:
            with pytest.raises(ValueError, match="whole number"):
                parse_size(text)
