"""Tests for the shipped presets: names, validity, golden results, packaging."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile

import pytest

from qwen3vl import (
    ConfigError,
    GiB,
    KiB,
    MiB,
    PresetNames,
    Qwen3VLConfig,
    apply_updates,
    diff,
    list_presets,
    load_config,
    load_config_traced,
)
from qwen3vl._formats import read_document
from qwen3vl._presets import preset_folder, read_preset, target_machine

from helpers import AMD, CPU_ONLY, H100, LEVEL, ROOT, TARGET


GOLDEN = ROOT / "tests" / "golden"
PRESETS = list_presets()
LEVELS = PRESETS.levels
TARGETS = PRESETS.hardware_targets
SPEC_TARGET = "intel_i5_10210u_nvidia_sm61_nvme"

# Every combination, and each preset on its own (None: not applied).
COMBINATIONS = [
    (level, target)
    for level in (None, *LEVELS)
    for target in (None, *TARGETS)
    if (level, target) != (None, None)
]
# Every level, with each target and with none.
WITH_A_LEVEL = [(lv, t) for lv in LEVELS for t in (None, *TARGETS)]


def _build(level: str | None, target: str | None) -> Qwen3VLConfig:
    return load_config(preset=level, hardware_target=target, env=False)


def _golden_name(level: str | None, target: str | None) -> str:
    return f"{level or 'no-level'}__{target or 'no-target'}.json"


def _golden_text(config: Qwen3VLConfig) -> str:
    """What a preset changes from the defaults, one dotted path a line."""
    changes = {path: new for path, _, new in diff(Qwen3VLConfig(), config)}
    return json.dumps(changes, indent=2, sort_keys=True) + "\n"


class TestCatalogue:
    def test_names(self):
        """The three levels and the six hardware targets are shipped."""
        assert (
            PresetNames(
                levels=("aggressive", "balanced", "minimal"),
                hardware_targets=(
                    "amd_ryzen9_5950x_nvidia_rtx3090_nvme",
                    "cpu_only",
                    "intel_i5_10210u_nvidia_sm61_nvme",
                    "intel_xeon_8480_nvidia_h100_sxm_nvme",
                    "intel_xeon_8480_nvidia_h100_sxm_x8_nvme",
                    "intel_xeon_8480_nvidia_h100_sxm_x8_nvme_x2_nodes",
                ),
            )
            == PRESETS
        )

    @pytest.mark.parametrize(
        ("kind", "name"),
        [("levels", n) for n in LEVELS] + [("hardware", n) for n in TARGETS],
    )
    def test_each_preset_is_a_valid_partial_file(self, kind, name):
        """Each preset's settings load alone as a valid, partial configuration."""
        path = preset_folder() / kind / f"{name}.toml"
        data, _, _ = read_document(path)
        settings, _ = read_preset(kind, name, "hardware_target")

        config = Qwen3VLConfig.from_dict(settings)

        assert len(settings) < 10  # partial: a few keys and sections
        # A hardware preset may describe its machine's shape beside them.
        assert set(data) - set(settings) <= {"machine"}
        field = "optimization_level" if kind == "levels" else "hardware_target"
        assert name == getattr(config, field)

    def test_the_multi_gpu_targets_describe_their_shape(self):
        """[machine] gives the GPUs of a node and the nodes; no table is one and one."""
        shapes = {name: target_machine(name) for name in TARGETS}

        assert (8, 1) == shapes["intel_xeon_8480_nvidia_h100_sxm_x8_nvme"]
        assert (8, 2) == shapes[
            "intel_xeon_8480_nvidia_h100_sxm_x8_nvme_x2_nodes"
        ]
        assert {(1, 1)} == {
            shape for name, shape in shapes.items() if "_x8_" not in name
        }


class TestFromPreset:
    """from_preset is load_config with the same presets and nothing else."""

    @pytest.mark.parametrize(("level", "target"), WITH_A_LEVEL)
    def test_every_combination_is_valid(self, level, target):
        """Every level with every target (or none) gives a valid config."""
        config = Qwen3VLConfig.from_preset(level, target)

        assert level == config.optimization_level
        assert (target or SPEC_TARGET) == config.hardware_target

    def test_balanced_on_the_reference_machine_is_the_default_made_to_run(
        self,
    ):
        """Qwen3VLConfig() is the balanced level on its machine, less what that machine cannot run."""
        preset = Qwen3VLConfig.from_preset("balanced", SPEC_TARGET)

        assert {
            "gpu_config.attention_implementation": "sdpa",
            "gpu_config.use_mixed_precision": False,
            "gpu_config.use_tensor_cores": False,
            "optimization_config.use_flash_attention_2": False,
            "serving_config.max_context_tokens": 4096,
        } == {path: new for path, _, new in diff(Qwen3VLConfig(), preset)}

    def test_minimal_turns_every_switch_off(self):
        """The minimal level is the reference behaviour: all switches off."""
        switches = Qwen3VLConfig.from_preset("minimal").optimization_config

        on = [
            name
            for name, value in switches.to_dict().items()
            if name.startswith("use_") and value
        ]
        assert [] == on

    def test_aggressive_pushes_sparsity(self):
        """The aggressive level uses the specification's 0.6 sparsity."""
        config = Qwen3VLConfig.from_preset("aggressive")

        assert 0.6 == config.optimization_config.sparsity_ratio
        assert config.optimization_config.use_moe

    def test_hardware_beats_level(self):
        """The hardware layer lies above the level: cpu_only turns off FA2."""
        config = Qwen3VLConfig.from_preset("aggressive", "cpu_only")

        assert not config.optimization_config.use_flash_attention_2
        assert 0 == config.memory_config.gpu_memory_size
        assert "sdpa" == config.gpu_config.attention_implementation

    def test_reference_machine_has_its_true_cpu_figures(self):
        """The i5-10210U preset has 4 cores' threads, its caches and AVX2."""
        cpu = Qwen3VLConfig.from_preset("balanced", SPEC_TARGET).cpu_config

        assert (4, 32 * KiB, 256 * KiB, 6 * MiB, "avx2") == (
            cpu.num_threads,
            cpu.l1_cache_size,
            cpu.l2_cache_size,
            cpu.l3_cache_size,
            cpu.simd_instruction_set,
        )

    @pytest.mark.parametrize(
        ("target", "capability", "memory", "bandwidth", "simd"),
        [
            (
                "amd_ryzen9_5950x_nvidia_rtx3090_nvme",
                (8, 6),
                24,
                936.2,
                "avx2",
            ),
            (
                "intel_xeon_8480_nvidia_h100_sxm_nvme",
                (9, 0),
                80,
                3352.0,
                "avx512",
            ),
        ],
    )
    def test_current_gpu_machines(
        self, target, capability, memory, bandwidth, simd
    ):
        """The Ampere and Hopper machines carry their real figures."""
        config = Qwen3VLConfig.from_preset("balanced", target)

        assert capability == config.gpu_config.gpu_compute_capability
        assert memory * GiB == config.memory_config.gpu_memory_size
        assert bandwidth == config.gpu_config.memory_bandwidth_gbps
        assert simd == config.cpu_config.simd_instruction_set

    @pytest.mark.parametrize(
        ("level", "target", "path"),
        [
            ("fast", None, "optimization_level"),
            ("balanced", "laptop", "hardware_target"),
        ],
    )
    def test_unknown_preset_names_what_exists(self, level, target, path):
        """An unknown preset name is a ConfigError listing the known ones."""
        with pytest.raises(ConfigError) as info:
            Qwen3VLConfig.from_preset(level, target)

        assert [path] == info.value.paths
        assert "known:" in info.value.problems[0].message

    def test_a_megabyte_name_gives_a_short_message(self):
        """A junk preset name is shown shortened, with no suggestion sought."""
        with pytest.raises(ConfigError) as info:
            load_config(preset="x" * 10**6, env=False)

        assert len(str(info.value)) < 300
        assert "did you mean" not in str(info.value)

    def test_typo_in_preset_name_gets_a_suggestion(self):
        """A near-miss preset name gets "did you mean"."""
        with pytest.raises(ConfigError, match="did you mean 'cpu_only'"):
            Qwen3VLConfig.from_preset("minimal", "cpu-only")

    def test_shipped_names(self):
        """The documented levels and targets are among the shipped presets."""
        assert {"minimal", "balanced", "aggressive"} <= set(PRESETS.levels)
        assert {CPU_ONLY, AMD, H100, "intel_i5_10210u_nvidia_sm61_nvme"} <= (
            set(PRESETS.hardware_targets)
        )

    @pytest.mark.parametrize(("level", "target"), WITH_A_LEVEL)
    def test_equals_load_config(self, level, target):
        """Qwen3VLConfig.from_preset equals load_config with the same names."""
        loaded, origins = load_config_traced(
            preset=level, hardware_target=target, env=False
        )

        assert loaded == Qwen3VLConfig.from_preset(level, target)
        assert loaded.fingerprint() == (
            Qwen3VLConfig.from_preset(level, target).fingerprint()
        )
        assert level == loaded.optimization_level
        assert f"preset:{level}" == origins[LEVEL]
        if target is not None:
            assert target == loaded.hardware_target
            assert f"hardware:{target}" == origins[TARGET]


class TestGolden:
    @pytest.mark.parametrize(
        ("level", "target"),
        COMBINATIONS,
        ids=[_golden_name(lv, t) for lv, t in COMBINATIONS],
    )
    def test_preset_yields_its_golden_config(self, level, target):
        """Each preset and combination changes exactly what its golden file says."""
        path = GOLDEN / _golden_name(level, target)
        config = _build(level, target)
        actual = _golden_text(config)
        if os.environ.get("REGENERATE_GOLDEN"):
            path.write_text(actual, encoding="utf-8")
        golden = path.read_text(encoding="utf-8")

        assert golden == actual
        # Only the changes are kept, so that a new setting with a default
        # touches no golden file; applied to the defaults, they are the
        # preset's whole config.
        assert config == apply_updates(Qwen3VLConfig(), json.loads(golden))

    def test_no_stale_golden_files(self):
        """Every golden file belongs to a preset combination that exists."""
        expected = {_golden_name(lv, t) for lv, t in COMBINATIONS}

        assert expected == {p.name for p in GOLDEN.glob("*.json")}


class TestPackaging:
    def test_presets_folder_found_from_the_checkout(self):
        """The checkout's presets/ holds what the loader lists."""
        names = sorted(
            p.stem for p in (ROOT / "presets" / "levels").glob("*.toml")
        )

        assert list(LEVELS) == names

    def test_wheel_carries_the_presets(self, tmp_path):
        """A wheel built from the checkout has every preset in qwen3vl/presets."""
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "wheel",
                "--no-deps",
                "--no-build-isolation",
                "--quiet",
                "--wheel-dir",
                str(tmp_path),
                str(ROOT),
            ],
            check=True,
            capture_output=True,
        )
        (wheel,) = tmp_path.glob("qwen3vl-*.whl")
        names = set(zipfile.ZipFile(wheel).namelist())

        expected = {
            f"qwen3vl/presets/{p.relative_to(ROOT / 'presets')}"
            for p in (ROOT / "presets").rglob("*.toml")
        }
        assert expected <= names
        assert "qwen3vl/py.typed" in names
