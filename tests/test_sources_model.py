"""
Tests for load_config's model argument, files saved with a base, the
hardware mismatch warning and the rounded sizes of hardware_target "auto".
"""

from __future__ import annotations

import json
import os
import pathlib
import warnings

from typing import Any

import pytest

from qwen3vl import (
    GiB,
    MiB,
    Qwen3VLConfig,
    UnmappedKeyWarning,
    apply_updates,
    import_hf_config,
    load_config,
    load_config_traced,
)
from qwen3vl._fields import leaf_paths
from qwen3vl._sources import HardwareMismatchWarning
from qwen3vl._units import KiB
from qwen3vl.hardware._profile import readable_size

from helpers import (
    AMD,
    CPU_ONLY,
    DEFAULT,
    DENSE,
    HF_FILES,
    LEVEL,
    MOE,
    REFUSED,
    TARGET,
    gpu,
    machine,
    real,
    refusal,
)


#: Qwen3-VL-2B: 28 layers and 16 heads, below the full-capacity 32 and 32.
SMALL = "Qwen3-VL-2B-Instruct.config.json"
MODEL_ID = "Qwen/Qwen3-VL-4B-Instruct"
COMMIT = "a" * 40
#: The sections that only a deployment decides.
DEPLOYMENT = (
    "memory_config",
    "cpu_config",
    "gpu_config",
    "power_management_config",
    "serving_config",
    "parallel_config",
)


def model_folder(root: pathlib.Path, name: str = DENSE, **extra: Any) -> str:
    """Write a real config.json (with `extra` keys) to a folder; return it."""
    folder = root / name.removesuffix(".config.json")
    folder.mkdir()
    (folder / "config.json").write_text(
        json.dumps({**real(name), **extra}), encoding="utf-8"
    )
    return str(folder)


def quietly_imported(name: str) -> Qwen3VLConfig:
    """Return a real file as import_hf_config imports it, without warnings."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnmappedKeyWarning)
        return import_hf_config(real(name)).config


class TestModelLayer:
    def test_folder_gives_the_checkpoints_architecture(self, tmp_path):
        """A model folder's config.json is the layer over the defaults."""
        folder = model_folder(tmp_path)

        config, origins = load_config_traced(model=folder, env=False)

        assert quietly_imported(DENSE) == config
        assert f"model:{folder}" == origins["num_hidden_layers"]
        assert f"model:{folder}" == origins["vision_deepstack_visual_indexes"]
        assert f"model:{folder}" == origins["model_family"]

    def test_a_path_object_reads_as_given(self, tmp_path):
        """The origin names the argument as given, a Path as its text."""
        folder = pathlib.Path(model_folder(tmp_path))

        _, origins = load_config_traced(model=folder, env=False)

        assert f"model:{folder}" == origins["hidden_size"]

    def test_a_config_json_path(self, tmp_path):
        """model= takes the config.json file itself too."""
        path = pathlib.Path(model_folder(tmp_path)) / "config.json"

        config, origins = load_config_traced(model=str(path), env=False)

        assert 36 == config.num_hidden_layers
        assert f"model:{path}" == origins["num_hidden_layers"]

    def test_a_model_id_in_the_cache(self, tmp_path, monkeypatch):
        """A model id is found in the local Hugging Face cache."""
        repo = tmp_path / ("models--" + MODEL_ID.replace("/", "--"))
        blob = repo / "blobs" / "blob"
        blob.parent.mkdir(parents=True)
        blob.write_text(json.dumps(real(DENSE)), encoding="utf-8")
        snapshot = repo / "snapshots" / COMMIT
        snapshot.mkdir(parents=True)
        (snapshot / "config.json").symlink_to(os.path.relpath(blob, snapshot))
        (repo / "refs").mkdir()
        (repo / "refs" / "main").write_text(COMMIT, encoding="ascii")
        monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path))
        monkeypatch.chdir(tmp_path / "models--Qwen--Qwen3-VL-4B-Instruct")

        config, origins = load_config_traced(model=MODEL_ID, env=False)

        assert 2560 == config.hidden_size
        assert f"model:{MODEL_ID}" == origins["hidden_size"]

    def test_the_model_owns_its_architecture_and_no_deployment(self, tmp_path):
        """Every architecture leaf, rope and quantization are the model's."""
        folder = model_folder(tmp_path)

        _, origins = load_config_traced(model=folder, env=False)

        for path in leaf_paths(Qwen3VLConfig):
            section = path.partition(".")[0]
            if section in DEPLOYMENT or section == "optimization_config":
                if path != "optimization_config.use_moe":
                    assert "default" == origins[path], path
            elif path in ("config_version", LEVEL, TARGET):
                assert "default" == origins[path], path
            elif path != "preserve_full_capacity":
                assert f"model:{folder}" == origins[path], path
        assert f"model:{folder}" == origins["quantization_config.method"]
        assert f"model:{folder}" == origins["rope_scaling_config.factor"]

    def test_a_small_checkpoint_lowers_the_capacity_guard(self, tmp_path):
        """The import's preserve_full_capacity false comes with the model."""
        folder = model_folder(tmp_path, SMALL)

        config, origins = load_config_traced(model=folder, env=False)

        assert not config.preserve_full_capacity
        assert 28 == config.num_hidden_layers
        assert f"model:{folder}" == origins["preserve_full_capacity"]

    def test_every_layer_above_beats_the_model(self, tmp_path):
        """Presets, files, environment and overrides rank over the model."""
        folder = model_folder(tmp_path, SMALL)
        site = tmp_path / "site.toml"
        site.write_text(
            "config_version = 1\nvision_image_size = 448\n", encoding="utf-8"
        )

        config, origins = load_config_traced(
            str(site),
            model=folder,
            preset="aggressive",
            hardware_target=AMD,
            env={"QWEN3VL_RMS_NORM_EPS": "1e-5"},
            overrides={"dtype": "float16"},
        )

        assert 448 == config.vision_image_size
        assert f"file:{site}" == origins["vision_image_size"]
        assert 1e-5 == config.rms_norm_eps
        assert "env:QWEN3VL_RMS_NORM_EPS" == origins["rms_norm_eps"]
        assert "float16" == config.dtype
        assert "override" == origins["dtype"]
        assert (
            "preset:aggressive" == origins["optimization_config.use_sparsity"]
        )
        assert (
            f"hardware:{AMD}" == origins["gpu_config.gpu_compute_capability"]
        )
        assert f"model:{folder}" == origins["num_hidden_layers"]

    def test_a_mixture_of_experts_routes_as_its_weights_with_any_level(
        self, tmp_path
    ):
        """The aggressive level's 4 experts do not overrule a checkpoint's 128."""
        folder = model_folder(tmp_path, MOE)

        config, origins = load_config_traced(
            model=folder, preset="aggressive", env=False
        )

        switches = config.optimization_config
        assert (True, 128, 8) == (
            switches.use_moe,
            switches.moe_num_experts,
            switches.moe_top_k,
        )
        assert f"model:{folder}" == origins["optimization_config.moe_top_k"]
        assert (
            "preset:aggressive" == origins["optimization_config.use_sparsity"]
        )

    def test_a_dense_checkpoint_keeps_moe_off_with_any_level(self, tmp_path):
        """A level that turns MoE routing on does not for a dense model."""
        folder = model_folder(tmp_path)

        config, origins = load_config_traced(
            model=folder, preset="aggressive", env=False
        )

        assert not config.optimization_config.use_moe
        assert f"model:{folder}" == origins["optimization_config.use_moe"]

    def test_a_file_still_sets_the_switches(self, tmp_path):
        """Files rank above the model's routing, as above every preset."""
        folder = model_folder(tmp_path)
        site = tmp_path / "site.toml"
        site.write_text(
            "config_version = 1\n[optimization_config]\nuse_moe = true\n",
            encoding="utf-8",
        )

        config = load_config(str(site), model=folder, env=False)

        assert config.optimization_config.use_moe

    def test_no_model_changes_nothing(self):
        """model=None is the load without a model."""
        assert load_config_traced(env=False) == load_config_traced(
            model=None, env=False
        )


@pytest.mark.parametrize("level", ["minimal", "balanced", "aggressive"])
@pytest.mark.parametrize(
    "name", [name for name in HF_FILES if name not in REFUSED]
)
def test_every_real_checkpoint_loads_at_every_level(tmp_path, name, level):
    """Each real config.json keeps its architecture under any level preset."""
    folder = model_folder(tmp_path, name)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnmappedKeyWarning)
        config = load_config(
            model=folder, preset=level, hardware_target=AMD, env=False
        )

    imported = quietly_imported(name)
    assert imported.to_hf_dict() == config.to_hf_dict()
    assert imported.optimization_config.use_moe == (
        config.optimization_config.use_moe
    )
    assert level == config.optimization_level


class TestModelFolderFiles:
    def test_our_own_file_beside_config_json_is_the_lowest_file(
        self, tmp_path
    ):
        """qwen3vl.toml in the folder is a file layer, under the paths given."""
        folder = pathlib.Path(model_folder(tmp_path))
        own = folder / "qwen3vl.toml"
        own.write_text(
            "config_version = 1\n[cpu_config]\nnum_workers = 3\n"
            "num_threads = 6\n",
            encoding="utf-8",
        )
        site = tmp_path / "site.toml"
        site.write_text(
            "config_version = 1\n[cpu_config]\nnum_workers = 5\n",
            encoding="utf-8",
        )

        config, origins = load_config_traced(
            str(site), model=folder, env=False
        )

        assert 6 == config.cpu_config.num_threads
        assert f"file:{own}" == origins["cpu_config.num_threads"]
        assert 5 == config.cpu_config.num_workers
        assert f"file:{site}" == origins["cpu_config.num_workers"]
        assert f"model:{folder}" == origins["hidden_size"]

    def test_a_folder_of_our_own_file_alone(self, tmp_path):
        """A folder holding only our file adds it as a file, and no model."""
        saved = apply_updates(DEFAULT, {"cpu_config.num_workers": 3})
        saved.save_to_file(tmp_path / "qwen3vl.yaml")

        config, origins = load_config_traced(model=tmp_path, env=False)

        assert saved == config
        assert f"file:{tmp_path / 'qwen3vl.yaml'}" == origins["hidden_size"]

    def test_a_config_json_of_ours_is_read_as_ours(self, tmp_path):
        """Our format in config.json is a file of ours, not Hugging Face's."""
        saved = apply_updates(DEFAULT, {"gpu_config.use_tensor_cores": False})
        saved.save_to_file(tmp_path / "config.json")

        config, origins = load_config_traced(model=tmp_path, env=False)

        assert saved == config
        path = tmp_path / "config.json"
        assert f"file:{path}" == origins["gpu_config.use_tensor_cores"]

    def test_unmapped_keys_still_warn_at_the_caller(self, tmp_path):
        """The import's UnmappedKeyWarning names the config.json and caller."""
        folder = model_folder(tmp_path, new_flag=1)

        with pytest.warns(UnmappedKeyWarning, match="new_flag") as record:
            load_config(model=folder, env=False)

        assert __file__ == record[0].filename
        assert ("new_flag",) == record[0].message.keys

    def test_problems_of_the_model_come_with_every_other(self, tmp_path):
        """A bad value of the model is named by its key, with its file."""
        data = real(DENSE)
        data["text_config"]["num_key_value_heads"] = 7
        folder = tmp_path / "bad"
        folder.mkdir()
        (folder / "config.json").write_text(json.dumps(data), "utf-8")

        e = refusal(
            load_config,
            model=folder,
            env={"QWEN3VL_NUM_WORKERS": "2"},
        )

        config_json = str(folder / "config.json")
        by_source = {p.source: p for p in e.problems}
        assert {config_json, "QWEN3VL_NUM_WORKERS"} == set(by_source)
        problem = by_source[config_json]
        assert problem.path.startswith("text_config.")
        assert "(read into " in problem.message

    def test_a_file_that_fixes_the_models_value_is_not_a_problem(
        self, tmp_path
    ):
        """Only the merged result is checked: a layer above may correct it."""
        data = real(DENSE)
        data["text_config"]["num_key_value_heads"] = 7
        folder = tmp_path / "bad"
        folder.mkdir()
        (folder / "config.json").write_text(json.dumps(data), "utf-8")

        config = load_config(
            model=folder, overrides={"num_key_value_heads": 8}, env=False
        )

        assert 8 == config.num_key_value_heads

    def test_another_models_file_is_a_problem_of_its_file(self, tmp_path):
        """A config.json of another model type names its file."""
        (tmp_path / "config.json").write_text(
            json.dumps({"model_type": "llama", "hidden_size": 4096}), "utf-8"
        )

        (problem,) = refusal(load_config, model=tmp_path, env=False).problems

        assert "model_type" == problem.path
        assert str(tmp_path / "config.json") == problem.source

    def test_a_missing_model_is_one_of_all_problems(self, tmp_path):
        """No such model: a problem sourced to model=, with the others."""
        e = refusal(
            load_config,
            model=str(tmp_path / "nothing"),
            overrides={"num_hidden_layers": -1},
            env=False,
        )

        sources = [p.source for p in e.problems]
        assert f"model:{tmp_path / 'nothing'}" in sources
        assert "override" in sources

    def test_a_model_of_the_wrong_kind(self):
        """model=3 is a ConfigError, not a TypeError."""
        (problem,) = refusal(load_config, model=3, env=False).problems

        assert "expected a model folder" in problem.message
        assert "model:3" == problem.source


class TestJourney:
    """Issue 15: a real checkpoint, another machine and one's own tweaks."""

    def test_tweaks_saved_with_a_base_layer_over_another_machine(
        self, tmp_path
    ):
        """A tweak saved against the checkpoint reloads on an RTX 3090."""
        folder = model_folder(tmp_path)
        checkpoint = Qwen3VLConfig.from_pretrained(folder)
        tuned = apply_updates(
            checkpoint, {"optimization_config.sparsity_ratio": 0.45}
        )
        tuned.save_to_file(tmp_path / "4b.toml", base=checkpoint)

        with warnings.catch_warnings():
            warnings.simplefilter("error")  # and no mismatch to warn about
            config, origins = load_config_traced(
                tmp_path / "4b.toml",
                model=folder,
                preset="aggressive",
                hardware_target=AMD,
                env=False,
            )

        assert 24 * GiB == config.memory_config.gpu_memory_size
        assert (8, 6) == config.gpu_config.gpu_compute_capability
        assert f"hardware:{AMD}" == origins["memory_config.gpu_memory_size"]
        assert 0.45 == config.optimization_config.sparsity_ratio
        assert (
            f"file:{tmp_path / '4b.toml'}"
            == (origins["optimization_config.sparsity_ratio"])
        )
        assert "aggressive" == config.optimization_level
        assert config.optimization_config.use_sparsity
        assert checkpoint.num_hidden_layers == config.num_hidden_layers
        assert f"model:{folder}" == origins["num_hidden_layers"]

    def test_a_whole_save_overrules_the_machine_and_says_so(self, tmp_path):
        """The issue's trap: a full file names its own target; a warning."""
        folder = model_folder(tmp_path)
        checkpoint = Qwen3VLConfig.from_pretrained(folder)
        checkpoint.save_to_file(tmp_path / "4b.toml")

        with pytest.warns(HardwareMismatchWarning, match="base=") as record:
            config = load_config(
                tmp_path / "4b.toml",
                model=folder,
                preset="aggressive",
                hardware_target=AMD,
                env=False,
            )

        assert (6, 1) == config.gpu_config.gpu_compute_capability
        assert ("hardware_target",) == record[0].message.paths
        assert __file__ == record[0].filename


class TestHardwareMismatch:
    def write(self, folder: pathlib.Path, text: str) -> str:
        """Write a TOML file with a config_version; return its path."""
        path = folder / "site.toml"
        path.write_text("config_version = 1\n" + text, encoding="utf-8")
        return str(path)

    def test_a_machine_fact_of_another_machine_warns(self, tmp_path):
        """A file's compute capability and L3 that are not the target's."""
        site = self.write(
            tmp_path,
            "[gpu_config]\ngpu_compute_capability = [6, 1]\n"
            '[cpu_config]\nl3_cache_size = "6MiB"\n',
        )

        with pytest.warns(HardwareMismatchWarning) as record:
            config = load_config(site, hardware_target=AMD, env=False)

        warning = record[0].message
        assert (6, 1) == config.gpu_config.gpu_compute_capability
        assert (
            "cpu_config.l3_cache_size",
            "gpu_config.gpu_compute_capability",
        ) == warning.paths
        assert "[6, 1]" in str(warning)
        assert "'64MiB'" in str(warning)
        assert site in str(warning)
        assert AMD in str(warning)
        assert __file__ == record[0].filename

    def test_a_budget_above_the_machine_warns(self, tmp_path):
        """More GPU memory or threads than the target has is a mismatch."""
        site = self.write(
            tmp_path,
            '[memory_config]\ngpu_memory_size = "32GiB"\n'
            "[cpu_config]\nnum_threads = 64\n",
        )

        with pytest.warns(HardwareMismatchWarning, match="more than") as w:
            load_config(site, hardware_target=AMD, env=False)

        assert (
            "cpu_config.num_threads",
            "memory_config.gpu_memory_size",
        ) == w[0].message.paths

    def test_a_budget_within_the_machine_is_a_choice(self, tmp_path):
        """Less memory or fewer threads than the target has: no warning."""
        site = self.write(
            tmp_path,
            '[memory_config]\ngpu_memory_size = "20GiB"\n'
            "[cpu_config]\nnum_threads = 12\n",
        )

        with warnings.catch_warnings():
            warnings.simplefilter("error")
            config = load_config(site, hardware_target=AMD, env=False)

        assert 20 * GiB == config.memory_config.gpu_memory_size

    def test_the_same_figures_are_no_mismatch(self, tmp_path):
        """A file that restates the target's figures does not warn."""
        site = self.write(
            tmp_path,
            "[gpu_config]\ngpu_compute_capability = [8, 6]\n"
            '[cpu_config]\nl3_cache_size = "64MiB"\n'
            'simd_instruction_set = "avx2"\n',
        )

        with warnings.catch_warnings():
            warnings.simplefilter("error")
            load_config(site, hardware_target=AMD, env=False)

    def test_only_files_are_checked(self):
        """The environment and overrides are meant for this run: no warning."""
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            config = load_config(
                hardware_target=AMD,
                env={"QWEN3VL_GPU_CONFIG__GPU_COMPUTE_CAPABILITY": "7.5"},
                overrides={"cpu_config.l2_cache_size": "1MiB"},
            )

        assert (7, 5) == config.gpu_config.gpu_compute_capability

    def test_without_a_hardware_layer_nothing_is_compared(self, tmp_path):
        """No target asked for: a file describes the machine by itself."""
        site = self.write(
            tmp_path, "[gpu_config]\ngpu_compute_capability = [9, 0]\n"
        )

        with warnings.catch_warnings():
            warnings.simplefilter("error")
            load_config(site, env=False)

    def test_a_file_naming_the_same_target_is_no_mismatch(self, tmp_path):
        """A file whose hardware_target is the argument's does not warn."""
        site = self.write(tmp_path, f'hardware_target = "{CPU_ONLY}"\n')

        with warnings.catch_warnings():
            warnings.simplefilter("error")
            load_config(site, hardware_target=CPU_ONLY, env=False)

    def test_the_detected_machine_is_compared_too(self, tmp_path, monkeypatch):
        """With "auto", a file's SIMD set that the host lacks warns."""
        import qwen3vl.hardware

        monkeypatch.setattr(
            qwen3vl.hardware, "detect_hardware", lambda: machine(simd="avx2")
        )
        site = self.write(
            tmp_path, '[cpu_config]\nsimd_instruction_set = "avx512"\n'
        )

        with pytest.warns(HardwareMismatchWarning, match="detected") as w:
            load_config(site, hardware_target="auto", env=False)

        assert ("cpu_config.simd_instruction_set",) == w[0].message.paths

    def test_it_is_a_user_warning(self):
        """Filters for UserWarning see it too."""
        assert issubclass(HardwareMismatchWarning, UserWarning)


class TestDetectedSizes:
    """Issue 15: "auto" wrote cpu_memory_size = "24137976KiB"."""

    @pytest.mark.parametrize(
        ("size", "rounded"),
        [
            (24137976 * KiB, 23 * GiB),  # loses 0.1 %
            (81559 * MiB, 79 * GiB),  # an H100 80GB: loses 0.8 %
            (15 * GiB + 512 * MiB, 15872 * MiB),  # GiB would lose 3 %
            (3 * MiB + 5, 3 * MiB),
            (512 * KiB, 512 * KiB),  # under a MiB: as it is
            (2 * GiB, 2 * GiB),
        ],
    )
    def test_rounded_down_to_a_readable_unit(self, size, rounded):
        """Whole GiB where that loses under 1 %, else whole MiB."""
        assert rounded == readable_size(size)

    def test_auto_writes_readable_sizes(self, tmp_path, monkeypatch):
        """A config of the detected host saves its sizes with a unit."""
        import qwen3vl.hardware

        host = machine(
            memory_available_bytes=24137976 * KiB,
            gpus=(gpu(memory=81559 * MiB),),
            disk=None,
        )
        monkeypatch.setattr(qwen3vl.hardware, "detect_hardware", lambda: host)

        config = load_config(hardware_target="auto", env=False)
        config.save_to_file(tmp_path / "auto.toml")

        text = (tmp_path / "auto.toml").read_text("utf-8")
        assert 'cpu_memory_size = "23GiB"' in text
        assert 'gpu_memory_size = "79GiB"' in text
        assert 'memory_pool_size = "10112MiB"' in text
        assert (
            79 * GiB // 8 // MiB * MiB == config.memory_config.memory_pool_size
        )
