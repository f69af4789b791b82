"""Tests for apply_updates: JSON Merge Patch semantics on validated configs."""

from __future__ import annotations

import copy

import pytest

from qwen3vl import (
    ConfigError,
    CPUConfig,
    GPUConfig,
    MemoryConfig,
    Qwen3VLConfig,
    apply_updates,
)


GB = 1024**3


def paths_of(config: object, patch: object) -> list[str]:
    """Return the problem paths that applying `patch` raises."""
    with pytest.raises(ConfigError) as info:
        apply_updates(config, patch)  # type: ignore[arg-type]
    return info.value.paths


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
