"""Tests for the validators of qwen3vl._validators, called directly."""

from __future__ import annotations

import pytest

from qwen3vl import Qwen3VLConfig
from qwen3vl._fields import fields_of
from qwen3vl._validators import Invalid


class TestIntTupleValidator:
    V = fields_of(Qwen3VLConfig)["vision_deepstack_visual_indexes"].validator

    @pytest.mark.parametrize(
        ("text", "expected"),
        [("", ()), ("5", (5,)), (" 5, 11 ,17 ", (5, 11, 17))],
    )
    def test_text_is_comma_separated(self, text, expected):
        """Environment values list the ints with commas; empty is none."""
        assert expected == self.V.from_text(text)

    @pytest.mark.parametrize("text", ["5;11", "5,,11", "[5, 11]", "5.0", ","])
    def test_other_text_is_refused(self, text):
        """Anything but plain comma-separated integers is refused."""
        with pytest.raises(Invalid, match="written like 24,20,20"):
            self.V.from_text(text)

    def test_files_get_lists(self):
        """Files and to_dict write lists; parsing a list gives a tuple."""
        assert [5, 11] == self.V.dump((5, 11))
        assert [5, 11] == self.V.to_python((5, 11))
        assert (5, 11) == self.V.parse([5, 11])

    def test_expected_names_count_bounds_and_order(self):
        """The message says how many, which range and in what order."""
        assert (
            "a list of 0 to 64 integers >= 0 and <= 1023, in increasing order"
            == self.V.expected()
        )
        assert (
            "int_tuple(ge=0, le=1023, min_len=0, max_len=64, increasing=True)"
            == repr(self.V)
        )
