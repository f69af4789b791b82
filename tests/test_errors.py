"""Tests for how problems are worded: short, given, closest, unknown keys, and deferred wording."""

from __future__ import annotations

import difflib
import pickle
import threading
import tracemalloc

from typing import Any

import pytest

from hypothesis import given as hypothesis_given
from hypothesis import settings
from hypothesis import strategies as st
from qwen3vl import ConfigError, Qwen3VLConfig, apply_updates, load_config
from qwen3vl._errors import (
    SUGGEST_LIMIT,
    SUGGESTIONS_PER_ERROR,
    UNKNOWN_KEY,
    as_written,
    closest,
    given,
    short,
    unknown_key_message,
)
from qwen3vl._fields import fields_of, walk
from qwen3vl.exceptions import Problem


_NAMES = sorted({path.rpartition(".")[2] for path, _ in walk(Qwen3VLConfig)})

#: Each field name of the root with its sections' paths, as the converter
#: hands them to `unknown_key_message`.
HOMES: dict[str, list[str]] = {name: [""] for name in fields_of(Qwen3VLConfig)}
for _path, _info in walk(Qwen3VLConfig):
    if _info.section is not None:
        for _name in fields_of(_info.section):
            HOMES.setdefault(_name, []).append(_path)


def _difflib_closest(word: str, names: list[str], cutoff: float) -> Any:
    found = difflib.get_close_matches(word, names, n=1, cutoff=cutoff)
    return found[0] if found else None


class TestShortAndGiven:
    def test_short_is_bounded_for_any_value(self):
        """Huge, deep and long values still give a short repr."""
        deep: list[Any] = []
        for _ in range(100_000):
            deep = [deep]

        for value in (10**5000, "x" * 10**6, deep, list(range(10**5))):
            assert len(short(value)) < 200

    def test_short_is_repr_for_plain_scalars(self):
        """Most wrong values are short scalars: their repr, unchanged."""
        for value in (3, -1.5, True, None, "abc"):
            assert repr(value) == short(value)

    def test_given_names_value_and_kind(self):
        """An offending value is shown with what kind of value it is."""
        assert "got '32', a string" == given("32")
        assert "got True, a boolean" == given(True)
        assert "got [1], a list" == given([1])
        assert "got <integer of about" in given(10**900)


class TestAsWritten:
    @pytest.mark.parametrize(
        ("value", "text"),
        [
            (True, "true"),
            (False, "false"),
            ((5, 11), "[5, 11]"),
            ((), "[]"),
            ("qwen3_vl", "'qwen3_vl'"),
            (0, "0"),
            (1.5, "1.5"),
        ],
    )
    def test_values_as_files_spell_them(self, value, text):
        """Booleans and tuples read as a file writes them."""
        assert text == as_written(value)


class TestClosest:
    @settings(max_examples=300)
    @hypothesis_given(
        word=st.one_of(
            st.sampled_from(_NAMES).flatmap(
                lambda n: st.sampled_from(
                    [n, n[1:], n[:-1], n + "s", n.replace("_", ""), n.upper()]
                )
            ),
            st.text("abcdeimnorstu_", max_size=14),
        ),
        names=st.one_of(
            st.lists(st.sampled_from(_NAMES), max_size=30),
            st.lists(st.text("abc_", max_size=5), max_size=8),
        ),
        cutoff=st.sampled_from([0.0, 0.6, 0.7, 0.75, 0.8, 1.0]),
    )
    def test_closest_is_difflibs_answer(self, word, names, cutoff):
        """Same answer as difflib.get_close_matches(n=1), ties included."""
        assert _difflib_closest(word, names, cutoff) == closest(
            word, names, cutoff
        )

    def test_junk_gets_no_suggestion(self):
        """A word past SUGGEST_LIMIT is junk, not a typo: no difflib search."""
        long_name = "a" * (SUGGEST_LIMIT + 1)

        assert closest(long_name[:-1], [long_name]) == long_name
        assert closest(long_name, [long_name]) is None


class TestUnknownKeyMessage:
    def test_typo_suggests_the_nearest_local_name(self):
        """A near miss in the same section is suggested."""
        local = list(fields_of(Qwen3VLConfig))

        message = unknown_key_message("vocab_sise", "", local, HOMES)

        assert (
            "unknown key 'vocab_sise'; did you mean 'vocab_size'?" == message
        )

    def test_key_of_another_section_names_it(self):
        """A key that lives elsewhere says where."""
        message = unknown_key_message(
            "use_tensor_cores", "", list(fields_of(Qwen3VLConfig)), HOMES
        )

        assert message.endswith("it belongs in gpu_config")

    def test_non_string_key_and_junk(self):
        """A key that is not a string, or is too long to be a typo, is just refused."""
        local = list(fields_of(Qwen3VLConfig))

        assert "keys must be strings" in unknown_key_message(
            3, "", local, HOMES
        )
        assert "did you mean" not in unknown_key_message(
            "vocab_size" * 20, "", local, HOMES
        )

    def test_without_a_search_only_look_ups_are_worded(self):
        """Past the cap, a key is plain 'unknown key' unless it lives elsewhere."""
        local = list(fields_of(Qwen3VLConfig))

        assert UNKNOWN_KEY == unknown_key_message(
            "vocab_sise", "", local, HOMES, suggest=False
        )
        assert unknown_key_message(
            "use_tensor_cores", "", local, HOMES, suggest=False
        ).endswith("it belongs in gpu_config")
        assert "keys must be strings" in unknown_key_message(
            3, "", local, HOMES, suggest=False
        )


class TestDeferredWording:
    def test_the_message_is_worded_when_read(self):
        """Suggestions and paths are there when the error is read."""
        with pytest.raises(ConfigError) as info:
            Qwen3VLConfig.from_dict({"gpu_config": {"use_tensor_core": 1}})
        error = info.value

        assert ["gpu_config.use_tensor_core"] == error.paths
        assert "did you mean 'use_tensor_cores'?" in str(error)
        assert error.problems is error.problems  # worded once
        assert repr(error) == f"ConfigError({str(error)!r})"

    def test_args_hold_the_message_as_a_value_errors_do(self):
        """``error.args[0]`` is the message, as a ValueError's is."""
        with pytest.raises(ConfigError) as info:
            Qwen3VLConfig.from_dict({"num_hidden_layer": 3})

        assert (str(info.value),) == info.value.args
        with pytest.raises(AttributeError):
            info.value.args = ("other",)

    def test_pickled_error_keeps_the_wording(self):
        """An error crossing processes arrives worded."""
        with pytest.raises(ConfigError) as info:
            Qwen3VLConfig.from_dict({"num_hidden_layer": 3})

        copy = pickle.loads(pickle.dumps(info.value))  # noqa: S301 - our own

        assert info.value.problems == copy.problems
        assert str(info.value) == str(copy)

    def test_wording_from_many_threads_agrees(self):
        """Threads reading one error at once see the same problems."""
        with pytest.raises(ConfigError) as info:
            Qwen3VLConfig.from_dict({"num_hidden_layer": 3, "x": 1})
        seen: list[tuple[Problem, ...]] = []
        start = threading.Barrier(6)

        def read() -> None:
            start.wait()
            seen.append(info.value.problems)

        threads = [threading.Thread(target=read) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

        assert all(s == seen[0] for s in seen)
        assert ["num_hidden_layer", "x"] == [p.path for p in seen[0]]


# -- many problems in one error ---------------------------------------------


def _typos(count: int) -> dict[str, int]:
    # Each is close enough to vocab_size to get a "did you mean".
    return {f"vocab_size{i:06d}": 1 for i in range(count)}


#: Each entry point: how its input of `count` unknown keys (all near misses)
#: is made, and how it is called with it.
MANY_KEYS: dict[str, tuple[Any, Any]] = {
    "from_dict": (_typos, Qwen3VLConfig.from_dict),
    "from_dict, a section": (
        lambda n: {"memory_config": _typos(n)},
        Qwen3VLConfig.from_dict,
    ),
    "apply_updates": (_typos, lambda data: apply_updates(DEFAULTS, data)),
    "load_config(overrides=mapping)": (
        _typos,
        lambda data: load_config(env={}, overrides=data),
    ),
    "load_config(overrides=list)": (
        lambda n: [f"{key}=1" for key in _typos(n)],
        lambda data: load_config(env={}, overrides=data),
    ),
    "load_config(env=)": (
        lambda n: {f"QWEN3VL_{key.upper()}": "1" for key in _typos(n)},
        lambda data: load_config(env=data),
    ),
}
DEFAULTS = Qwen3VLConfig()


def _many_keys(entry: str, count: int) -> tuple[ConfigError, str, int]:
    # The error, its message and the traced peak of the call (the input
    # made beforehand).
    make, call = MANY_KEYS[entry]
    data = make(count)
    tracemalloc.start()
    try:
        with pytest.raises(ConfigError) as info:
            call(data)
        message = str(info.value)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return info.value, message, peak


class TestManyProblems:
    """200 000 unknown keys: a complete error, a bounded message (issue 13)."""

    def test_the_message_lists_the_first_hundred(self):
        """Past 100 problems, the message says how many more there are."""
        problems = [Problem(f"k{i:03d}", "unknown key") for i in range(150)]

        message = str(ConfigError(problems))

        assert 150 == len(ConfigError(problems).problems)
        lines = message.splitlines()
        assert "150 problems in the configuration:" == lines[0]
        assert "  k000: unknown key" == lines[1]
        assert "  k099: unknown key" == lines[100]
        assert "  ... and 50 more (all in ConfigError.problems)" == lines[-1]
        assert 102 == len(lines)
        assert 101 == len(str(ConfigError(problems[:100])).splitlines())

    @settings(max_examples=50)
    @hypothesis_given(
        st.lists(
            st.builds(
                Problem,
                st.sampled_from(["", "a", "a.b", "b"]),
                st.sampled_from(["x", "y", "z"]),
                st.none(),
                st.one_of(st.none(), st.integers(0, 3)),
            ),
            min_size=1,
        )
    )
    def test_problems_are_sorted_by_path_line_and_message(self, problems):
        """The order is that of (path, line, none first, message)."""
        assert sorted(
            problems, key=lambda p: (p.path, p.line or 0, p.message)
        ) == list(ConfigError(problems).problems)

    @pytest.mark.parametrize("entry", MANY_KEYS)
    def test_suggestions_are_searched_for_the_first_keys_only(self, entry):
        """Of 2 000 near misses, the first 20 by path get a 'did you mean'."""
        error, message, _ = _many_keys(entry, 2_000)

        suggested = [p for p in error.problems if "did you mean" in p.message]
        assert 2_000 == len(error.problems)
        assert SUGGESTIONS_PER_ERROR == len(suggested)
        assert suggested == list(error.problems[:SUGGESTIONS_PER_ERROR])
        assert 102 == len(message.splitlines())

    @pytest.mark.slow
    @pytest.mark.parametrize("entry", MANY_KEYS)
    def test_two_hundred_thousand_keys_in_bounded_memory(self, entry):
        """
        Every problem is kept, and the call peaks under 64 MiB (the list: 96).

        Before issue 13, merging these took over ten minutes and wording
        them a minute more; each entry point now takes about a second.  A
        list of overrides is parsed into a layer of its own first: 200 000
        paths and values, about 30 MiB more.
        """
        error, message, peak = _many_keys(entry, 200_000)

        assert 200_000 == len(error.problems)
        assert 102 == len(message.splitlines())
        assert peak < (96 if "list" in entry else 64) * 2**20
