"""Tests for backward compatibility: old layouts load, with a warning."""

from __future__ import annotations

import attrs
import pytest

from qwen3vl import (
    ConfigError,
    GiB,
    GPUConfig,
    Qwen3VLConfig,
    load_config,
    load_config_traced,
)
from qwen3vl._compat import RENAMED, Migration, Upgrade, flat_names, upgrade
from qwen3vl._fields import setting
from qwen3vl._validators import boolean, integer


FLAT = {
    "num_hidden_layers": 32,
    "gpu_memory_size": "12GiB",
    "use_sparsity": False,
    "num_threads": 8,
    "use_tensor_cores": False,
}


class TestFlatLayout:
    def test_flat_dict_loads_nested_with_a_warning(self):
        """Section fields at the top level land in their sections."""
        with pytest.warns(DeprecationWarning, match="write them nested") as w:
            config = Qwen3VLConfig.from_dict(FLAT)

        assert 12 * GiB == config.memory_config.gpu_memory_size
        assert not config.optimization_config.use_sparsity
        assert 8 == config.cpu_config.num_threads
        assert not config.gpu_config.use_tensor_cores
        assert "gpu_memory_size -> memory_config.gpu_memory_size" in str(
            w[0].message
        )

    def test_warning_points_at_the_caller(self):
        """The warning names this test file, not the library."""
        with pytest.warns(DeprecationWarning) as w:
            Qwen3VLConfig.from_dict({"use_moe": False})

        assert __file__ == w[0].filename

    def test_flat_file_loads_and_says_what_to_change(self, tmp_path):
        """A flat legacy YAML file loads, warning about the layout and version."""
        path = tmp_path / "legacy.yaml"
        path.write_text("gpu_memory_size: 12GiB\nuse_moe: false\n")

        with pytest.warns(DeprecationWarning) as w:
            config = Qwen3VLConfig.from_file(path)

        messages = [str(x.message) for x in w]
        assert not config.optimization_config.use_moe
        assert any("has no config_version" in m for m in messages)
        assert any("write them nested" in m for m in messages)
        assert all(m.startswith(str(path)) for m in messages)

    def test_moved_key_keeps_its_line(self, tmp_path):
        """A bad value under an old flat key points at its line in the file."""
        path = tmp_path / "legacy.yaml"
        path.write_text("vocab_size: 1000\nuse_moe: 3\n")

        with (
            pytest.warns(DeprecationWarning),
            pytest.raises(ConfigError) as info,
        ):
            Qwen3VLConfig.from_file(path)

        problem = info.value.problems[0]
        assert "optimization_config.use_moe" == problem.path
        assert (str(path), 2) == (problem.source, problem.line)

    def test_flat_and_nested_together_is_an_error(self):
        """The same field given flat and nested is a conflict, not a guess."""
        with pytest.raises(ConfigError) as info:
            Qwen3VLConfig.from_dict(
                {"use_moe": False, "optimization_config": {"use_moe": True}}
            )

        assert ["optimization_config.use_moe"] == info.value.paths
        assert "set twice" in info.value.problems[0].message

    def test_current_version_refuses_flat_keys(self):
        """With config_version 1 the flat layout is an error that says where."""
        with pytest.raises(ConfigError) as info:
            Qwen3VLConfig.from_dict({"config_version": 1, "use_moe": False})

        assert info.value.problems[0].message.endswith(
            "it belongs in optimization_config"
        )

    def test_nested_dict_without_version_loads_silently(self, recwarn):
        """A partial dict in today's layout needs no version and warns nothing."""
        config = Qwen3VLConfig.from_dict(
            {"gpu_config": {"use_tensor_cores": False}}
        )

        assert not config.gpu_config.use_tensor_cores
        assert [] == [str(w.message) for w in recwarn]

    def test_flat_names_are_unique_section_fields(self):
        """Only names that live in exactly one section move up from the root."""
        names = flat_names(Qwen3VLConfig)

        assert "memory_config" == names["gpu_memory_size"]
        assert "optimization_config" == names["sparsity_ratio"]
        assert "num_hidden_layers" not in names


class TestRenamedKeys:
    @pytest.mark.parametrize(("old", "new"), sorted(RENAMED.items()))
    def test_every_renamed_key_reaches_its_field(self, old, new):
        """Each old name in the table sets the field it was renamed to."""
        value = {
            "optimization_config.use_flash_attention_2": False,
            "gpu_config.attention_implementation": "sdpa",
            "optimization_config.use_gradient_checkpointing": False,
            "gpu_config.gpu_compute_capability": [8, 0],
            "gpu_config.memory_bandwidth_gbps": 900.0,
            "num_hidden_layers": 40,
            "num_attention_heads": 64,
        }[new]

        with pytest.warns(DeprecationWarning, match="write the new names"):
            config = Qwen3VLConfig.from_dict({old: value})

        actual: object = config
        for part in new.split("."):
            actual = getattr(actual, part)
        expected = tuple(value) if isinstance(value, list) else value
        assert expected == actual

    def test_old_name_inside_a_section(self):
        """An old name written inside a section is renamed too."""
        with pytest.warns(
            DeprecationWarning, match="gpu_config.attn_implementation"
        ):
            config = Qwen3VLConfig.from_dict(
                {"gpu_config": {"attn_implementation": "eager"}}
            )

        assert "eager" == config.gpu_config.attention_implementation

    def test_old_and_new_name_together_is_an_error(self):
        """Both spellings of one key are refused."""
        with pytest.raises(ConfigError, match="set twice"):
            Qwen3VLConfig.from_dict(
                {"num_layers": 40, "num_hidden_layers": 48}
            )

    def test_sections_load_strictly(self):
        """Compatibility is for whole configs; a section refuses old names."""
        with pytest.raises(
            ConfigError, match="unknown key 'attn_implementation'"
        ):
            GPUConfig.from_dict({"attn_implementation": "sdpa"})


class TestVersions:
    def test_file_without_version_warns_what_to_add(self, tmp_path):
        """A file without config_version is told to add it."""
        path = tmp_path / "site.toml"
        path.write_text("[cpu_config]\nnum_threads = 2\n")

        with pytest.warns(
            DeprecationWarning, match=r"add 'config_version = 1' \(TOML\)"
        ):
            Qwen3VLConfig.from_file(path)

    def test_file_with_version_loads_silently(self, tmp_path, recwarn):
        """A file that says config_version = 1 is current: no warning."""
        path = tmp_path / "site.toml"
        path.write_text("config_version = 1\n[cpu_config]\nnum_threads = 2\n")

        assert 2 == Qwen3VLConfig.from_file(path).cpu_config.num_threads
        assert [] == [str(w.message) for w in recwarn]

    def test_version_zero_is_migrated(self):
        """config_version 0 is the old layout: migrated, and said so."""
        with pytest.warns(DeprecationWarning) as w:
            config = Qwen3VLConfig.from_dict(
                {"config_version": 0, "use_moe": False}
            )

        assert str(w[0].message).startswith(
            "config_version 0 is an old layout"
        )
        assert 1 == config.config_version
        assert not config.optimization_config.use_moe

    def test_newer_version_is_refused(self):
        """A layout newer than this library knows is refused, not misread."""
        with pytest.raises(ConfigError) as info:
            Qwen3VLConfig.from_dict({"config_version": 2})

        assert ["config_version"] == info.value.paths

    def test_migrations_run_in_order_from_the_input_version(self):
        """The registry steps one version at a time up to the current one."""

        @attrs.frozen
        class Versioned:
            config_version: int = setting(3, "Version.", integer(ge=0, le=3))
            flag: bool = setting(False, "A flag.", boolean())

        def step(version: int) -> Migration:
            def apply(data: dict[str, object], _root: type) -> Upgrade:
                trail = [*data.get("trail", []), version]  # type: ignore[misc]
                return Upgrade({**data, "trail": trail}, (f"step {version}",))

            return Migration(version, f"step {version}", apply)

        registry = {v: step(v) for v in range(3)}

        result = upgrade(
            {"config_version": 1},
            Versioned,
            is_file=False,
            migrations=registry,
        )

        assert [1, 2] == result.data["trail"]
        assert 3 == result.data["config_version"]
        assert ("step 1", "step 2") == result.notes[1:]

    def test_input_is_never_changed(self):
        """Migrating builds new mappings; the caller's stays as it was."""
        data = {
            "use_moe": False,
            "gpu_config": {"attn_implementation": "sdpa"},
        }

        with pytest.warns(DeprecationWarning):
            Qwen3VLConfig.from_dict(data)

        assert {
            "use_moe": False,
            "gpu_config": {"attn_implementation": "sdpa"},
        } == data


class TestFlatAttributes:
    def test_reading_a_section_field_from_the_root_warns(self):
        """config.sparsity_ratio works, with a warning naming the new path."""
        config = Qwen3VLConfig()

        with pytest.warns(
            DeprecationWarning,
            match="read config.optimization_config.sparsity_ratio",
        ):
            value = config.sparsity_ratio  # type: ignore[attr-defined]

        assert config.optimization_config.sparsity_ratio == value

    def test_unknown_attribute_is_still_an_error(self):
        """Names that no section has raise AttributeError as usual."""
        with pytest.raises(AttributeError, match="no attribute 'nope'"):
            Qwen3VLConfig().nope  # type: ignore[attr-defined]  # noqa: B018

    def test_writing_never_works(self):
        """The config stays frozen: flat names cannot be assigned."""
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            Qwen3VLConfig().sparsity_ratio = 0.1  # type: ignore[attr-defined]


class TestLoadConfig:
    def test_legacy_file_in_load_config(self, tmp_path):
        """load_config upgrades old files too, keeping their provenance."""
        path = tmp_path / "legacy.json"
        path.write_text('{"use_moe": false, "attn_implementation": "sdpa"}')

        with pytest.warns(DeprecationWarning) as w:
            config, origins = load_config_traced(path, env=False)

        assert not config.optimization_config.use_moe
        assert "sdpa" == config.gpu_config.attention_implementation
        assert f"file:{path}" == origins["optimization_config.use_moe"]
        assert all(x.filename == __file__ for x in w)

    def test_conflict_in_a_legacy_file_names_the_file(self, tmp_path):
        """A key set under both names in a file is an error about that file."""
        path = tmp_path / "legacy.json"
        path.write_text('{"num_layers": 40, "num_hidden_layers": 48}')

        with pytest.raises(ConfigError) as info:
            load_config(path, env=False)

        assert str(path) == info.value.problems[0].source
