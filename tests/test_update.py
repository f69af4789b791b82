"""Tests for apply_updates: JSON Merge Patch semantics on validated configs."""

from __future__ import annotations

import contextlib
import copy

from collections.abc import Mapping
from typing import Any

import pytest

from hypothesis import given
from hypothesis import strategies as st
from qwen3vl import (
    ConfigError,
    CPUConfig,
    GPUConfig,
    MemoryConfig,
    Qwen3VLConfig,
    apply_updates,
)
from qwen3vl._fields import fields_of

import strategies

from helpers import assert_well_formed, refusal


GB = 1024**3


def paths_of(config: object, patch: object) -> list[str]:
    """Return the problem paths that applying `patch` raises."""
    return refusal(apply_updates, config, patch).paths


class TestMerge:
    def test_mapping_merges_into_a_section(self):
        """A mapping changes only the keys it names in the section."""
        config = Qwen3VLConfig()
        updated = apply_updates(
            config, {"optimization_config": {"sparsity_ratio": 0.4}}
        )

        assert 0.4 == updated.optimization_config.sparsity_ratio
        assert updated.optimization_config.use_moe
        assert 0.5 == config.optimization_config.sparsity_ratio

    def test_scalar_replaces_a_field(self):
        """A plain value replaces the field."""
        assert (
            1000
            == apply_updates(Qwen3VLConfig(), {"vocab_size": 1000}).vocab_size
        )

    def test_list_replaces_as_a_whole(self):
        """A list value replaces the field, it does not merge."""
        updated = apply_updates(
            Qwen3VLConfig(), {"gpu_config": {"gpu_compute_capability": [9, 0]}}
        )

        assert (9, 0) == updated.gpu_config.gpu_compute_capability

    def test_null_resets_a_field(self):
        """None resets a field to its default."""
        changed = apply_updates(Qwen3VLConfig(), {"vocab_size": 1000})

        assert (
            152064 == apply_updates(changed, {"vocab_size": None}).vocab_size
        )

    def test_null_resets_a_section(self):
        """None resets a whole section to its default."""
        changed = apply_updates(
            Qwen3VLConfig(), {"gpu_config": {"use_tensor_cores": False}}
        )

        assert (
            GPUConfig()
            == apply_updates(changed, {"gpu_config": None}).gpu_config
        )

    def test_dotted_keys(self):
        """A dotted key is the nested mapping it spells."""
        updated = apply_updates(
            Qwen3VLConfig(),
            {
                "gpu_config.use_tensor_cores": False,
                "gpu_config": {"use_mixed_precision": False},
                "memory_config.gpu_memory_size": "12GiB",
            },
        )

        assert not updated.gpu_config.use_tensor_cores
        assert not updated.gpu_config.use_mixed_precision
        assert 12 * GB == updated.memory_config.gpu_memory_size

    def test_dotted_key_null_resets_a_field(self):
        """A dotted key with None resets that one field."""
        changed = apply_updates(
            Qwen3VLConfig(),
            {"cpu_config": {"num_threads": 8, "num_workers": 2}},
        )
        reset = apply_updates(changed, {"cpu_config.num_threads": None})

        assert (4, 2) == (
            reset.cpu_config.num_threads,
            reset.cpu_config.num_workers,
        )

    def test_patch_values_read_like_file_values(self):
        """Sizes with units work in a patch as in a file."""
        updated = apply_updates(MemoryConfig(), {"cpu_memory_size": "16 GiB"})

        assert 16 * GB == updated.cpu_memory_size

    def test_works_on_a_section(self):
        """apply_updates accepts any section, not only the root."""
        updated = apply_updates(CPUConfig(), {"num_threads": 8})

        assert isinstance(updated, CPUConfig)
        assert 8 == updated.num_threads

    def test_empty_patch_returns_the_same_config(self):
        """An empty patch changes nothing."""
        config = Qwen3VLConfig()

        assert config is apply_updates(config, {})


class TestIdentityAndPurity:
    def test_untouched_sections_are_the_same_objects(self):
        """Only the sections a patch touches are rebuilt."""
        config = Qwen3VLConfig()
        updated = apply_updates(
            config, {"gpu_config": {"use_tensor_cores": False}}
        )

        assert updated.gpu_config is not config.gpu_config
        for name in (
            "memory_config",
            "cpu_config",
            "power_management_config",
            "optimization_config",
        ):
            assert getattr(config, name) is getattr(updated, name)

    def test_neither_config_nor_patch_is_mutated(self):
        """The input config and patch are left exactly as they were."""
        config = Qwen3VLConfig()
        before = config.to_dict()
        patch = {
            "optimization_config": {"sparsity_ratio": 0.4},
            "gpu_config.use_tensor_cores": False,
        }
        snapshot = copy.deepcopy(patch)

        apply_updates(config, patch)

        assert snapshot == patch
        assert before == config.to_dict()

    def test_nothing_changes_on_error(self):
        """A failing patch leaves the config as it was."""
        config = Qwen3VLConfig()

        with pytest.raises(ConfigError):
            apply_updates(config, {"vocab_size": 1000, "hidden_size": "big"})

        assert 152064 == config.vocab_size


class TestErrors:
    def test_spec_update_example_hits_the_capacity_guard(self):
        """The specification's 16-layer update needs preserve_full_capacity off."""
        with pytest.raises(ConfigError) as info:
            apply_updates(
                Qwen3VLConfig(),
                {"num_hidden_layers": 16, "num_attention_heads": 16},
            )

        assert ["num_attention_heads", "num_hidden_layers"] == info.value.paths
        assert all(
            "preserve_full_capacity" in p.message for p in info.value.problems
        )

    def test_reduced_model_with_flag_in_the_same_patch(self):
        """Setting preserve_full_capacity=False in the patch allows it."""
        updated = apply_updates(
            Qwen3VLConfig(),
            {
                "num_hidden_layers": 16,
                "num_attention_heads": 16,
                "preserve_full_capacity": False,
            },
        )

        assert 16 == updated.num_hidden_layers

    def test_all_problems_together_with_paths(self):
        """Every bad value in the patch is reported with its dotted path."""
        assert [
            "cpu_config.num_threads",
            "gpu_config.use_tensor_cores",
            "hidden_size",
        ] == paths_of(
            Qwen3VLConfig(),
            {
                "gpu_config": {"use_tensor_cores": 3},
                "cpu_config.num_threads": 0,
                "hidden_size": 4100,
            },
        )

    def test_problems_name_the_patch_as_source(self):
        """A patch problem says it came from the patch."""
        with pytest.raises(ConfigError) as info:
            apply_updates(Qwen3VLConfig(), {"vocab_size": 0})

        assert "patch" == info.value.problems[0].source
        assert str(info.value).endswith("[patch]")

    def test_unknown_key_has_a_suggestion(self):
        """A typo in a patch gets the same hint as in a file."""
        with pytest.raises(ConfigError) as info:
            apply_updates(
                Qwen3VLConfig(), {"gpu_config.use_tensor_core": True}
            )

        problem = info.value.problems[0]
        assert "gpu_config.use_tensor_core" == problem.path
        assert problem.message.endswith("did you mean 'use_tensor_cores'?")

    @pytest.mark.parametrize("value", [3, "x", [1], True])
    def test_scalar_for_a_section_is_refused(self, value):
        """A section takes a mapping or None, nothing else."""
        assert ["gpu_config"] == paths_of(
            Qwen3VLConfig(), {"gpu_config": value}
        )

    @pytest.mark.parametrize("patch", [[], "x", None, 3])
    def test_patch_must_be_a_mapping(self, patch):
        """A patch that is not a mapping is one problem at the root."""
        assert [""] == paths_of(Qwen3VLConfig(), patch)

    def test_dotted_key_and_mapping_setting_the_same_leaf(self):
        """The same field set twice in one patch is a conflict."""
        assert "gpu_config.use_tensor_cores" in paths_of(
            Qwen3VLConfig(),
            {
                "gpu_config.use_tensor_cores": False,
                "gpu_config": {"use_tensor_cores": True},
            },
        )

    @pytest.mark.parametrize("key", ["gpu_config.", ".x", "a..b"])
    def test_empty_dotted_parts_are_refused(self, key):
        """A dotted key with an empty part is an error, not a silent no-op."""
        with pytest.raises(ConfigError):
            apply_updates(Qwen3VLConfig(), {key: 1})

    def test_patch_deeper_than_the_schema(self):
        """A mapping where a leaf belongs is a type error at that leaf."""
        assert ["gpu_config.use_tensor_cores"] == paths_of(
            Qwen3VLConfig(), {"gpu_config": {"use_tensor_cores": {"x": 1}}}
        )

    def test_cyclic_patch_is_an_error(self):
        """A patch that contains itself ends in a ConfigError."""
        patch: dict[str, object] = {}
        patch["gpu_config"] = patch

        assert ["gpu_config.gpu_config"] == paths_of(Qwen3VLConfig(), patch)

    def test_non_config_target_is_a_type_error(self):
        """apply_updates on something that is not a config is a bug, not input."""
        with pytest.raises(TypeError):
            apply_updates({"a": 1}, {"a": 2})


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
