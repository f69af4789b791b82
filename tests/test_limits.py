"""Tests for the limits every input is held to."""

from __future__ import annotations

import pytest

from qwen3vl import ConfigError, load_config
from qwen3vl._limits import MAX_ITEMS, holds_too_many


class TestHoldsTooMany:
    def test_the_limit_itself_is_allowed(self):
        """MAX_ITEMS keys and items in all are fine; one more is too many."""
        assert not holds_too_many({f"k{i}": 0 for i in range(MAX_ITEMS)})
        assert holds_too_many({f"k{i}": 0 for i in range(MAX_ITEMS + 1)})

    def test_all_levels_count_together(self):
        """Keys and list items of every level add up."""
        half = MAX_ITEMS // 2
        wide = {"a": [0] * half, "b": {f"k{i}": 0 for i in range(half)}}

        assert holds_too_many(wide)
        assert not holds_too_many({"a": (0,) * (half - 2)})

    def test_deep_nests_and_cycles_are_left_to_the_depth_check(self):
        """Levels past MAX_DEPTH do not count: 100 000 levels, or a cycle, hold few items."""
        deep: object = 0
        for _ in range(100_000):
            deep = [deep]
        cycle: dict[str, object] = {}
        cycle["again"] = cycle

        assert not holds_too_many(deep)
        assert not holds_too_many(cycle)
        assert holds_too_many([[0] * (MAX_ITEMS + 1)])

    def test_scalars_hold_nothing(self):
        """Text is not a list of characters."""
        assert not holds_too_many("x" * (MAX_ITEMS + 1))
        assert not holds_too_many(3)


class TestOverrides:
    @pytest.mark.parametrize(
        "overrides",
        [
            {f"unknown_{i}": 1 for i in range(MAX_ITEMS + 1)},
            [f"unknown_{i}=1" for i in range(MAX_ITEMS + 1)],
            {"gpu_config": {f"k{i}": 1 for i in range(MAX_ITEMS + 1)}},
        ],
        ids=["mapping", "list", "one-section"],
    )
    def test_too_many_overrides_are_one_problem(self, overrides):
        """Overrides are held to a file's limit, with one problem."""
        with pytest.raises(ConfigError) as info:
            load_config(overrides=overrides, env=False)

        (problem,) = info.value.problems
        assert "" == problem.path
        assert "override" == problem.source
        assert f"hold more than {MAX_ITEMS} keys" in problem.message
