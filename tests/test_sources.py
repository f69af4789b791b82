"""Tests for load_config: presets, files, the environment and overrides."""

from __future__ import annotations

import contextlib
import json
import os

from typing import Any

import pytest

from hypothesis import given
from qwen3vl import (
    ConfigError,
    CPUConfig,
    GiB,
    MemoryConfig,
    MiB,
    Qwen3VLConfig,
    apply_updates,
    list_presets,
    load_config,
    load_config_traced,
)
from qwen3vl._sources import HardwareMismatchWarning, env_name

from helpers import (
    AMD,
    CPU_ONLY,
    DEFAULT,
    FLASH,
    H100,
    LEAVES,
    LEVEL,
    SLOW_EXAMPLES,
    SPARSITY,
    TARGET,
    THREADS,
    as_text,
    refusal,
    value_at,
    write_config,
)
from strategies import CONFIGS


def problems_of(*paths: str, **kwargs: Any) -> tuple[Any, ...]:
    """Return the problems of the ConfigError that loading raises."""
    return refusal(load_config, *paths, **kwargs).problems


# -- the level and the target ---------------------------------------------


class TestLevelAndTarget:
    """The level and the target may come from any layer and pick the presets."""

    def test_nothing_named_applies_no_preset(self):
        """With no level or target named, the result is the defaults."""
        config, origins = load_config_traced(env={})

        assert DEFAULT == config
        assert {"default"} == set(origins.values())

    def test_files_alone_apply_no_preset(self, tmp_path):
        """A file that names no level or target gets no preset underneath."""
        path = write_config(
            tmp_path, "a.toml", "[cpu_config]\nnum_threads = 9\n"
        )

        config = load_config(path, env={})

        assert Qwen3VLConfig(cpu_config=CPUConfig(num_threads=9)) == config

    def test_arguments_name_the_presets(self):
        """The preset= and hardware_target= arguments apply when no layer names one."""
        config, origins = load_config_traced(
            preset="minimal", hardware_target=CPU_ONLY, env={}
        )

        assert "minimal" == config.optimization_level
        assert CPU_ONLY == config.hardware_target
        assert "preset:minimal" == origins[LEVEL]
        assert "hardware:cpu_only" == origins[TARGET]
        assert not config.optimization_config.use_moe
        assert "preset:minimal" == origins["optimization_config.use_moe"]
        assert 0 == config.memory_config.gpu_memory_size
        assert "hardware:cpu_only" == origins["memory_config.gpu_memory_size"]

    def test_level_in_a_file_beats_the_argument(self, tmp_path):
        """A file's optimization_level selects the level preset, not preset=."""
        path = write_config(
            tmp_path, "a.yaml", "optimization_level: minimal\n"
        )

        config, origins = load_config_traced(path, preset="aggressive", env={})

        assert "minimal" == config.optimization_level
        assert f"file:{path}" == origins[LEVEL]
        assert not config.optimization_config.use_sparsity
        assert "preset:minimal" == origins["optimization_config.use_sparsity"]
        # minimal does not set the ratio; aggressive's 0.6 must not leak in.
        assert 0.5 == config.optimization_config.sparsity_ratio
        assert "default" == origins[SPARSITY]

    def test_level_in_env_beats_a_file_and_the_argument(self, tmp_path):
        """QWEN3VL_OPTIMIZATION_LEVEL wins over a file's level and preset=."""
        path = write_config(
            tmp_path, "a.toml", 'optimization_level = "balanced"\n'
        )

        config, origins = load_config_traced(
            path,
            preset="balanced",
            env={"QWEN3VL_OPTIMIZATION_LEVEL": "aggressive"},
        )

        assert "aggressive" == config.optimization_level
        assert "env:QWEN3VL_OPTIMIZATION_LEVEL" == origins[LEVEL]
        assert 0.6 == config.optimization_config.sparsity_ratio
        assert "preset:aggressive" == origins[SPARSITY]

    @pytest.mark.parametrize("form", ["mapping", "list"])
    def test_level_in_overrides_beats_env(self, form):
        """An override's optimization_level wins over the environment's."""
        overrides: Any = (
            {"optimization_level": "minimal"}
            if form == "mapping"
            else ["optimization_level=minimal"]
        )

        config, origins = load_config_traced(
            preset="aggressive",
            env={"QWEN3VL_OPTIMIZATION_LEVEL": "aggressive"},
            overrides=overrides,
        )

        assert "minimal" == config.optimization_level
        assert "override" == origins[LEVEL]
        assert not config.optimization_config.use_moe
        assert "preset:minimal" == origins["optimization_config.use_moe"]

    @pytest.mark.parametrize("where", ["file", "env", "mapping", "list"])
    def test_target_from_any_layer_beats_the_argument(self, tmp_path, where):
        """hardware_target set in any user layer picks the hardware preset."""
        paths = []
        env: dict[str, str] = {}
        overrides: Any = None
        if where == "file":
            paths.append(
                write_config(
                    tmp_path, "a.json", json.dumps({TARGET: CPU_ONLY})
                )
            )
        elif where == "env":
            env["QWEN3VL_HARDWARE_TARGET"] = CPU_ONLY
        elif where == "mapping":
            overrides = {TARGET: CPU_ONLY}
        else:
            overrides = [f"{TARGET}={CPU_ONLY}"]

        # A file that overrules the argument's target says so (issue 15).
        with (
            pytest.warns(HardwareMismatchWarning, match="overrules the")
            if where == "file"
            else contextlib.nullcontext()
        ):
            config, origins = load_config_traced(
                *paths, hardware_target=AMD, env=env, overrides=overrides
            )

        assert CPU_ONLY == config.hardware_target
        assert 0 == config.memory_config.gpu_memory_size
        assert "hardware:cpu_only" == origins["memory_config.gpu_memory_size"]
        # The argument's preset is not applied at all.
        assert 4 == config.cpu_config.num_threads
        assert "default" == origins[THREADS]

    @pytest.mark.parametrize(
        ("kwargs", "path", "hint"),
        [
            ({"preset": "agressive"}, LEVEL, "did you mean 'aggressive'?"),
            ({"preset": "Minimal"}, LEVEL, "did you mean 'minimal'?"),
            (
                {"hardware_target": "cpu-only"},
                TARGET,
                "did you mean 'cpu_only'?",
            ),
            (
                {"overrides": ["optimization_level=balancd"]},
                LEVEL,
                "did you mean 'balanced'?",
            ),
        ],
    )
    def test_unknown_preset_name(self, kwargs, path, hint):
        """An unknown level or target is a ConfigError at its path with a hint."""
        problems = problems_of(**{"env": {}, **kwargs})

        assert [path] == [p.path for p in problems]
        assert hint in problems[0].message

    def test_own_machine_named_in_a_layer_adds_no_hardware_layer(self):
        """A target without a preset, named in a layer, is the user's own machine."""
        config, origins = load_config_traced(
            env={"QWEN3VL_HARDWARE_TARGET": "lab_box_7"}
        )

        assert "lab_box_7" == config.hardware_target
        assert "default" == origins["gpu_config.gpu_compute_capability"]

    def test_misspelt_target_in_a_layer_warns_with_a_hint(self):
        """A layer's target close to a preset name warns that none applied."""
        with pytest.warns(UserWarning, match="did you mean 'cpu_only'") as w:
            config = load_config(env={"QWEN3VL_HARDWARE_TARGET": "cpu_onyl"})

        assert "cpu_onyl" == config.hardware_target
        assert __file__ == w[0].filename
        assert str(w[0].message).startswith("QWEN3VL_HARDWARE_TARGET: ")

    def test_unknown_preset_names_lists_known_ones(self):
        """The message for an unknown target lists the shipped targets."""
        (problem,) = problems_of(hardware_target="laptop", env={})

        for known in list_presets().hardware_targets:
            assert known in problem.message

    def test_both_unknown_presets_reported_together(self):
        """An unknown level and an unknown target come in one ConfigError."""
        problems = problems_of(
            preset="fast", hardware_target="gpu_only", env={}
        )

        assert [TARGET, LEVEL] == [p.path for p in problems]

    @pytest.mark.parametrize("where", ["file", "env", "override"])
    def test_unknown_preset_names_its_source(self, tmp_path, where):
        """An unknown level named by a layer names that layer as the source."""
        paths = []
        env: dict[str, str] = {}
        overrides = None
        if where == "file":
            paths.append(
                write_config(
                    tmp_path, "a.toml", 'optimization_level = "agressive"\n'
                )
            )
            expected = paths[0]
        elif where == "env":
            env["QWEN3VL_OPTIMIZATION_LEVEL"] = "agressive"
            expected = "QWEN3VL_OPTIMIZATION_LEVEL"
        else:
            overrides = {"optimization_level": "agressive"}
            expected = "override"

        problems = problems_of(*paths, env=env, overrides=overrides)

        assert [(LEVEL, expected)] == [(p.path, p.source) for p in problems]

    def test_unknown_preset_does_not_hide_other_problems(self, tmp_path):
        """An unknown level is reported together with the other bad values."""
        path = write_config(
            tmp_path,
            "a.toml",
            'optimization_level = "agressive"\n[cpu_config]\nnum_threads = 0\n',
        )

        problems = problems_of(
            path, env={"QWEN3VL_CPU_CONFIG__NUM_WORKERS": "-1"}
        )

        assert {LEVEL, THREADS, "cpu_config.num_workers"} == {
            p.path for p in problems
        }


# -- files ----------------------------------------------------------------


class TestFiles:
    """Config files load in order, later ones winning leaf by leaf."""

    def test_later_file_wins_per_leaf(self, tmp_path):
        """The later file wins for what it sets; the earlier keeps the rest."""
        first = write_config(
            tmp_path,
            "first.toml",
            "[cpu_config]\nnum_threads = 5\nnum_workers = 3\n",
        )
        second = write_config(
            tmp_path, "second.json", '{"cpu_config": {"num_threads": 6}}'
        )

        config, origins = load_config_traced(first, second, env={})

        assert CPUConfig(num_threads=6, num_workers=3) == config.cpu_config
        assert f"file:{second}" == origins[THREADS]
        assert f"file:{first}" == origins["cpu_config.num_workers"]
        assert "default" == origins["cpu_config.l3_cache_size"]

    def test_order_of_the_paths_decides(self, tmp_path):
        """Swapping the two files swaps the winner."""
        a = write_config(tmp_path, "a.toml", "[cpu_config]\nnum_threads = 5\n")
        b = write_config(tmp_path, "b.yaml", "cpu_config:\n  num_threads: 6\n")

        assert 6 == load_config(a, b, env={}).cpu_config.num_threads
        assert 5 == load_config(b, a, env={}).cpu_config.num_threads

    def test_sections_merge_key_by_key(self, tmp_path):
        """Two files that set different keys of one section both count."""
        a = write_config(
            tmp_path, "a.yaml", "memory_config:\n  gpu_memory_size: 8GiB\n"
        )
        b = write_config(
            tmp_path,
            "b.toml",
            '[memory_config]\ncpu_memory_size = "16GiB"\n',
        )

        config = load_config(a, b, env={})

        assert (
            MemoryConfig(gpu_memory_size=8 * GiB, cpu_memory_size=16 * GiB)
            == config.memory_config
        )

    def test_config_variable_files_come_after_the_paths(self, tmp_path):
        """QWEN3VL_CONFIG files load after the explicit paths, in their order."""
        a = write_config(
            tmp_path,
            "a.toml",
            "[cpu_config]\nnum_threads = 5\nnum_workers = 5\n"
            "l1_cache_size = 5\n",
        )
        c = write_config(
            tmp_path,
            "c.yaml",
            "cpu_config:\n  num_threads: 6\n  num_workers: 6\n",
        )
        d = write_config(
            tmp_path, "d.json", '{"cpu_config": {"num_threads": 7}}'
        )

        config, origins = load_config_traced(
            a, env={"QWEN3VL_CONFIG": os.pathsep.join([c, d])}
        )

        assert (7, 6, 5) == (
            config.cpu_config.num_threads,
            config.cpu_config.num_workers,
            config.cpu_config.l1_cache_size,
        )
        assert f"file:{d}" == origins[THREADS]
        assert f"file:{c}" == origins["cpu_config.num_workers"]
        assert f"file:{a}" == origins["cpu_config.l1_cache_size"]

    def test_config_variable_skips_empty_entries(self, tmp_path):
        """Empty entries of QWEN3VL_CONFIG (a leading separator) are skipped."""
        c = write_config(tmp_path, "c.toml", "[cpu_config]\nnum_threads = 6\n")

        config = load_config(
            env={"QWEN3VL_CONFIG": os.pathsep + c + os.pathsep}
        )

        assert 6 == config.cpu_config.num_threads

    def test_config_variable_is_not_an_unknown_variable(self):
        """An empty QWEN3VL_CONFIG is no error and loads nothing."""
        assert DEFAULT == load_config(env={"QWEN3VL_CONFIG": ""})

    @pytest.mark.parametrize("via", ["path", "variable"])
    def test_missing_file_is_an_error_naming_it(self, tmp_path, via):
        """A file that does not exist is a ConfigError whose source is it."""
        missing = str(tmp_path / "nowhere.toml")
        paths = [missing] if via == "path" else []
        env = {"QWEN3VL_CONFIG": missing} if via == "variable" else {}

        (problem,) = problems_of(*paths, env=env)

        assert missing == problem.source
        assert missing in str(ConfigError([problem]))

    def test_yaml_problem_has_source_and_line(self, tmp_path):
        """A bad value in a YAML file names the file and its line."""
        path = write_config(
            tmp_path,
            "site.yaml",
            "cpu_config:\n  num_threads: 4\n  num_workers: -1\n",
        )

        (problem,) = problems_of(path, env={})

        assert ("cpu_config.num_workers", path, 4) == (
            problem.path,
            problem.source,
            problem.line,
        )

    def test_problem_points_at_the_file_that_set_the_value(self, tmp_path):
        """With two files, a bad value is blamed on the file that set it."""
        good = write_config(
            tmp_path, "good.yaml", "cpu_config:\n  num_threads: 4\n"
        )
        bad = write_config(
            tmp_path,
            "bad.yaml",
            "vocab_size: 1\ncpu_config:\n  num_threads: 0\n",
        )

        (problem,) = problems_of(good, bad, env={})

        assert (THREADS, bad, 4) == (
            problem.path,
            problem.source,
            problem.line,
        )

    def test_all_problems_of_all_sources_at_once(self, tmp_path):
        """A bad file value, env value, override and a missing file: one error."""
        bad = write_config(
            tmp_path,
            "bad.yaml",
            "optimization_config:\n  sparsity_ratio: 1.5\n",
        )
        missing = str(tmp_path / "missing.json")

        problems = problems_of(
            bad,
            missing,
            env={
                "QWEN3VL_NUM_HIDDEN_LAYERS": "32.0",
                "QWEN3VL_NO_SUCH_THING": "1",
            },
            overrides=["gpu_config.use_tensor_cores=yes"],
        )

        assert {
            (SPARSITY, bad),
            ("", missing),
            ("num_hidden_layers", "QWEN3VL_NUM_HIDDEN_LAYERS"),
            ("", "QWEN3VL_NO_SUCH_THING"),
            ("gpu_config.use_tensor_cores", "override"),
        } == {(p.path, p.source) for p in problems}


# -- the environment ------------------------------------------------------

# (path, text, value): accepted by the strict grammar of each field type.
ACCEPTED = [
    ("num_hidden_layers", "48", 48),
    ("num_hidden_layers", " 48 ", 48),
    ("cpu_config.num_workers", "0", 0),
    ("cpu_config.num_workers", "-0", 0),
    (SPARSITY, "0.4", 0.4),
    (SPARSITY, ".25", 0.25),
    (SPARSITY, "1e-3", 0.001),
    (SPARSITY, "0", 0.0),
    ("power_management_config.thermal_constraint", "75", 75.0),
    ("power_management_config.thermal_constraint", "7.5E1", 75.0),
    (FLASH, "true", True),
    (FLASH, "TRUE", True),
    (FLASH, "True", True),
    (FLASH, "1", True),
    (FLASH, "false", False),
    (FLASH, "FaLsE", False),
    (FLASH, "0", False),
    ("memory_config.cpu_memory_size", "6GiB", 6 * GiB),
    ("memory_config.cpu_memory_size", "6GB", 6 * GiB),
    ("memory_config.cpu_memory_size", "6 GB", 6 * GiB),
    ("memory_config.cpu_memory_size", "1.5KiB", 1536),
    ("memory_config.cpu_memory_size", "6442450944", 6 * GiB),
    ("memory_config.cpu_memory_size", "6", 6),
    ("cpu_config.l3_cache_size", "6MB", 6 * MiB),
    ("gpu_config.attention_implementation", "sdpa", "sdpa"),
    ("memory_config.compression_level", "high", "high"),
    ("cpu_config.simd_instruction_set", "avx512", "avx512"),
    ("gpu_config.gpu_compute_capability", "8.6", (8, 6)),
    ("gpu_config.gpu_compute_capability", "10.0", (10, 0)),
]

# (path, text): refused by the strict grammar or by the field's range.
REFUSED = [
    ("num_hidden_layers", "32.0"),
    ("num_hidden_layers", "0x20"),
    ("num_hidden_layers", "1_000"),
    ("num_hidden_layers", "3e1"),
    ("num_hidden_layers", ""),
    ("num_hidden_layers", "thirty-two"),
    ("num_hidden_layers", "0"),
    (SPARSITY, "nan"),
    (SPARSITY, "inf"),
    (SPARSITY, "0,4"),
    (SPARSITY, "0x1p-2"),
    (SPARSITY, "1_0.0"),
    (SPARSITY, "1.0"),
    (SPARSITY, ""),
    (FLASH, "yes"),
    (FLASH, "no"),
    (FLASH, "on"),
    (FLASH, "2"),
    (FLASH, "t"),
    (FLASH, ""),
    ("memory_config.cpu_memory_size", "6 XB"),
    ("memory_config.cpu_memory_size", "0x20"),
    ("memory_config.cpu_memory_size", "1_000"),
    ("memory_config.cpu_memory_size", "6.5"),
    ("memory_config.cpu_memory_size", "0.5B"),
    ("memory_config.cpu_memory_size", "-1"),
    ("memory_config.cpu_memory_size", ""),
    ("gpu_config.attention_implementation", "flash"),
    ("gpu_config.attention_implementation", "SDPA"),
    ("memory_config.compression_level", "extreme"),
    ("gpu_config.gpu_compute_capability", "8,6"),
    ("gpu_config.gpu_compute_capability", "86"),
    ("gpu_config.gpu_compute_capability", "[8, 6]"),
    ("gpu_config.gpu_compute_capability", "8.6.1"),
    ("gpu_config.gpu_compute_capability", "8"),
    ("gpu_config.gpu_compute_capability", "8.10"),
]


def _load_text(via: str, path: str, text: str) -> Qwen3VLConfig:
    """Load `text` for `path` through the environment or a list override."""
    if via == "env":
        return load_config(env={env_name(path): text})
    return load_config(env={}, overrides=[f"{path}={text}"])


class TestEnvironment:
    """QWEN3VL_ variables: their names and the strict grammar of their values."""

    @pytest.mark.parametrize(
        ("name", "text", "path", "value"),
        [
            ("QWEN3VL_NUM_HIDDEN_LAYERS", "48", "num_hidden_layers", 48),
            (
                "QWEN3VL_OPTIMIZATION_CONFIG__SPARSITY_RATIO",
                "0.4",
                SPARSITY,
                0.4,
            ),
            (
                "QWEN3VL_MEMORY_CONFIG__GPU_MEMORY_SIZE",
                "6GiB",
                "memory_config.gpu_memory_size",
                6 * GiB,
            ),
            (
                "QWEN3VL_GPU_CONFIG__GPU_COMPUTE_CAPABILITY",
                "8.6",
                "gpu_config.gpu_compute_capability",
                (8, 6),
            ),
        ],
    )
    def test_documented_names(self, name, text, path, value):
        """The documented variable names set their leaves."""
        config, origins = load_config_traced(env={name: text})

        assert name == env_name(path)
        assert value == value_at(config, path)
        assert f"env:{name}" == origins[path]

    @pytest.mark.parametrize("via", ["env", "override"])
    @pytest.mark.parametrize(("path", "text", "value"), ACCEPTED)
    def test_grammar_accepts(self, via, path, text, value):
        """Text of the right form is read into the field's Python value."""
        got = value_at(_load_text(via, path, text), path)

        assert value == got
        assert type(value) is type(got)

    @pytest.mark.parametrize("via", ["env", "override"])
    @pytest.mark.parametrize(("path", "text"), REFUSED)
    def test_grammar_refuses(self, via, path, text):
        """Text of the wrong form is one problem at the path, naming its source."""
        with pytest.raises(ConfigError) as info:
            _load_text(via, path, text)

        source = env_name(path) if via == "env" else "override"
        assert [(path, source)] == [
            (p.path, p.source) for p in info.value.problems
        ]

    @pytest.mark.parametrize("via", ["env", "override"])
    @pytest.mark.parametrize(
        ("path", "text", "value"),
        [
            ("gpu_config.attention_implementation", " sdpa ", "sdpa"),
            ("memory_config.compression_level", "high ", "high"),
        ],
    )
    def test_surrounding_spaces_are_ignored_for_choices(
        self, via, path, text, value
    ):
        """Spaces around a choice or a name are ignored, as around a number."""
        assert value == value_at(_load_text(via, path, text), path)

    @pytest.mark.parametrize(
        ("name", "suggestion"),
        [
            (
                "QWEN3VL_OPTIMIZATION_CONFIG__SPARSITY_RATI",
                "QWEN3VL_OPTIMIZATION_CONFIG__SPARSITY_RATIO",
            ),
            (
                "QWEN3VL_OPTIMIZATION_CONFIG_SPARSITY_RATIO",
                "QWEN3VL_OPTIMIZATION_CONFIG__SPARSITY_RATIO",
            ),
            ("QWEN3VL_NUM_HIDDEN_LAYER", "QWEN3VL_NUM_HIDDEN_LAYERS"),
            (
                "QWEN3VL_MEMORY_CONFIG__GPU_MEMORY",
                "QWEN3VL_MEMORY_CONFIG__GPU_MEMORY_SIZE",
            ),
        ],
    )
    def test_unknown_variable_suggests_the_nearest(self, name, suggestion):
        """An unknown QWEN3VL_ variable is a problem sourced at it, with a hint."""
        (problem,) = problems_of(env={name: "1"})

        assert name == problem.source
        assert name in problem.message
        assert f"did you mean {suggestion!r}?" in problem.message

    def test_unknown_variable_without_a_near_name(self):
        """A QWEN3VL_ variable like no known one is still an error."""
        (problem,) = problems_of(env={"QWEN3VL_ZZZ": "1"})

        assert "QWEN3VL_ZZZ" == problem.source

    def test_unknown_variables_all_reported(self):
        """Every unknown QWEN3VL_ variable is its own problem."""
        problems = problems_of(env={"QWEN3VL_A": "1", "QWEN3VL_B": "2"})

        assert {"QWEN3VL_A", "QWEN3VL_B"} == {p.source for p in problems}

    def test_other_variables_are_ignored(self):
        """Variables without the QWEN3VL_ prefix are not read."""
        config, origins = load_config_traced(
            env={
                "PATH": "/usr/bin",
                "NUM_HIDDEN_LAYERS": "48",
                "QWEN_NUM_HIDDEN_LAYERS": "48",
                "MY_QWEN3VL_NUM_HIDDEN_LAYERS": "48",
                "QWEN3VLNUM_HIDDEN_LAYERS": "48",
            }
        )

        assert DEFAULT == config
        assert {"default"} == set(origins.values())

    def test_env_name_form(self):
        """Names are the prefix, then the upper-case path with __ for dots."""
        assert "QWEN3VL_NUM_HIDDEN_LAYERS" == env_name("num_hidden_layers")
        assert "QWEN3VL_POWER_MANAGEMENT_CONFIG__POWER_CONSTRAINT" == env_name(
            "power_management_config.power_constraint"
        )

    def test_env_names_are_unique(self):
        """No two leaves share a variable name."""
        names = [env_name(path) for path in LEAVES]

        assert len(LEAVES) == len(set(names))
        assert "QWEN3VL_CONFIG" not in names

    @pytest.mark.parametrize("path", LEAVES)
    def test_every_leaf_has_a_working_variable(self, path):
        """Each leaf's variable, holding the default as text, sets that leaf."""
        name = env_name(path)

        config, origins = load_config_traced(
            env={name: as_text(path, value_at(DEFAULT, path))}
        )

        # The default level names a preset equal to the defaults; the default
        # target's preset turns off what its GPU cannot run.
        expected = (
            load_config(hardware_target=DEFAULT.hardware_target, env=False)
            if path == TARGET
            else DEFAULT
        )
        assert expected == config
        assert f"env:{name}" == origins[path]
        if path not in (LEVEL, TARGET):
            assert {path: f"env:{name}"} == {
                p: o for p, o in origins.items() if o != "default"
            }

    @SLOW_EXAMPLES
    @given(config=CONFIGS)
    def test_every_config_round_trips_through_the_environment(self, config):
        """A config written leaf by leaf as variables loads back equal."""
        # Its level and target pick presets underneath, so they must be real.
        config = apply_updates(config, {TARGET: H100})
        env = {env_name(p): as_text(p, value_at(config, p)) for p in LEAVES}

        assert config == load_config(env=env)

    def test_env_none_reads_os_environ(self, tmp_path, monkeypatch):
        """With env=None the process environment is read, QWEN3VL_CONFIG too."""
        for name in list(os.environ):
            if name.startswith("QWEN3VL_"):
                monkeypatch.delenv(name)
        path = write_config(
            tmp_path, "site.toml", "[cpu_config]\nnum_workers = 3\n"
        )
        monkeypatch.setenv("QWEN3VL_CPU_CONFIG__NUM_THREADS", "11")
        monkeypatch.setenv("QWEN3VL_CONFIG", path)

        config, origins = load_config_traced()

        assert 11 == config.cpu_config.num_threads
        assert "env:QWEN3VL_CPU_CONFIG__NUM_THREADS" == origins[THREADS]
        assert 3 == config.cpu_config.num_workers
        assert f"file:{path}" == origins["cpu_config.num_workers"]

    def test_env_false_ignores_os_environ(self, tmp_path, monkeypatch):
        """With env=False neither the variables nor QWEN3VL_CONFIG count."""
        path = write_config(
            tmp_path, "site.toml", "[cpu_config]\nnum_workers = 3\n"
        )
        monkeypatch.setenv("QWEN3VL_CPU_CONFIG__NUM_THREADS", "11")
        monkeypatch.setenv("QWEN3VL_CONFIG", path)
        monkeypatch.setenv("QWEN3VL_NO_SUCH_SETTING", "1")

        config, origins = load_config_traced(env=False)

        assert DEFAULT == config
        assert {"default"} == set(origins.values())

    def test_env_mapping_replaces_os_environ(self, monkeypatch):
        """A mapping is the whole environment: os.environ is not read."""
        monkeypatch.setenv("QWEN3VL_CPU_CONFIG__NUM_THREADS", "11")

        config = load_config(env={"QWEN3VL_CPU_CONFIG__NUM_WORKERS": "2"})

        assert CPUConfig(num_workers=2) == config.cpu_config


# -- overrides ------------------------------------------------------------


class TestOverrides:
    """Overrides: a patch mapping or a list of dotted.path=value strings."""

    def test_mapping_nested_and_dotted(self):
        """Nested sections and dotted keys both work, with file-style values."""
        config, origins = load_config_traced(
            env={},
            overrides={
                "cpu_config": {"num_threads": 9},
                "optimization_config.sparsity_ratio": 0.25,
                "memory_config.gpu_memory_size": "8GiB",
                "gpu_config": {"gpu_compute_capability": [8, 6]},
            },
        )

        assert 9 == config.cpu_config.num_threads
        assert 0.25 == config.optimization_config.sparsity_ratio
        assert 8 * GiB == config.memory_config.gpu_memory_size
        assert (8, 6) == config.gpu_config.gpu_compute_capability
        assert {
            THREADS,
            SPARSITY,
            "memory_config.gpu_memory_size",
            "gpu_config.gpu_compute_capability",
        } == {p for p, o in origins.items() if o == "override"}

    def test_mapping_is_not_mutated(self):
        """The overrides mapping is left as it was."""
        overrides = {"cpu_config": {"num_threads": 9}, "vocab_size": None}

        load_config(env={}, overrides=overrides)

        assert {"cpu_config": {"num_threads": 9}, "vocab_size": None} == (
            overrides
        )

    @pytest.mark.parametrize(
        "overrides",
        [
            {"cpu_config.num_threads": None},
            {"cpu_config": {"num_threads": None}},
            ["cpu_config.num_threads=null"],
            ["cpu_config.num_threads=6", "cpu_config.num_threads=null"],
        ],
    )
    def test_none_resets_what_a_file_set(self, tmp_path, overrides):
        """None resets a leaf a file set to its default; the origin is default."""
        path = write_config(
            tmp_path,
            "a.toml",
            "[cpu_config]\nnum_threads = 12\nnum_workers = 2\n",
        )

        config, origins = load_config_traced(
            path,
            env={"QWEN3VL_CPU_CONFIG__NUM_THREADS": "11"},
            overrides=overrides,
        )

        assert 4 == config.cpu_config.num_threads
        assert "default" == origins[THREADS]
        assert 2 == config.cpu_config.num_workers
        assert f"file:{path}" == origins["cpu_config.num_workers"]

    def test_a_later_item_of_a_list_wins(self):
        """In a list, a later item for a path, or a section above it, wins."""
        config = load_config(
            env={},
            overrides=[
                "cpu_config.num_threads=6",
                "cpu_config=null",
                "cpu_config.num_workers=3",
            ],
        )

        assert 4 == config.cpu_config.num_threads
        assert 3 == config.cpu_config.num_workers

    def test_none_resets_what_a_preset_set(self):
        """None resets a leaf a preset set, back to the class default."""
        config, origins = load_config_traced(
            preset="aggressive", env={}, overrides={SPARSITY: None}
        )

        assert 0.5 == config.optimization_config.sparsity_ratio
        assert "default" == origins[SPARSITY]
        assert "preset:aggressive" == origins["optimization_config.use_moe"]

    def test_none_resets_a_whole_section(self, tmp_path):
        """None for a section resets every leaf of it, whoever set them."""
        path = write_config(
            tmp_path, "a.toml", "[cpu_config]\nnum_workers = 2\n"
        )

        config, origins = load_config_traced(
            path,
            hardware_target=AMD,
            env={"QWEN3VL_CPU_CONFIG__NUM_THREADS": "11"},
            overrides={"cpu_config": None},
        )

        assert CPUConfig() == config.cpu_config
        assert all(
            "default" == o for p, o in origins.items() if p.startswith("cpu_")
        )
        assert 24 * GiB == config.memory_config.gpu_memory_size

    def test_list_beats_env_and_files(self, tmp_path):
        """A list of path=value strings is the top layer too."""
        path = write_config(
            tmp_path, "a.toml", "[cpu_config]\nnum_threads = 12\n"
        )

        config, origins = load_config_traced(
            path,
            env={"QWEN3VL_CPU_CONFIG__NUM_THREADS": "11"},
            overrides=[
                "cpu_config.num_threads=9",
                "memory_config.gpu_memory_size=8GiB",
                "gpu_config.gpu_compute_capability=8.6",
                "optimization_config.use_moe=FALSE",
            ],
        )

        assert 9 == config.cpu_config.num_threads
        assert 8 * GiB == config.memory_config.gpu_memory_size
        assert (8, 6) == config.gpu_config.gpu_compute_capability
        assert not config.optimization_config.use_moe
        assert "override" == origins[THREADS]
        assert "override" == origins["optimization_config.use_moe"]

    def test_list_later_item_wins(self):
        """Of two items for one path, the later wins."""
        config = load_config(
            env={},
            overrides=[
                "cpu_config.num_threads=9",
                "cpu_config.num_threads=10",
            ],
        )

        assert 10 == config.cpu_config.num_threads

    def test_list_value_may_hold_an_equals_sign(self):
        """Only the first '=' splits path from value."""
        (problem,) = problems_of(
            env={}, overrides=["gpu_config.attention_implementation=sdpa=1"]
        )

        assert ("gpu_config.attention_implementation", "override") == (
            problem.path,
            problem.source,
        )
        assert "'sdpa=1'" in problem.message

    @pytest.mark.parametrize(
        "item", ["x", "=1", " =1", "", 1, None, ("a", "1"), b"a=1"]
    )
    def test_malformed_item(self, item):
        """An item that is not a 'dotted.path=value' string is a problem."""
        (problem,) = problems_of(env={}, overrides=[item])

        assert ("", "override") == (problem.path, problem.source)

    def test_every_malformed_item_reported(self):
        """Each bad item is its own problem, with the good ones checked too."""
        problems = problems_of(
            env={},
            overrides=["x", "cpu_config.num_threads=abc", "=2"],
        )

        assert [("", "override"), ("", "override"), (THREADS, "override")] == [
            (p.path, p.source) for p in problems
        ]

    @pytest.mark.parametrize(
        ("overrides", "path", "hint"),
        [
            (
                ["optimization_config.sparsity_rati=0.3"],
                "optimization_config.sparsity_rati",
                "did you mean 'sparsity_ratio'?",
            ),
            (
                {"optimization_config.sparsity_rati": 0.3},
                "optimization_config.sparsity_rati",
                "did you mean 'sparsity_ratio'?",
            ),
            (
                {"gpu_config": {"use_tensor_core": True}},
                "gpu_config.use_tensor_core",
                "did you mean 'use_tensor_cores'?",
            ),
            (["num_threads=3"], "num_threads", "cpu_config"),
        ],
    )
    def test_unknown_path(self, overrides, path, hint):
        """An unknown path is a problem sourced at override, with a hint."""
        (problem,) = problems_of(env={}, overrides=overrides)

        assert (path, "override") == (problem.path, problem.source)
        assert hint in problem.message

    @pytest.mark.parametrize(
        "overrides", ["cpu_config.num_threads=9", b"x=1", 5, {"x=1"}]
    )
    def test_not_a_mapping_or_a_list(self, overrides):
        """A bare string or another non-list is refused, not split into items."""
        with pytest.raises(ConfigError) as info:
            load_config(env={}, overrides=overrides)

        assert {"override"} == {p.source for p in info.value.problems}

    def test_list_values_use_the_env_grammar_not_the_file_one(self):
        """A list item's value is text: '6GiB' works and digits are bytes."""
        config = load_config(
            env={},
            overrides=[
                "memory_config.cpu_memory_size=6442450944",
                "memory_config.ssd_memory_size=100GiB",
            ],
        )

        assert 6 * GiB == config.memory_config.cpu_memory_size
        assert 100 * GiB == config.memory_config.ssd_memory_size


# -- arguments of the wrong kind ------------------------------------------


class _NoPath:
    """A path-like object whose path is not text."""

    def __fspath__(self) -> Any:
        return 3


class TestArgumentsOfTheWrongKind:
    """Each argument of load_config refuses what it cannot hold (issue 13)."""

    @pytest.mark.parametrize("value", [40, None, b"40", 4.0, ["40"]])
    def test_a_variable_that_is_not_text(self, value):
        """A value that is not a string was an AttributeError; now it names the variable."""
        for load in (load_config, load_config_traced):
            with pytest.raises(ConfigError) as info:
                load(env={"QWEN3VL_NUM_HIDDEN_LAYERS": value})

            [problem] = info.value.problems
            assert ("num_hidden_layers", "QWEN3VL_NUM_HIDDEN_LAYERS") == (
                problem.path,
                problem.source,
            )
            assert problem.message.startswith("expected text")

    @pytest.mark.parametrize("name", [3, None, b"QWEN3VL_VOCAB_SIZE", ("a",)])
    def test_a_variable_name_that_is_not_text(self, name):
        """A key that is not a string is refused, and the others still read."""
        env = {name: "1", "QWEN3VL_VOCAB_SIZE": "x", "HOME": "/root"}

        problems = problems_of(env=env)

        assert ["", "vocab_size"] == [p.path for p in problems]
        assert problems[0].message.startswith("variable names must be strings")
        assert "QWEN3VL_VOCAB_SIZE" == problems[1].source

    @pytest.mark.parametrize("value", [3, None, b"a.json"])
    def test_a_config_variable_that_is_not_text(self, value):
        """QWEN3VL_CONFIG must hold paths as text."""
        [problem] = problems_of(env={"QWEN3VL_CONFIG": value})

        assert ("", "QWEN3VL_CONFIG") == (problem.path, problem.source)
        assert "expected file paths" in problem.message

    @pytest.mark.parametrize("env", [3, 0, 1, "QWEN3VL_X=1", [("a", "b")]])
    def test_an_environment_that_is_not_a_mapping(self, env):
        """env is a mapping, None or a boolean."""
        [problem] = problems_of(env=env)

        assert "env must be a mapping" in problem.message

    @pytest.mark.parametrize(
        "path", [3, None, b"a.json", ["a.json"], _NoPath()]
    )
    def test_a_file_that_is_not_a_path(self, path):
        """A path is a str or an os.PathLike of str."""
        [problem] = problems_of(path, env={})

        assert "expected a file path" in problem.message

    @pytest.mark.parametrize(
        ("keyword", "path"),
        [("preset", "optimization_level"), ("hardware_target", TARGET)],
    )
    @pytest.mark.parametrize("value", [3, b"minimal", ["minimal"], {"a": 1}])
    def test_a_preset_name_that_is_not_text(self, keyword, path, value):
        """A name that is not a string was silently ignored; now it is refused."""
        [problem] = problems_of(env={}, **{keyword: value})

        assert path == problem.path
        assert "as a string" in problem.message

    @pytest.mark.parametrize("item", [3, None, b"vocab_size=1", ("a", 1)])
    def test_an_override_that_is_not_text(self, item):
        """A list item that is not a 'path=value' string is refused."""
        [problem] = problems_of(env={}, overrides=[item])

        assert ("", "override") == (problem.path, problem.source)
        assert "expected 'dotted.path=value'" in problem.message
