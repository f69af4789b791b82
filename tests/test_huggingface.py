"""Tests for Hugging Face configs: import, export and the local cache lookup."""

from __future__ import annotations

import copy
import json
import os
import pathlib
import socket
import warnings

from typing import Any

import pytest

from hypothesis import given
from hypothesis import strategies as st
from qwen3vl import (
    ConfigError,
    HFImport,
    OptimizationConfig,
    Qwen3VLConfig,
    UnmappedKeyWarning,
    import_hf_config,
)
from qwen3vl._formats import MAX_FILE_BYTES
from qwen3vl.huggingface._layouts import IGNORED_KEYS
from qwen3vl.huggingface._reader import translate

import strategies

from helpers import DENSE, MOE, QWEN2_5_VL, QWEN2_VL, SLOW_EXAMPLES, real


MODEL_ID = "Qwen/Qwen3-VL-4B-Instruct"
COMMIT = "0123456789abcdef0123456789abcdef01234567"
OTHER_COMMIT = "fedcba9876543210fedcba9876543210fedcba98"


def write_json(path: pathlib.Path, data: object) -> pathlib.Path:
    """Write `data` as JSON to `path`, making its folder; return the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def with_unmapped_key() -> dict[str, Any]:
    """A released file with one key that no field holds."""
    data = real(DENSE)
    data["vision_config"]["window_size"] = 112
    return data


def rope_parameters_form(data: dict[str, Any]) -> dict[str, Any]:
    """Rewrite a released file the way transformers 5 saves it."""
    data = copy.deepcopy(data)
    text = data["text_config"]
    text["rope_parameters"] = {
        **text.pop("rope_scaling"),
        "rope_theta": text.pop("rope_theta"),
    }
    text["pad_token_id"] = None
    data["vision_config"]["rope_parameters"] = {
        "rope_theta": 10000.0,
        "rope_type": "axial",
    }
    data["vision_config"]["model_type"] = data["model_type"] + "_vision"
    data["transformers_version"] = "5.24.0"
    return data


class TestRealFiles:
    def test_dense_checkpoint(self):
        """Qwen3-VL-4B imports with every architecture number of its file."""
        report = import_hf_config(real(DENSE))
        c = report.config

        assert "qwen3_vl" == report.layout
        assert (36, 32, 8, 128) == (
            c.num_hidden_layers,
            c.num_attention_heads,
            c.num_key_value_heads,
            c.head_dim,
        )
        assert (2560, 9728, 151936, 262144) == (
            c.hidden_size,
            c.intermediate_size,
            c.vocab_size,
            c.max_position_embeddings,
        )
        assert (5_000_000.0, (24, 20, 20), True) == (
            c.rope_theta,
            c.mrope_section,
            c.mrope_interleaved,
        )
        assert ("silu", 1e-6, False, True) == (
            c.hidden_act,
            c.rms_norm_eps,
            c.attention_bias,
            c.tie_word_embeddings,
        )
        assert (24, 16, 1024, 4096, 2560) == (
            c.vision_num_hidden_layers,
            c.vision_num_attention_heads,
            c.vision_hidden_size,
            c.vision_intermediate_size,
            c.vision_out_hidden_size,
        )
        assert (16, 2, 2, 3, 2304) == (
            c.vision_patch_size,
            c.vision_spatial_merge_size,
            c.vision_temporal_patch_size,
            c.vision_in_channels,
            c.vision_num_position_embeddings,
        )
        assert ("gelu_pytorch_tanh", (5, 11, 17)) == (
            c.vision_hidden_act,
            c.vision_deepstack_visual_indexes,
        )
        assert (151655, 151656, 151652, 151653) == (
            c.image_token_id,
            c.video_token_id,
            c.vision_start_token_id,
            c.vision_end_token_id,
        )
        assert 0 == c.num_experts
        assert not c.optimization_config.use_moe

    def test_moe_checkpoint(self):
        """Qwen3-VL-30B-A3B imports its experts and turns the MoE switch on."""
        report = import_hf_config(real(MOE))
        c = report.config

        assert "qwen3_vl_moe" == report.layout
        assert (128, 8, 768, 1, (), True) == (
            c.num_experts,
            c.num_experts_per_tok,
            c.moe_intermediate_size,
            c.decoder_sparse_step,
            c.mlp_only_layers,
            c.norm_topk_prob,
        )
        assert (48, 32, 4, 2048) == (
            c.num_hidden_layers,
            c.num_attention_heads,
            c.num_key_value_heads,
            c.hidden_size,
        )
        assert (27, 1152, 4304, 2048, (8, 16, 24)) == (
            c.vision_num_hidden_layers,
            c.vision_hidden_size,
            c.vision_intermediate_size,
            c.vision_out_hidden_size,
            c.vision_deepstack_visual_indexes,
        )
        assert not c.tie_word_embeddings
        assert (True, 128, 8) == (
            c.optimization_config.use_moe,
            c.optimization_config.moe_num_experts,
            c.optimization_config.moe_top_k,
        )
        assert any("moe_num_experts 128" in n for n in report.notes)

    @pytest.mark.parametrize("name", [DENSE, MOE])
    def test_real_files_map_every_key(self, name):
        """Nothing in the released files is unmapped; metadata is ignored."""
        report = import_hf_config(
            real(name)
        )  # filterwarnings=error: no warning

        assert {} == report.unmapped
        assert "text_config.initializer_range" in report.ignored
        assert "vision_config.initializer_range" in report.ignored
        assert "architectures" in report.ignored
        assert "bfloat16" == report.config.dtype

    def test_training_only_keys_are_ignored(self):
        """The router's loss coefficient says nothing about the architecture."""
        report = import_hf_config(real(MOE))

        assert "text_config.router_aux_loss_coef" in report.ignored

    @pytest.mark.parametrize("name", [DENSE, MOE])
    def test_larger_checkpoints_keep_the_capacity_guard(self, name):
        """36 and 48 layers with 32 heads meet full capacity; the note says so."""
        report = import_hf_config(real(name))

        assert report.config.preserve_full_capacity
        assert any(
            n.startswith("preserve_full_capacity stays true")
            for n in report.notes
        )

    def test_import_keeps_the_deployment_defaults(self):
        """Only the architecture comes from the file; sections are defaults."""
        config = import_hf_config(real(DENSE)).config

        assert Qwen3VLConfig().gpu_config == config.gpu_config
        assert Qwen3VLConfig().memory_config == config.memory_config
        assert 448 == config.vision_image_size


class TestRoundTrip:
    @pytest.mark.parametrize("name", [DENSE, MOE])
    def test_import_export_import_is_equal(self, name):
        """import -> to_hf_dict -> import gives the same config."""
        first = import_hf_config(real(name))

        second = import_hf_config(first.config.to_hf_dict())

        assert first.config == second.config
        assert {} == second.unmapped
        assert first.layout == second.layout

    @pytest.mark.parametrize("name", [DENSE, MOE])
    def test_export_restates_the_architecture_of_the_file(self, name):
        """Every architecture key of the real file comes back with its value."""
        original = real(name)
        written = import_hf_config(original).config.to_hf_dict()

        for part in ("text_config", "vision_config"):
            for key, value in original[part].items():
                if key in IGNORED_KEYS or key == "rope_scaling":
                    continue
                assert value == written[part][key], (part, key)
        assert (
            original["text_config"]["rope_scaling"]["mrope_section"]
            == (written["text_config"]["rope_scaling"]["mrope_section"])
        )
        for key in ("tie_word_embeddings", "image_token_id", "model_type"):
            assert original[key] == written[key]

    def test_export_layout_follows_the_experts(self):
        """A dense config writes Qwen3-VL, an MoE config Qwen3-VL-MoE."""
        dense = Qwen3VLConfig().to_hf_dict()
        moe = Qwen3VLConfig(
            num_experts=8,
            num_experts_per_tok=2,
            moe_intermediate_size=512,
            optimization_config=OptimizationConfig(moe_num_experts=8),
        ).to_hf_dict()

        assert "qwen3_vl" == dense["model_type"]
        assert ["Qwen3VLForConditionalGeneration"] == dense["architectures"]
        assert "num_experts" not in dense["text_config"]
        assert "qwen3_vl_moe" == moe["model_type"]
        assert 8 == moe["text_config"]["num_experts"]
        assert 512 == moe["text_config"]["moe_intermediate_size"]

    def test_export_spells_out_the_zero_defaults(self):
        """0 key/value heads and 0 vision output width are written as meant."""
        text = Qwen3VLConfig().to_hf_dict()

        assert 32 == text["text_config"]["num_key_value_heads"]
        assert 4096 == text["vision_config"]["out_hidden_size"]

    def test_export_is_json(self):
        """to_hf_dict is plain JSON data (lists, not tuples)."""
        data = Qwen3VLConfig().to_hf_dict()

        assert data == json.loads(json.dumps(data))

    @SLOW_EXAMPLES
    @given(config=strategies.qwen3vl_configs())
    def test_any_config_survives_export_and_import(self, config):
        """Exporting any valid config and importing it keeps the architecture."""
        exported = config.to_hf_dict()

        back = import_hf_config(exported)

        assert exported == back.config.to_hf_dict()
        assert {} == back.unmapped


class TestLayouts:
    @pytest.mark.parametrize("name", [DENSE, MOE])
    def test_rope_parameters_form_reads_the_same(self, name):
        """Files saved by transformers 5 (rope_parameters) import the same."""
        released = import_hf_config(real(name))

        newer = import_hf_config(rope_parameters_form(real(name)))

        assert released.config == newer.config
        assert "vision_config.rope_parameters" in newer.ignored
        assert "text_config.pad_token_id" in newer.ignored

    def test_transformers_5_moe_names(self):
        """num_local_experts, a null sliding window and a text tie flag read fine."""
        data = rope_parameters_form(real(MOE))
        text = data["text_config"]
        text["num_local_experts"] = text.pop("num_experts")
        text["sliding_window"] = None
        text["output_router_logits"] = False
        text["tie_word_embeddings"] = True

        report = import_hf_config(data)

        assert 128 == report.config.num_experts
        assert not report.config.tie_word_embeddings
        assert any(
            "differs from the top-level value" in n for n in report.notes
        )
        assert {} == report.unmapped

    def test_rope_theta_in_both_places(self):
        """A rope_theta inside rope_parameters wins over one beside it, noted."""
        data = rope_parameters_form(real(DENSE))
        data["text_config"]["rope_theta"] = 10000.0

        report = import_hf_config(data)

        assert 5_000_000.0 == report.config.rope_theta
        assert any("the latter is used" in n for n in report.notes)

    def test_qwen2_5_vl(self):
        """Qwen2.5-VL's flat text keys and nested vision part are read."""
        report = import_hf_config(QWEN2_5_VL)  # filterwarnings=error
        c = report.config

        assert "qwen2_5_vl" == report.layout
        assert "qwen2_5_vl" == c.model_family
        assert (28, 28, 4, 3584, 128) == (
            c.num_hidden_layers,
            c.num_attention_heads,
            c.num_key_value_heads,
            c.hidden_size,
            c.head_dim,
        )
        assert ((16, 24, 24), False, 1_000_000.0) == (
            c.mrope_section,
            c.mrope_interleaved,
            c.rope_theta,
        )
        assert (32, 1280, 3420, 3584, 14, "silu", 3) == (
            c.vision_num_hidden_layers,
            c.vision_hidden_size,
            c.vision_intermediate_size,
            c.vision_out_hidden_size,
            c.vision_patch_size,
            c.vision_hidden_act,
            c.vision_in_channels,
        )
        assert (112, (7, 15, 23, 31), 2) == (
            c.vision_window_size,
            c.vision_fullatt_block_indexes,
            c.vision_tokens_per_second,
        )
        assert ((), 0, True) == (
            c.vision_deepstack_visual_indexes,
            c.vision_num_position_embeddings,
            c.attention_bias,
        )
        assert {} == report.unmapped
        for key in (
            "sliding_window",
            "max_window_layers",
            "use_sliding_window",
            "vision_token_id",
            "vision_config.spatial_patch_size",
        ):
            assert key in report.ignored

    def test_qwen2_vl(self):
        """Qwen2-VL's embed_dim, mlp_ratio and in_chans are read; nothing is lost."""
        report = import_hf_config(QWEN2_VL)  # filterwarnings=error: no warning
        c = report.config

        assert "qwen2_vl" == report.layout
        assert (1280, 5120, 1536, "quick_gelu") == (
            c.vision_hidden_size,
            c.vision_intermediate_size,
            c.vision_out_hidden_size,
            c.vision_hidden_act,
        )
        assert (12, 2, 128, True) == (
            c.num_attention_heads,
            c.num_key_value_heads,
            c.head_dim,
            c.tie_word_embeddings,
        )
        assert c.attention_bias
        assert {} == report.unmapped
        assert any(
            "vision_config.hidden_act='quick_gelu'" in n for n in report.notes
        )

    def test_qwen2_vl_nested_as_transformers_5_saves_it(self):
        """A Qwen2-VL file with a nested text_config reads the same numbers."""
        flat = copy.deepcopy(QWEN2_VL)
        text_keys = (
            "hidden_size",
            "intermediate_size",
            "num_attention_heads",
            "num_hidden_layers",
            "num_key_value_heads",
            "rms_norm_eps",
            "rope_theta",
            "rope_scaling",
            "vocab_size",
            "max_position_embeddings",
            "hidden_act",
            "use_sliding_window",
            "sliding_window",
            "max_window_layers",
        )
        nested = {k: v for k, v in flat.items() if k not in text_keys}
        nested["text_config"] = {k: flat[k] for k in text_keys}

        assert import_hf_config(flat).config == import_hf_config(nested).config

    def test_reduced_checkpoints_turn_the_capacity_guard_off(self):
        """28 layers and 12 heads load as they are, and the note says why."""
        report = import_hf_config(QWEN2_VL)

        assert not report.config.preserve_full_capacity
        assert any(
            "28 layers and 12 attention heads, below the 32" in n
            for n in report.notes
        )

    def test_layout_is_inferred_without_model_type(self):
        """A file without model_type is read by its shape, and noted."""
        data = real(DENSE)
        del data["model_type"]

        report = import_hf_config(data)

        assert "qwen3_vl" == report.layout
        assert import_hf_config(real(DENSE)).config == report.config
        assert any("names no model_type" in n for n in report.notes)

    def test_missing_keys_take_transformers_defaults(self):
        """Absent keys mean what transformers' class defaults make them."""
        data = real(DENSE)
        del data["text_config"]["rms_norm_eps"]
        del data["text_config"]["head_dim"]

        report = import_hf_config(data)

        assert (1e-6, 128) == (
            report.config.rms_norm_eps,
            report.config.head_dim,
        )
        assert any("text_config.rms_norm_eps=1e-06" in n for n in report.notes)

    def test_null_key_value_heads_means_one_per_head(self):
        """transformers reads a null num_key_value_heads as multi-head attention."""
        data = real(DENSE)
        data["text_config"]["num_key_value_heads"] = None

        assert 32 == import_hf_config(data).config.num_key_value_heads

    def test_image_size_becomes_a_whole_number_of_patches(self):
        """A patch that does not divide 448 moves the image size up, noted."""
        data = real(DENSE)
        data["vision_config"]["patch_size"] = 10

        report = import_hf_config(data)

        assert 450 == report.config.vision_image_size
        assert any(
            "nearest multiple of the patch size 10" in n for n in report.notes
        )


class TestUnmapped:
    def test_unmapped_keys_warn_and_are_reported(self):
        """Every key without a field is in the warning and in the report."""
        data = real(DENSE)
        data["text_config"]["rope_scaling"]["rope_type"] = "linear"
        data["text_config"]["rope_scaling"]["factor"] = 4.0
        data["text_config"]["rope_scaling"]["beta_fast"] = 8.0
        data["text_config"]["rope_scaling"]["scale"] = 2
        data["text_config"]["use_sliding_window"] = True
        data["text_config"]["sliding_window"] = 4096

        with pytest.warns(UnmappedKeyWarning, match="4 key") as record:
            report = import_hf_config(data)

        expected = {
            "text_config.rope_scaling.beta_fast": 8.0,
            "text_config.rope_scaling.scale": 2,
            "text_config.sliding_window": 4096,
            "text_config.use_sliding_window": True,
        }
        assert expected == report.unmapped
        assert tuple(expected) == record[0].message.keys  # type: ignore[union-attr]
        assert "text_config.rope_scaling.scale (2)" in str(record[0].message)

    def test_the_warning_points_at_the_caller(self):
        """The warning's stacklevel names the line that imported."""
        with pytest.warns(UnmappedKeyWarning) as record:
            import_hf_config(with_unmapped_key())

        assert __file__ == record[0].filename

    def test_the_warning_is_a_user_warning(self):
        """Callers filtering UserWarning see it, and it is exported."""
        assert issubclass(UnmappedKeyWarning, UserWarning)

    def test_dense_file_with_expert_keys_reports_them(self):
        """Experts in a dense layout have no place: they are reported."""
        data = real(DENSE)
        data["text_config"]["num_experts"] = 8

        with pytest.warns(UnmappedKeyWarning):
            report = import_hf_config(data)

        assert {"text_config.num_experts": 8} == report.unmapped
        assert 0 == report.config.num_experts

    def test_every_key_is_accounted_for(self):
        """Each key of a file is mapped, ignored or unmapped, never dropped."""
        data = rope_parameters_form(real(MOE))
        data["extra"] = 1
        data["vision_config"]["extra"] = 2

        report = translate(data)
        with pytest.warns(UnmappedKeyWarning):
            import_hf_config(data)

        assert {"extra": 1, "vision_config.extra": 2} == report.unmapped
        assert set(report.ignored).isdisjoint(report.unmapped)


def _key_paths(data: dict[str, Any]) -> set[str]:
    """Every key of a config.json, with the keys of its two parts dotted."""
    found = set(data)
    for part in ("text_config", "vision_config"):
        if isinstance(data.get(part), dict):
            found |= {f"{part}.{key}" for key in data[part]}
    return found


@pytest.mark.parametrize(
    "data",
    [
        real(DENSE),
        real(MOE),
        rope_parameters_form(real(DENSE)),
        rope_parameters_form(real(MOE)),
        QWEN2_5_VL,
        QWEN2_VL,
    ],
    ids=["dense", "moe", "dense-v5", "moe-v5", "qwen2.5-vl", "qwen2-vl"],
)
def test_every_key_is_mapped_ignored_or_unmapped(data):
    """Each key lands in a field, in ignored or in unmapped: none is lost."""
    found = translate(data)
    mapped = set(found.origins.values())

    lost = {
        path
        for path in _key_paths(data)
        if path not in found.ignored
        and path not in found.unmapped
        and not any(
            origin == path or origin.startswith(path + ".")
            for origin in mapped
        )
    }

    assert set() == lost


class TestBadInput:
    def test_bad_values_name_the_hugging_face_key(self):
        """A bad value is reported at the key of the file, and our field."""
        data = real(DENSE)
        data["text_config"]["num_hidden_layers"] = "36"
        data["vision_config"]["depth"] = 0

        with pytest.raises(ConfigError) as info:
            import_hf_config(data)

        assert [
            "text_config.num_hidden_layers",
            "vision_config.depth",
        ] == info.value.paths
        assert "(read into vision_num_hidden_layers)" in str(info.value)

    def test_rules_broken_by_the_file_name_its_keys(self):
        """A vision output narrower than the text model is refused at its key."""
        data = real(DENSE)
        data["vision_config"]["out_hidden_size"] = 2048

        with pytest.raises(ConfigError) as info:
            import_hf_config(data)

        assert ["vision_config.out_hidden_size"] == info.value.paths

    def test_transformers_defaults_that_do_not_fit_are_refused(self):
        """Bare Qwen3-VL defaults pair a 4096 text with a 3584 vision output."""
        with pytest.raises(ConfigError) as info:
            import_hf_config({"model_type": "qwen3_vl"})

        assert ["vision_config.out_hidden_size"] == info.value.paths

    def test_unknown_model_type(self):
        """Only Qwen-VL layouts import; the message lists them."""
        with pytest.raises(ConfigError) as info:
            import_hf_config({"model_type": "llama"})

        assert ["model_type"] == info.value.paths
        assert "'qwen2_vl'" in str(info.value)

    @pytest.mark.parametrize("value", [[], "x", 3])
    def test_parts_must_be_mappings(self, value):
        """A text_config that is not a mapping is a ConfigError at its key."""
        data = real(DENSE)
        data["text_config"] = value

        with pytest.raises(ConfigError) as info:
            import_hf_config(data)

        assert "text_config" in info.value.paths

    @pytest.mark.parametrize("value", [[], "config", 1, None])
    def test_the_whole_config_must_be_a_mapping(self, value):
        """translate refuses anything but a mapping."""
        assert translate(value).problems

    def test_a_bad_mlp_ratio(self):
        """Qwen2-VL's mlp_ratio must be a positive number."""
        data = copy.deepcopy(QWEN2_VL)
        data["vision_config"]["mlp_ratio"] = "4"

        with pytest.raises(ConfigError) as info:
            import_hf_config(data)

        assert ["vision_config.mlp_ratio"] == info.value.paths

    def test_problems_from_a_file_name_it(self, tmp_path):
        """Problems in a folder's config.json carry the file name."""
        data = real(DENSE)
        data["text_config"]["hidden_act"] = "swiglu"
        path = write_json(tmp_path / "model" / "config.json", data)

        with pytest.raises(ConfigError) as info:
            Qwen3VLConfig.from_pretrained(tmp_path / "model")

        assert str(path) == info.value.problems[0].source
        assert ["text_config.hidden_act"] == info.value.paths
        assert "(got 'swiglu', a string)" in str(info.value)


def _leaf_paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple]:
    if isinstance(data, dict):
        found = [prefix] if prefix else []
        for key, value in data.items():
            found.extend(_leaf_paths(value, (*prefix, key)))
        return found
    return [prefix]


def _import_quietly(data: object) -> HFImport[Qwen3VLConfig] | ConfigError:
    """Return the import of `data`, or the ConfigError it raised."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnmappedKeyWarning)
        try:
            return import_hf_config(data)  # type: ignore[arg-type]
        except ConfigError as e:
            return e


class TestRobustness:
    @given(data=strategies.json_like())
    def test_any_mapping_gives_a_report_or_a_config_error(self, data):
        """Whatever the mapping, import_hf_config reports or raises ConfigError."""
        if not isinstance(data, dict):
            assert translate(data).problems
            return

        result = _import_quietly(data)

        if isinstance(result, ConfigError):
            assert result.problems
        else:
            assert isinstance(result.config, Qwen3VLConfig)

    @given(
        name=st.sampled_from([DENSE, MOE]),
        where=st.data(),
        junk=strategies.json_like(),
    )
    def test_junk_in_a_real_file_gives_a_config_error_at_most(
        self, name, where, junk
    ):
        """One key of a real file replaced by junk never escapes as a crash."""
        data = real(name)
        path = where.draw(st.sampled_from(_leaf_paths(data)))
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = junk

        result = _import_quietly(data)

        assert isinstance(result, (HFImport, ConfigError))


def make_cache(
    root: pathlib.Path,
    model_id: str = MODEL_ID,
    data: object = None,
    *,
    commit: str = COMMIT,
    ref: bool = True,
) -> pathlib.Path:
    """Lay out `model_id` in a Hugging Face cache at `root`; return its repo."""
    repo = root / ("models--" + model_id.replace("/", "--"))
    blob = repo / "blobs" / f"blob-{commit}"
    write_json(blob, real(DENSE) if data is None else data)
    snapshot = repo / "snapshots" / commit
    snapshot.mkdir(parents=True)
    (snapshot / "config.json").symlink_to(os.path.relpath(blob, snapshot))
    if ref:
        (repo / "refs").mkdir(exist_ok=True)
        (repo / "refs" / "main").write_text(commit, encoding="ascii")
    return repo


@pytest.fixture
def cache(tmp_path, monkeypatch) -> pathlib.Path:
    """An empty Hugging Face cache named by HF_HUB_CACHE; cwd is elsewhere."""
    root = tmp_path / "hub"
    root.mkdir()
    monkeypatch.setenv("HF_HUB_CACHE", str(root))
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return root


class TestFromPretrainedFolders:
    def test_folder_with_config_json(self, tmp_path):
        """A folder holding config.json imports it."""
        write_json(tmp_path / "config.json", real(DENSE))

        config = Qwen3VLConfig.from_pretrained(tmp_path)

        assert import_hf_config(real(DENSE)).config == config

    def test_our_own_file_wins_over_config_json(self, tmp_path):
        """A saved qwen3vl.toml beside config.json is read as it is."""
        write_json(tmp_path / "config.json", real(DENSE))
        saved = Qwen3VLConfig(optimization_level="aggressive")
        saved.save_to_file(tmp_path / "qwen3vl.toml")

        assert saved == Qwen3VLConfig.from_pretrained(str(tmp_path))

    @pytest.mark.parametrize(
        "name", ["qwen3vl.json", "qwen3vl.yaml", "qwen3vl.yml", "qwen3vl.toml"]
    )
    def test_every_format_of_ours(self, tmp_path, name):
        """Each of our file names is found in a folder."""
        saved = import_hf_config(real(MOE)).config
        saved.save_to_file(tmp_path / name)

        assert saved == Qwen3VLConfig.from_pretrained(tmp_path)

    def test_two_files_of_ours_are_ambiguous(self, tmp_path):
        """qwen3vl.toml and qwen3vl.json together: which one is meant?"""
        Qwen3VLConfig().save_to_file(tmp_path / "qwen3vl.toml")
        Qwen3VLConfig().save_to_file(tmp_path / "qwen3vl.json")

        with pytest.raises(ConfigError, match="keep one"):
            Qwen3VLConfig.from_pretrained(tmp_path)

    def test_empty_folder(self, tmp_path):
        """A folder without a configuration says which names it looked for."""
        with pytest.raises(ConfigError) as info:
            Qwen3VLConfig.from_pretrained(tmp_path)

        assert "qwen3vl.toml" in str(info.value)
        assert "config.json" in str(info.value)

    def test_a_file_is_not_a_folder(self, tmp_path):
        """from_pretrained takes folders; files go to from_file."""
        path = write_json(tmp_path / "config.json", real(DENSE))

        with pytest.raises(ConfigError, match="from_file"):
            Qwen3VLConfig.from_pretrained(path)

    def test_config_json_is_read_safely(self, tmp_path):
        """A FIFO named config.json is refused without blocking."""
        os.mkfifo(tmp_path / "config.json")

        with pytest.raises(ConfigError, match="not a regular file"):
            Qwen3VLConfig.from_pretrained(tmp_path)

    def test_config_json_size_is_limited(self, tmp_path):
        """A config.json over the size limit is refused."""
        (tmp_path / "config.json").write_bytes(b" " * (MAX_FILE_BYTES + 1))

        with pytest.raises(ConfigError, match="limited to"):
            Qwen3VLConfig.from_pretrained(tmp_path)

    def test_config_json_must_hold_a_mapping(self, tmp_path):
        """A config.json holding a list is a ConfigError."""
        write_json(tmp_path / "config.json", [1, 2])

        with pytest.raises(ConfigError, match="expected a mapping"):
            Qwen3VLConfig.from_pretrained(tmp_path)

    def test_from_pretrained_warning_points_at_the_caller(self, tmp_path):
        """from_pretrained's UnmappedKeyWarning names the calling line."""
        write_json(tmp_path / "config.json", with_unmapped_key())

        with pytest.warns(UnmappedKeyWarning, match="config.json") as record:
            Qwen3VLConfig.from_pretrained(tmp_path)

        assert __file__ == record[0].filename

    def test_import_hf_config_reads_folders_too(self, tmp_path):
        """import_hf_config takes a folder and reports its source."""
        path = write_json(tmp_path / "config.json", real(MOE))

        report = import_hf_config(tmp_path)

        assert isinstance(report, HFImport)
        assert str(path) == report.source
        assert 128 == report.config.num_experts

    def test_import_hf_config_wants_a_hugging_face_file(self, tmp_path):
        """A folder with our own file has no Hugging Face config to report on."""
        Qwen3VLConfig().save_to_file(tmp_path / "qwen3vl.yaml")

        with pytest.raises(ConfigError, match="not a Hugging Face"):
            import_hf_config(tmp_path)


class TestFromPretrainedCache:
    def test_model_id_in_hf_hub_cache(self, cache):
        """A model id is found in HF_HUB_CACHE through refs/main and the blob."""
        make_cache(cache)

        config = Qwen3VLConfig.from_pretrained(MODEL_ID)

        assert 36 == config.num_hidden_layers

    def test_model_id_under_hf_home(self, tmp_path, monkeypatch):
        """Without HF_HUB_CACHE, the cache is $HF_HOME/hub."""
        monkeypatch.delenv("HF_HUB_CACHE", raising=False)
        monkeypatch.setenv("HF_HOME", str(tmp_path / "home"))
        monkeypatch.chdir(tmp_path)
        make_cache(tmp_path / "home" / "hub")

        assert 36 == Qwen3VLConfig.from_pretrained(MODEL_ID).num_hidden_layers

    def test_model_id_in_the_default_cache(self, tmp_path, monkeypatch):
        """Without either variable, the cache is ~/.cache/huggingface/hub."""
        for name in ("HF_HUB_CACHE", "HF_HOME", "XDG_CACHE_HOME"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("HOME", str(tmp_path))
        monkeypatch.chdir(tmp_path)
        make_cache(tmp_path / ".cache" / "huggingface" / "hub")

        assert 36 == Qwen3VLConfig.from_pretrained(MODEL_ID).num_hidden_layers

    def test_model_id_under_xdg_cache_home(self, tmp_path, monkeypatch):
        """XDG_CACHE_HOME moves the default cache, as huggingface_hub does."""
        for name in ("HF_HUB_CACHE", "HF_HOME"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
        monkeypatch.chdir(tmp_path)
        make_cache(tmp_path / "xdg" / "huggingface" / "hub")

        assert 36 == Qwen3VLConfig.from_pretrained(MODEL_ID).num_hidden_layers

    def test_refs_main_picks_the_snapshot(self, cache):
        """With two snapshots, refs/main says which one is read."""
        other = real(DENSE)
        other["text_config"]["num_hidden_layers"] = 40
        repo = make_cache(cache, data=other, commit=OTHER_COMMIT)
        make_cache(cache, commit=COMMIT)  # refs/main now names COMMIT

        assert COMMIT == (repo / "refs" / "main").read_text("ascii")
        assert 36 == Qwen3VLConfig.from_pretrained(MODEL_ID).num_hidden_layers

    def test_the_only_snapshot_without_refs(self, cache):
        """Without refs/main, a lone snapshot is the one."""
        make_cache(cache, ref=False)

        assert 36 == Qwen3VLConfig.from_pretrained(MODEL_ID).num_hidden_layers

    def test_several_snapshots_without_refs_are_ambiguous(self, cache):
        """Without refs/main, two snapshots need the caller to choose."""
        make_cache(cache, ref=False)
        make_cache(cache, commit=OTHER_COMMIT, ref=False)

        with pytest.raises(ConfigError, match="2 snapshots"):
            Qwen3VLConfig.from_pretrained(MODEL_ID)

    @pytest.mark.parametrize("text", ["../../etc", "main", "", COMMIT + "0"])
    def test_refs_main_must_hold_a_commit(self, cache, text):
        """A ref that is not a commit hash is refused, never used as a path."""
        repo = make_cache(cache)
        (repo / "refs" / "main").write_text(text, encoding="ascii")

        with pytest.raises(ConfigError, match="expected a commit hash"):
            Qwen3VLConfig.from_pretrained(MODEL_ID)

    def test_missing_model_says_where_it_looked(self, cache):
        """A model that is not cached names the folder and the cache."""
        with pytest.raises(ConfigError) as info:
            Qwen3VLConfig.from_pretrained("Qwen/Qwen3-VL-8B-Instruct")

        text = str(info.value)
        assert str(cache / "models--Qwen--Qwen3-VL-8B-Instruct") in text
        assert "Nothing is downloaded" in text
        assert (
            str(pathlib.Path.cwd() / "Qwen" / "Qwen3-VL-8B-Instruct") in text
        )

    @pytest.mark.usefixtures("cache")
    def test_missing_model_never_touches_the_network(self, monkeypatch):
        """No socket is opened while looking for a model."""

        def refuse(*_args, **_kwargs):
            raise AssertionError("network used")

        monkeypatch.setattr(socket, "socket", refuse)
        monkeypatch.setattr(socket, "create_connection", refuse)

        with pytest.raises(ConfigError):
            Qwen3VLConfig.from_pretrained("Qwen/Qwen3-VL-8B-Instruct")

    def test_snapshot_link_outside_the_cache_is_refused(self, cache, tmp_path):
        """config.json linking out of the model's cache folder is not read."""
        outside = write_json(
            tmp_path / "elsewhere" / "config.json", real(DENSE)
        )
        repo = make_cache(cache)
        link = repo / "snapshots" / COMMIT / "config.json"
        link.unlink()
        link.symlink_to(outside)

        with pytest.raises(ConfigError, match="outside the model's cache"):
            Qwen3VLConfig.from_pretrained(MODEL_ID)

    def test_link_into_another_models_cache_is_refused(self, cache):
        """Another repo's blob is outside this model's folder, so refused."""
        other = make_cache(cache, "Qwen/Other")
        repo = make_cache(cache)
        link = repo / "snapshots" / COMMIT / "config.json"
        link.unlink()
        link.symlink_to(other / "blobs" / f"blob-{COMMIT}")

        with pytest.raises(ConfigError, match="outside the model's cache"):
            Qwen3VLConfig.from_pretrained(MODEL_ID)

    def test_dangling_snapshot_link(self, cache):
        """A link to a blob that is gone is a clear ConfigError."""
        repo = make_cache(cache)
        (repo / "blobs" / f"blob-{COMMIT}").unlink()

        with pytest.raises(ConfigError, match="missing"):
            Qwen3VLConfig.from_pretrained(MODEL_ID)

    def test_snapshot_without_config(self, cache):
        """A snapshot without config.json says so."""
        repo = make_cache(cache)
        (repo / "snapshots" / COMMIT / "config.json").unlink()

        with pytest.raises(ConfigError, match=r"holds no config\.json"):
            Qwen3VLConfig.from_pretrained(MODEL_ID)

    def test_a_local_folder_wins_over_the_cache(self, cache):
        """A folder named like the model id is read before the cache."""
        make_cache(cache)
        other = real(DENSE)
        other["text_config"]["num_hidden_layers"] = 40
        write_json(pathlib.Path(MODEL_ID) / "config.json", other)

        assert 40 == Qwen3VLConfig.from_pretrained(MODEL_ID).num_hidden_layers

    def test_model_id_without_a_namespace(self, cache):
        """Ids without an owner (models--name) are looked up too."""
        make_cache(cache, "tiny-model")

        assert (
            36 == Qwen3VLConfig.from_pretrained("tiny-model").num_hidden_layers
        )

    @pytest.mark.parametrize(
        "text", ["", "a/b/c", "../x", "Qwen--x/y", "/no/such/folder", "a b"]
    )
    @pytest.mark.usefixtures("cache")
    def test_neither_folder_nor_model_id(self, text):
        """Text that is no folder and no model id is a ConfigError."""
        with pytest.raises(ConfigError):
            Qwen3VLConfig.from_pretrained(text)

    def test_import_hf_config_by_model_id(self, cache):
        """import_hf_config finds a model id as from_pretrained does."""
        repo = make_cache(cache)

        report = import_hf_config(MODEL_ID)

        assert (
            str(repo / "snapshots" / COMMIT / "config.json") == report.source
        )
        assert "qwen3_vl" == report.layout


class TestNamesThatAreNoPath:
    """Any name from_pretrained is given ends in a ConfigError (issue 13)."""

    @pytest.mark.parametrize(
        "name",
        [
            "a" * 300,
            "a/" + "b" * 300,
            ("a" * 200 + "/") * 30,
            "x" * 1_000_000,
            "a\x00b",
            "\ud800",
        ],
        ids=[
            "too long",
            "part too long",
            "path too long",
            "megabyte",
            "NUL",
            "surrogate",
        ],
    )
    @pytest.mark.usefixtures("cache")
    def test_a_name_no_path_can_have_is_neither_folder_nor_model_id(
        self, name
    ):
        """A name too long or unencodable was an OSError; now nothing is found."""
        with pytest.raises(ConfigError) as info:
            Qwen3VLConfig.from_pretrained(name)

        message = str(info.value)
        assert "no such folder" in message
        assert "not a Hugging Face model id" in message
        assert len(message) < 1000
        message.encode("utf-8")  # printable, with no lone surrogate
        with pytest.raises(ConfigError, match="no such folder"):
            import_hf_config(name)

    @pytest.mark.parametrize("name", [3, None, b"Qwen/x", 1.5, ["a"]])
    def test_a_name_that_is_not_text(self, name):
        """Only a str or a path names a folder or a model id."""
        with pytest.raises(
            ConfigError, match="expected a model folder or a model id"
        ):
            Qwen3VLConfig.from_pretrained(name)

    def test_a_cache_the_system_will_not_look_into(self, cache, monkeypatch):
        """A folder that cannot be looked at says so, with the reason."""
        repo = make_cache(cache)
        stat = pathlib.Path.stat

        def refuse(path, *args, **kwargs):
            if pathlib.Path(path) == repo:
                raise PermissionError(13, "Permission denied", str(path))
            return stat(path, *args, **kwargs)

        monkeypatch.setattr(pathlib.Path, "stat", refuse)

        with pytest.raises(
            ConfigError, match="cannot be looked at: Permission denied"
        ):
            Qwen3VLConfig.from_pretrained(MODEL_ID)

    def test_snapshots_that_cannot_be_listed(self, cache, monkeypatch):
        """Without refs/main, snapshots that cannot be listed say so."""
        make_cache(cache, ref=False)

        def refuse(path):
            raise PermissionError(13, "Permission denied", str(path))

        monkeypatch.setattr(pathlib.Path, "iterdir", refuse)

        with pytest.raises(ConfigError, match="cannot be listed"):
            Qwen3VLConfig.from_pretrained(MODEL_ID)
