"""Tests for the validators of qwen3vl._validators, called directly."""

from __future__ import annotations

import pytest

from qwen3vl import (
    ConfigError,
    GiB,
    MemoryConfig,
    Qwen3VLConfig,
    apply_updates,
)
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


class TestSizeValidator:
    """Python passes sizes as ints; files, dicts and patches may write units."""

    V = fields_of(MemoryConfig)["gpu_memory_size"].validator

    def test_construction_wants_an_int_and_says_where_units_go(self):
        """The message no longer offers the string it refuses (issue 13)."""
        with pytest.raises(ConfigError) as info:
            MemoryConfig(gpu_memory_size="6GiB")  # type: ignore[arg-type]

        [problem] = info.value.problems
        assert "gpu_memory_size" == problem.path
        assert (
            "expected an int of bytes >= 0 B and <= 1024TiB (got '6GiB', a"
            " string); in Python, write 6442450944; a size with a unit is"
            " read from files, from_dict and apply_updates"
        ) == problem.message

    @pytest.mark.parametrize(
        ("value", "fragment"),
        [
            ("6 XB", "(got '6 XB', a string); a size with a unit is read"),
            ("2000TiB", "(got '2000TiB', a string); a size with a unit"),
            (-1, "expected an int of bytes >= 0 B and <= 1024TiB (got -1"),
            (3.5, "(got 3.5, a float)"),
            (True, "(got True, a boolean)"),
        ],
    )
    def test_check_words_every_refusal_for_python(self, value, fragment):
        """A bad size, an out-of-range one or another type: an int is wanted."""
        with pytest.raises(Invalid) as info:
            self.V.check(value)

        assert fragment in info.value.message
        assert "or a string such as" not in info.value.message
        assert "write" not in info.value.message

    def test_files_dicts_and_patches_keep_reading_units(self):
        """parse, from_dict and apply_updates read '6GiB' as before."""
        patch = {"memory_config": {"gpu_memory_size": "6GiB"}}

        assert 6 * GiB == self.V.parse("6GiB")
        assert 6 * GiB == self.V.parse(6 * GiB)
        assert (
            6 * GiB
            == Qwen3VLConfig.from_dict(patch).memory_config.gpu_memory_size
        )
        config = apply_updates(Qwen3VLConfig(), patch)
        assert 6 * GiB == config.memory_config.gpu_memory_size

    @pytest.mark.parametrize("value", [-1, 3.5, "-1GiB"])
    def test_parse_words_its_refusals_for_files(self, value):
        """What files may write is what their messages offer."""
        with pytest.raises(Invalid) as info:
            self.V.parse(value)

        assert "'6GiB'" in info.value.message
