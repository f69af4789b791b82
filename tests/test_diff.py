"""Tests for diff: the (path, old, new) changes between two configs."""

from __future__ import annotations

import pytest

from hypothesis import given
from qwen3vl import (
    CPUConfig,
    GiB,
    KiB,
    MemoryConfig,
    MiB,
    OptimizationConfig,
    Qwen3VLConfig,
    apply_updates,
    diff,
    load_config,
)

from helpers import CPU_ONLY, DEFAULT, H100, SLOW_EXAMPLES, SPARSITY
from strategies import CONFIGS


class TestDiff:
    """diff lists (path, old, new) for every leaf that differs."""

    def test_equal_configs_have_no_diff(self):
        """Equal configs, even built apart, have an empty diff."""
        assert [] == diff(DEFAULT, load_config(env={}))
        assert [] == diff(CPUConfig(), CPUConfig())

    def test_lists_every_change_in_schema_order(self):
        """The changes come in schema order, with Python values."""
        changed = apply_updates(
            DEFAULT,
            {
                SPARSITY: 0.25,
                "gpu_config.gpu_compute_capability": [8, 6],
                "vocab_size": 1000,
                "memory_config.gpu_memory_size": "8GiB",
            },
        )

        assert [
            ("vocab_size", 152064, 1000),
            ("memory_config.gpu_memory_size", 6 * GiB, 8 * GiB),
            ("gpu_config.gpu_compute_capability", (6, 1), (8, 6)),
            (SPARSITY, 0.5, 0.25),
        ] == diff(DEFAULT, changed)

    def test_reversed_swaps_old_and_new(self):
        """diff(b, a) is diff(a, b) with old and new swapped."""
        a = Qwen3VLConfig.from_preset("minimal", CPU_ONLY)
        b = Qwen3VLConfig.from_preset("aggressive", H100)

        assert [(p, new, old) for p, old, new in diff(a, b)] == diff(b, a)

    def test_works_on_sections(self):
        """A section diffs against a section, with section-relative paths."""
        assert [("num_threads", 4, 8), ("l2_cache_size", 256 * KiB, MiB)] == (
            diff(CPUConfig(), CPUConfig(num_threads=8, l2_cache_size=MiB))
        )

    @pytest.mark.parametrize(
        ("a", "b"),
        [
            (Qwen3VLConfig(), CPUConfig()),
            (CPUConfig(), MemoryConfig()),
            (OptimizationConfig(), {}),
            ({}, {}),
        ],
    )
    def test_different_classes_are_a_type_error(self, a, b):
        """Two configs of different classes (or non-configs) are refused."""
        with pytest.raises(TypeError):
            diff(a, b)

    @SLOW_EXAMPLES
    @given(a=CONFIGS, b=CONFIGS)
    def test_applying_the_diff_gives_the_other(self, a, b):
        """Patching a with every (path, new) of the diff yields b."""
        changes = diff(a, b)

        assert (a == b) == (changes == [])
        assert b == apply_updates(a, {p: new for p, _, new in changes})
