"""
Property tests of from_dict and to_dict: round trips, robustness, bad leaves.

The strategies live in `tests/strategies.py` (pytest puts `tests/` on the
path, see ``pythonpath`` in pyproject.toml).
"""

from __future__ import annotations

import warnings

from typing import Any

import pytest

from hypothesis import given
from hypothesis import strategies as st
from qwen3vl import BaseConfig, ConfigError, GPUConfig, Qwen3VLConfig

import strategies

from helpers import assert_well_formed, by_class


class TestRoundTrip:
    @by_class
    @given(data=st.data())
    def test_dict_round_trip(
        self, cls: type[BaseConfig], data: st.DataObject
    ) -> None:
        """from_dict(to_dict()) gives back an equal config of the same class."""
        cfg = data.draw(strategies.configs_of(cls))

        back = cls.from_dict(cfg.to_dict())

        assert cfg == back
        assert cls is type(back)


class TestRobustness:
    @given(data=strategies.json_like())
    def test_root_from_dict_raises_only_config_error(self, data: Any) -> None:
        """Any JSON-like value gives a Qwen3VLConfig or a ConfigError."""
        try:
            # Real key names at the top read as the old flat layout, which
            # loads with a DeprecationWarning: a warning, not an exception.
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                cfg = Qwen3VLConfig.from_dict(data)
        except ConfigError as e:
            assert_well_formed(e)
        else:
            assert isinstance(cfg, Qwen3VLConfig)

    @given(data=strategies.json_like())
    def test_section_from_dict_raises_only_config_error(
        self, data: Any
    ) -> None:
        """Any JSON-like value gives a GPUConfig or a ConfigError."""
        try:
            cfg = GPUConfig.from_dict(data)
        except ConfigError as e:
            assert_well_formed(e)
        else:
            assert isinstance(cfg, GPUConfig)


class TestInvalidLeaf:
    @given(case=strategies.config_dicts_with_a_bad_leaf())
    def test_from_dict_reports_the_bad_leaf(
        self, case: tuple[dict[str, Any], str]
    ) -> None:
        """One invalid value in a valid dict is reported at its dotted path."""
        data, path = case

        with pytest.raises(ConfigError) as info:
            Qwen3VLConfig.from_dict(data)

        assert path in info.value.paths

    @by_class
    @given(data=st.data())
    def test_every_class_reports_the_bad_leaf(
        self, cls: type[BaseConfig], data: st.DataObject
    ) -> None:
        """Each class's from_dict reports an invalid leaf at its path."""
        bad, path = data.draw(strategies.config_dicts_with_a_bad_leaf(cls))

        with pytest.raises(ConfigError) as info:
            cls.from_dict(bad)

        assert path in info.value.paths
