"""
Property tests: round trips, canonical output, merge patches, robustness.

The strategies live in `tests/strategies.py` (pytest puts `tests/` on the
path, see ``pythonpath`` in pyproject.toml).
"""

from __future__ import annotations

import contextlib
import copy
import pathlib
import pickle
import warnings

from collections.abc import Mapping
from typing import Any

import pytest

from hypothesis import given, settings
from hypothesis import strategies as st
from qwen3vl import (
    BaseConfig,
    ConfigError,
    GPUConfig,
    Qwen3VLConfig,
    apply_updates,
)
from qwen3vl._converters import to_file_data
from qwen3vl._fields import fields_of
from qwen3vl._formats import dumps, loads

import strategies


FORMATS = ("json", "yaml", "toml")
SUFFIXES = {"json": ".json", "yaml": ".yaml", "toml": ".toml"}

# Writing files fsyncs twice per save; fewer examples keep the suite quick.
DISK = settings(max_examples=30)

by_class = pytest.mark.parametrize(
    "cls", strategies.CONFIG_CLASSES, ids=lambda c: c.__name__
)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    # Module-scoped: Hypothesis refuses function-scoped fixtures such as
    # tmp_path, and every example may overwrite the same files.
    return tmp_path_factory.mktemp("properties")


def assert_well_formed(e: ConfigError) -> None:
    """Check that `e` has problems, each with a str path and a message."""
    assert len(e.problems) >= 1
    for problem in e.problems:
        assert isinstance(problem.path, str)
        assert isinstance(problem.message, str)
        assert "" != problem.message


def undot(patch: Mapping[str, Any]) -> dict[str, Any]:
    """Spell the dotted keys of `patch` as nested mappings."""
    result: dict[str, Any] = {}
    for key, value in patch.items():
        head, _, rest = key.partition(".")
        if rest:
            value = {rest: value}  # noqa: PLW2901
        if isinstance(result.get(head), dict) and isinstance(value, dict):
            result[head] = {**result[head], **value}
        else:
            result[head] = value
    return result


def merge_patch(target: Any, patch: Any) -> Any:
    """Apply `patch` to `target` as RFC 7396 says, on plain data."""
    if not isinstance(patch, Mapping):
        return patch
    result = dict(target) if isinstance(target, Mapping) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def touched_sections(patch: Mapping[str, Any]) -> set[str]:
    """The root sections that `patch` names, directly or by a dotted key."""
    return {key.partition(".")[0] for key in patch}


SECTION_NAMES = [
    name
    for name, info in fields_of(Qwen3VLConfig).items()
    if info.section is not None
]


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

    @by_class
    @pytest.mark.parametrize("fmt", FORMATS)
    @given(data=st.data())
    def test_text_round_trip(
        self, cls: type[BaseConfig], fmt: str, data: st.DataObject
    ) -> None:
        """Dumping the file data as text and loading it back is lossless."""
        cfg = data.draw(strategies.configs_of(cls))

        loaded, _ = loads(dumps(to_file_data(cfg), fmt), fmt)

        assert cfg == cls.from_dict(loaded)

    @by_class
    @DISK
    @given(data=st.data())
    def test_file_round_trip(
        self, cls: type[BaseConfig], folder: pathlib.Path, data: st.DataObject
    ) -> None:
        """save_to_file then from_file gives back an equal config, per format."""
        cfg = data.draw(strategies.configs_of(cls))

        for fmt in FORMATS:
            path = folder / f"round-trip-{cls.__name__}{SUFFIXES[fmt]}"
            cfg.save_to_file(path)

            assert cfg == cls.from_file(path), fmt

    @pytest.mark.parametrize("fmt", FORMATS)
    @DISK
    @given(cfg=strategies.qwen3vl_configs())
    def test_saving_is_canonical(
        self, fmt: str, folder: pathlib.Path, cfg: Qwen3VLConfig
    ) -> None:
        """Saving twice, or saving what was loaded, gives identical bytes."""
        first = folder / f"canonical-1{SUFFIXES[fmt]}"
        second = folder / f"canonical-2{SUFFIXES[fmt]}"

        cfg.save_to_file(first)
        written = first.read_bytes()
        cfg.save_to_file(first)
        Qwen3VLConfig.from_file(first).save_to_file(second)

        assert written == first.read_bytes()
        assert written == second.read_bytes()


class TestApplyUpdates:
    @given(cfg=strategies.qwen3vl_configs())
    def test_empty_patch_changes_nothing(self, cfg: Qwen3VLConfig) -> None:
        """An empty patch returns a config equal to the input."""
        assert cfg == apply_updates(cfg, {})

    @given(cfg=strategies.gpu_configs(), patch=strategies.patches(GPUConfig))
    def test_empty_patch_on_a_section(
        self, cfg: GPUConfig, patch: dict[str, Any]
    ) -> None:
        """apply_updates works on a section and an empty patch keeps it."""
        updated = apply_updates(cfg, patch)

        assert cfg == apply_updates(cfg, {})
        assert updated == apply_updates(updated, patch)

    @given(
        cfg=strategies.qwen3vl_configs(),
        gpu_patch=strategies.patches(GPUConfig),
    )
    def test_untouched_sections_are_kept(
        self, cfg: Qwen3VLConfig, gpu_patch: dict[str, Any]
    ) -> None:
        """A patch of the GPU section keeps every other section object."""
        updated = apply_updates(cfg, {"gpu_config": gpu_patch})

        for name in SECTION_NAMES:
            if name != "gpu_config":
                assert getattr(cfg, name) is getattr(updated, name), name

    @given(cfg=strategies.qwen3vl_configs(), patch=strategies.patches())
    def test_sections_a_patch_does_not_name_are_kept(
        self, cfg: Qwen3VLConfig, patch: dict[str, Any]
    ) -> None:
        """Sections that a patch never names are the same objects after it."""
        updated = apply_updates(cfg, patch)

        for name in set(SECTION_NAMES) - touched_sections(patch):
            assert getattr(cfg, name) is getattr(updated, name), name

    @given(cfg=strategies.qwen3vl_configs(), patch=strategies.patches())
    def test_applying_twice_is_applying_once(
        self, cfg: Qwen3VLConfig, patch: dict[str, Any]
    ) -> None:
        """A valid patch applied twice gives what it gives applied once."""
        once = apply_updates(cfg, patch)

        assert once == apply_updates(once, patch)

    @given(cfg=strategies.qwen3vl_configs(), patch=strategies.patches())
    def test_matches_json_merge_patch_on_dicts(
        self, cfg: Qwen3VLConfig, patch: dict[str, Any]
    ) -> None:
        """apply_updates agrees with RFC 7396 applied to the config's dict."""
        expected = Qwen3VLConfig.from_dict(
            merge_patch(cfg.to_dict(), undot(patch))
        )

        assert expected == apply_updates(cfg, patch)

    @given(
        cfg=strategies.qwen3vl_configs(),
        patch=st.one_of(strategies.patches(), strategies.junk_patches()),
    )
    def test_input_and_patch_are_never_mutated(
        self, cfg: Qwen3VLConfig, patch: dict[str, Any]
    ) -> None:
        """Neither the config nor the patch changes, valid patch or not."""
        cfg_before = cfg.to_dict()
        patch_before = copy.deepcopy(patch)

        with contextlib.suppress(ConfigError):
            apply_updates(cfg, patch)

        assert cfg_before == cfg.to_dict()
        assert patch_before == patch


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

    @given(patch=strategies.junk_patches())
    def test_junk_patches_raise_only_config_error(
        self, patch: dict[str, Any]
    ) -> None:
        """A patch of real keys and junk values gives a config or ConfigError."""
        try:
            cfg = apply_updates(Qwen3VLConfig(), patch)
        except ConfigError as e:
            assert_well_formed(e)
        else:
            assert isinstance(cfg, Qwen3VLConfig)

    @given(patch=strategies.json_like())
    def test_any_patch_value_raises_only_config_error(
        self, patch: Any
    ) -> None:
        """Any JSON-like patch, mapping or not, gives a config or ConfigError."""
        try:
            cfg = apply_updates(Qwen3VLConfig(), patch)
        except ConfigError as e:
            assert_well_formed(e)
        else:
            assert isinstance(cfg, Qwen3VLConfig)


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

    @given(
        cfg=strategies.qwen3vl_configs(),
        case=strategies.bad_leaf_patches(),
    )
    def test_apply_updates_reports_the_bad_leaf(
        self, cfg: Qwen3VLConfig, case: tuple[dict[str, Any], str]
    ) -> None:
        """A patch with one invalid value is reported at its dotted path."""
        patch, path = case

        with pytest.raises(ConfigError) as info:
            apply_updates(cfg, patch)

        assert path in info.value.paths


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
