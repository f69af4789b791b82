"""Tests for qwen3vl.exceptions: ConfigError and its problems."""

from __future__ import annotations

import pickle

from typing import Any

import pytest

from hypothesis import given
from hypothesis import strategies as st
from qwen3vl import ConfigError, Qwen3VLConfig

import strategies


class TestConfigErrorPickling:
    @given(found=st.lists(strategies.problems(), min_size=1, max_size=5))
    def test_built_errors_survive_pickling(self, found: list[Any]) -> None:
        """A ConfigError made from problems pickles to an equal error."""
        e = ConfigError(found)

        back = pickle.loads(pickle.dumps(e))  # noqa: S301 - our own bytes

        assert e.problems == back.problems
        assert str(e) == str(back)

    @given(case=strategies.config_dicts_with_a_bad_leaf())
    def test_raised_errors_survive_pickling(
        self, case: tuple[dict[str, Any], str]
    ) -> None:
        """A ConfigError raised by from_dict pickles to an equal error."""
        with pytest.raises(ConfigError) as info:
            Qwen3VLConfig.from_dict(case[0])

        back = pickle.loads(pickle.dumps(info.value))  # noqa: S301 - ours

        assert info.value.problems == back.problems
        assert ConfigError is type(back)
