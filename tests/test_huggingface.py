"""Tests for Hugging Face configs: import, export and the local cache lookup."""

from __future__ import annotations

import copy
import json
import os
import pathlib
import re
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
    QuantizationConfig,
    Qwen3VLConfig,
    UnmappedKeyWarning,
    apply_updates,
    import_hf_config,
)
from qwen3vl._formats import MAX_FILE_BYTES
from qwen3vl.exceptions import Problem
from qwen3vl.huggingface._layouts import IGNORED_KEYS
from qwen3vl.huggingface._reader import translate

import strategies

from helpers import (
    DENSE,
    HF_FILES,
    MOE,
    QUANTIZED,
    QWEN2_5_VL,
    QWEN2_VL,
    REFUSED,
    SLOW_EXAMPLES,
    readable,
    real,
    refusal,
)


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
        *(readable(name) for name in HF_FILES),
    ],
    ids=[
        "dense",
        "moe",
        "dense-v5",
        "moe-v5",
        "qwen2.5-vl",
        "qwen2-vl",
        *HF_FILES,
    ],
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


# -- every family, every real file ----------------------------------------

OLMOCR = "olmOCR-2-7B-1025-FP8.config.json"
AWQ = "Qwen2-VL-2B-Instruct-AWQ.config.json"
QWEN2_5_7B = "Qwen2.5-VL-7B-Instruct.config.json"
QWEN3_8B = "Qwen3-VL-8B-Instruct.config.json"

#: The family each layout describes.
FAMILY_OF = {
    "qwen3_vl": "qwen3_vl",
    "qwen3_vl_moe": "qwen3_vl",
    "qwen2_5_vl": "qwen2_5_vl",
    "qwen2_vl": "qwen2_vl",
}


def problem_of(data: object) -> Problem:
    """The one problem that importing `data` raises."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnmappedKeyWarning)
        e = refusal(import_hf_config, data)
    assert 1 == len(e.problems), e
    return e.problems[0]


class TestEveryRealFile:
    @pytest.mark.parametrize("name", HF_FILES)
    def test_imports_without_a_warning(self, name):
        """Each real file maps every key (filterwarnings=error: no warning)."""
        report = import_hf_config(readable(name))

        assert {} == report.unmapped
        assert (
            FAMILY_OF[real(name)["model_type"]] == report.config.model_family
        )

    @pytest.mark.parametrize("name", HF_FILES)
    def test_import_export_import_is_equal(self, name):
        """import -> to_hf_dict -> import gives the same config, any family."""
        first = import_hf_config(readable(name))

        second = import_hf_config(first.config.to_hf_dict())

        assert first.config == second.config
        assert {} == second.unmapped
        assert first.layout == second.layout

    @pytest.mark.parametrize("name", sorted(REFUSED))
    def test_tester_configs_our_rules_refuse(self, name):
        """The Qwen3-VL testers' mrope sections do not fit their heads."""
        path, message = REFUSED[name]

        found = problem_of(real(name))

        assert path == found.path
        assert re.search(message, found.message)

    @pytest.mark.parametrize(
        "name",
        [
            n
            for n in HF_FILES
            if real(n)["model_type"] in ("qwen2_vl", "qwen2_5_vl")
        ],
    )
    def test_qwen2_families_hold_their_fixed_values(self, name):
        """Qwen2 biases, no interleaving, no DeepStack, no position table."""
        c = import_hf_config(readable(name)).config

        assert (True, False, (), 0, 0) == (
            c.attention_bias,
            c.mrope_interleaved,
            c.vision_deepstack_visual_indexes,
            c.vision_num_position_embeddings,
            c.num_experts,
        )
        assert c.head_dim * c.num_attention_heads == c.hidden_size

    @pytest.mark.parametrize(
        "name",
        [
            n
            for n in HF_FILES
            if "qwen2" in real(n)["model_type"] and "tests" not in n
        ],
    )
    def test_export_restates_the_released_qwen2_file(self, name):
        """Each key of a released Qwen2 file that the export writes is equal."""
        original = real(name)
        written = import_hf_config(original).config.to_hf_dict()

        for key, value in original.items():
            if key in written and key not in ("vision_config", "rope_scaling"):
                assert value == written[key], key
        for key, value in original["vision_config"].items():
            if key in written["vision_config"] and key != "model_type":
                assert value == written["vision_config"][key], key
        assert (
            original["rope_scaling"]["mrope_section"]
            == (written["rope_scaling"]["mrope_section"])
        )
        assert original["architectures"] == written["architectures"]


class TestQwen2Layouts:
    def test_qwen2_5_vl_window_keys_default_as_in_transformers(self):
        """Without window keys, transformers' 112, [7, 15, 23, 31] and 4."""
        data = copy.deepcopy(QWEN2_5_VL)
        for key in (
            "window_size",
            "fullatt_block_indexes",
            "tokens_per_second",
        ):
            del data["vision_config"][key]

        c = import_hf_config(data).config

        assert (112, (7, 15, 23, 31), 4) == (
            c.vision_window_size,
            c.vision_fullatt_block_indexes,
            c.vision_tokens_per_second,
        )

    def test_whole_image_layers_past_the_depth_name_no_layer(self):
        """The 2-layer tester's default [7, 15, 23, 31] keeps no index, noted."""
        report = import_hf_config(
            real("transformers-tests-qwen2_5_vl.config.json")
        )

        assert () == report.config.vision_fullatt_block_indexes
        assert any(
            "only layers below the vision depth" in n for n in report.notes
        )

    def test_export_writes_the_qwen2_5_vl_layout(self):
        """Text keys flat, the Qwen2.5-VL vision keys nested, its own names."""
        written = import_hf_config(real(QWEN2_5_7B)).config.to_hf_dict()

        assert "qwen2_5_vl" == written["model_type"]
        assert ["Qwen2_5_VLForConditionalGeneration"] == written[
            "architectures"
        ]
        assert "text_config" not in written
        assert (3584, 28, 4, "bfloat16", False) == (
            written["hidden_size"],
            written["num_attention_heads"],
            written["num_key_value_heads"],
            written["torch_dtype"],
            written["use_sliding_window"],
        )
        assert {"type": "mrope", "mrope_section": [16, 24, 24]} == (
            written["rope_scaling"]
        )
        vision = written["vision_config"]
        assert (32, 1280, 3420, 3584, 112, [7, 15, 23, 31], 2) == (
            vision["depth"],
            vision["hidden_size"],
            vision["intermediate_size"],
            vision["out_hidden_size"],
            vision["window_size"],
            vision["fullatt_block_indexes"],
            vision["tokens_per_second"],
        )
        for key in ("head_dim", "attention_bias", "dtype"):
            assert key not in written
        assert "num_position_embeddings" not in vision
        assert "deepstack_visual_indexes" not in vision

    def test_export_writes_the_qwen2_vl_layout(self):
        """Qwen2-VL's vision part: embed_dim, mlp_ratio and its hidden_size."""
        written = import_hf_config(QWEN2_VL).config.to_hf_dict()

        assert "qwen2_vl" == written["model_type"]
        assert ["Qwen2VLForConditionalGeneration"] == written["architectures"]
        vision = written["vision_config"]
        assert (1280, 4, 1536, 3, 3) == (
            vision["embed_dim"],
            vision["mlp_ratio"],
            vision["hidden_size"],
            vision["in_chans"],
            vision["in_channels"],
        )
        assert "intermediate_size" not in vision
        assert "window_size" not in vision

    def test_export_never_says_interleaved_for_qwen2(self):
        """mrope_interleaved is Qwen3-VL's key; Qwen2 files never carry it."""
        written = import_hf_config(QWEN2_VL).config.to_hf_dict()

        assert "mrope_interleaved" not in json.dumps(written)

    def test_nested_tie_flag_wins_over_a_false_top_level(self):
        """transformers 5 ties a Qwen2 model whose text_config says so."""
        data = real(OLMOCR)
        data["text_config"]["tie_word_embeddings"] = True

        report = import_hf_config(data)

        assert report.config.tie_word_embeddings
        assert any("transformers 5 reads it" in n for n in report.notes)

    def test_in_chans_beside_in_channels(self):
        """An equal in_chans is ignored; a different one is reported."""
        data = copy.deepcopy(QWEN2_5_VL)
        data["vision_config"]["in_channels"] = 3

        assert "vision_config.in_chans" in import_hf_config(data).ignored

        data["vision_config"]["in_chans"] = 4
        with pytest.warns(UnmappedKeyWarning, match="in_chans"):
            report = import_hf_config(data)
        assert 3 == report.config.vision_in_channels


class TestFlatAndNestedCopies:
    def test_both_copies_import_without_a_warning(self):
        """olmOCR's text keys at the top and in text_config: no false warning."""
        report = import_hf_config(real(OLMOCR))  # filterwarnings=error

        assert {} == report.unmapped
        assert "hidden_size" in report.ignored
        assert any("restate text_config" in n for n in report.notes)
        assert (28, 3584, 18944) == (
            report.config.num_hidden_layers,
            report.config.hidden_size,
            report.config.intermediate_size,
        )

    def test_copies_that_disagree_are_a_problem(self):
        """The message names both keys, both values, and what transformers reads."""
        data = real(OLMOCR)
        data["hidden_size"] = 4096

        found = problem_of(data)

        assert "hidden_size" == found.path
        assert (
            "says 4096 where text_config.hidden_size says 3584"
            in found.message
        )
        assert "transformers reads text_config.hidden_size" in found.message

    def test_token_copies_that_disagree_are_a_problem(self):
        """A top-level eos_token_id other than text_config's is refused."""
        data = real(OLMOCR)
        data["eos_token_id"] = 151643

        found = problem_of(data)

        assert "eos_token_id" == found.path
        assert "text_config.eos_token_id says 151645" in found.message

    def test_a_key_only_at_the_top_is_not_read(self):
        """With text_config present, transformers reads no flat-only key."""
        data = real(OLMOCR)
        del data["text_config"]["rms_norm_eps"]
        data["rms_norm_eps"] = 1e-5

        with pytest.warns(UnmappedKeyWarning, match="rms_norm_eps"):
            report = import_hf_config(data)

        assert 1e-5 == report.config.rms_norm_eps  # the Qwen2 default
        assert any("at the top level only" in n for n in report.notes)

    def test_inert_sliding_window_copies_may_differ(self):
        """Sliding windows are off: 32768 at the top, null nested, no problem."""
        report = import_hf_config(real(OLMOCR))

        assert "sliding_window" in report.ignored


class TestRope:
    def test_yarn_in_rope_scaling(self):
        """rope_type yarn and its parameters fill rope_scaling_config."""
        data = real(QWEN3_8B)
        data["text_config"]["rope_scaling"].update(
            rope_type="yarn",
            factor=4,
            original_max_position_embeddings=262144,
            beta_fast=16,
        )

        rope = import_hf_config(data).config.rope_scaling_config

        assert ("yarn", 4.0, 262144, 16.0, 1.0) == (
            rope.rope_type,
            rope.factor,
            rope.original_max_position_embeddings,
            rope.beta_fast,
            rope.beta_slow,
        )

    def test_yarn_in_rope_parameters(self):
        """transformers 5's rope_parameters spelling reads the same."""
        data = real(QWEN3_8B)
        data["text_config"]["rope_scaling"].update(rope_type="yarn", factor=4)
        released = import_hf_config(data).config

        newer = import_hf_config(rope_parameters_form(data)).config

        assert released == newer

    def test_legacy_type_key(self):
        """Qwen2.5-VL's model card spells yarn under "type"."""
        data = copy.deepcopy(QWEN2_5_VL)
        data["rope_scaling"] = {
            "type": "yarn",
            "mrope_section": [16, 24, 24],
            "factor": 4,
            "original_max_position_embeddings": 32768,
        }

        rope = import_hf_config(data).config.rope_scaling_config

        assert ("yarn", 4.0, 32768) == (
            rope.rope_type,
            rope.factor,
            rope.original_max_position_embeddings,
        )

    def test_mrope_means_plain(self):
        """ "mrope" is plain multimodal RoPE: rope_type default."""
        report = import_hf_config(QWEN2_VL)

        assert "default" == report.config.rope_scaling_config.rope_type
        assert "rope_scaling.type" not in report.unmapped

    def test_another_types_parameter_is_not_imported(self):
        """A parameter the rope type does not read is reported, not used."""
        data = real(QWEN3_8B)
        data["text_config"]["rope_scaling"]["factor"] = 2.0

        with pytest.warns(UnmappedKeyWarning, match="factor"):
            report = import_hf_config(data)

        assert 1.0 == report.config.rope_scaling_config.factor

    def test_another_types_parameter_at_its_default_is_ignored(self):
        """beta_fast 32 beside a linear rope changes nothing."""
        data = real(QWEN3_8B)
        data["text_config"]["rope_scaling"].update(
            rope_type="linear", factor=2.0, beta_fast=32
        )

        report = import_hf_config(data)

        assert "text_config.rope_scaling.beta_fast" in report.ignored

    def test_unknown_rope_type_is_refused_at_its_key(self):
        """A rope type transformers' Qwen-VL models cannot take is a problem."""
        data = real(QWEN3_8B)
        data["text_config"]["rope_scaling"]["rope_type"] = "proportional"

        found = problem_of(data)

        assert "text_config.rope_scaling.rope_type" == found.path

    def test_rope_scaling_wins_whole_over_rope_parameters(self):
        """As in transformers 5: rope_parameters is not read beside it."""
        data = real(QWEN3_8B)
        data["text_config"]["rope_parameters"] = {
            "rope_type": "linear",
            "factor": 2.0,
            "mrope_section": [24, 20, 20],
        }

        with pytest.warns(UnmappedKeyWarning):
            report = import_hf_config(data)

        assert "default" == report.config.rope_scaling_config.rope_type
        assert "text_config.rope_parameters.mrope_section" in report.ignored
        assert 2.0 == report.unmapped["text_config.rope_parameters.factor"]

    def test_llama3_without_original_context_takes_max_positions(self):
        """transformers 5 fills llama3's original context; so does the import."""
        data = real(QWEN3_8B)
        data["text_config"]["rope_scaling"].update(
            rope_type="llama3",
            factor=8.0,
            low_freq_factor=1.0,
            high_freq_factor=4.0,
        )

        rope = import_hf_config(data).config.rope_scaling_config

        assert 262144 == rope.original_max_position_embeddings

    def test_yarn_without_original_context_leaves_it_unset(self):
        """0 means not set: transformers takes max_position_embeddings."""
        data = real(QWEN3_8B)
        data["text_config"]["rope_scaling"].update(rope_type="yarn", factor=2)

        config = import_hf_config(data).config

        assert 0 == config.rope_scaling_config.original_max_position_embeddings
        assert (
            "original_max_position_embeddings"
            not in (config.to_hf_dict()["text_config"]["rope_scaling"])
        )

    @pytest.mark.parametrize(
        ("value", "expected"), [(None, True), (True, True), (False, False)]
    )
    def test_qwen3_mrope_interleaved(self, value, expected):
        """Absent means interleaved, as transformers' Qwen3-VL code always does."""
        data = real(QWEN3_8B)
        if value is None:
            del data["text_config"]["rope_scaling"]["mrope_interleaved"]
        else:
            data["text_config"]["rope_scaling"]["mrope_interleaved"] = value

        config = import_hf_config(data).config

        assert expected is config.mrope_interleaved
        written = config.to_hf_dict()["text_config"]["rope_scaling"]
        assert expected is written["mrope_interleaved"]


def rope_written(**rope: Any) -> dict[str, Any]:
    """The exported rope_scaling of Qwen3-VL-8B with `rope` as its section."""
    config = apply_updates(
        import_hf_config(real(QWEN3_8B)).config, {"rope_scaling_config": rope}
    )
    return config.to_hf_dict()["text_config"]["rope_scaling"]


class TestRopeExport:
    def test_plain_rope_is_written_as_released(self):
        """Qwen3-VL-8B's rope_scaling comes back as its file has it."""
        assert real(QWEN3_8B)["text_config"]["rope_scaling"] == rope_written()

    def test_yarn_writes_what_is_set_and_not_default(self):
        """factor and the original context, not beta_fast 32 or truncate."""
        written = rope_written(
            rope_type="yarn",
            factor=4.0,
            original_max_position_embeddings=262144,
        )

        assert {
            "factor": 4.0,
            "mrope_interleaved": True,
            "mrope_section": [24, 20, 20],
            "original_max_position_embeddings": 262144,
            "rope_type": "yarn",
        } == written

    def test_yarn_writes_parameters_off_their_defaults(self):
        """beta_fast 16, a set attention_factor and truncate false are written."""
        written = rope_written(
            rope_type="yarn",
            factor=2.0,
            beta_fast=16.0,
            attention_factor=1.5,
            truncate=False,
        )

        assert (16.0, 1.5, False) == (
            written["beta_fast"],
            written["attention_factor"],
            written["truncate"],
        )
        assert "beta_slow" not in written
        assert "mscale" not in written

    def test_factor_is_written_even_at_one_where_required(self):
        """transformers requires linear's factor; longrope's only scales."""
        assert 1.0 == rope_written(rope_type="linear")["factor"]
        longrope = rope_written(
            rope_type="longrope",
            short_factor=[1.0] * 64,
            long_factor=[2.0] * 64,
        )
        assert "factor" not in longrope
        assert [2.0] * 64 == longrope["long_factor"]

    def test_llama3_writes_its_frequency_bounds(self):
        """llama3 requires low_freq_factor and high_freq_factor, defaults or not."""
        written = rope_written(
            rope_type="llama3",
            factor=8.0,
            original_max_position_embeddings=8192,
        )

        assert (8.0, 8192, 1.0, 4.0) == (
            written["factor"],
            written["original_max_position_embeddings"],
            written["low_freq_factor"],
            written["high_freq_factor"],
        )

    def test_qwen2_layouts_say_type(self):
        """A Qwen2 export spells the scaled type as its released files do."""
        config = apply_updates(
            import_hf_config(QWEN2_5_VL).config,
            {"rope_scaling_config": {"rope_type": "dynamic", "factor": 2.0}},
        )

        assert {
            "type": "dynamic",
            "mrope_section": [16, 24, 24],
            "factor": 2.0,
        } == config.to_hf_dict()["rope_scaling"]


class TestTokensAndDtype:
    def test_qwen3_reads_and_writes_them_in_text_config(self):
        """Qwen3-VL keeps the ids and dtype in text_config; the dtype at the top too."""
        data = real(QWEN3_8B)
        data["text_config"].update(
            bos_token_id=1, eos_token_id=2, dtype="float16"
        )

        config = import_hf_config(data).config
        written = config.to_hf_dict()

        assert (1, 2, "float16") == (
            config.bos_token_id,
            config.eos_token_id,
            config.dtype,
        )
        assert (1, 2, "float16") == tuple(
            written["text_config"][k]
            for k in ("bos_token_id", "eos_token_id", "dtype")
        )
        assert "float16" == written["dtype"]
        assert "bos_token_id" not in written

    def test_qwen2_writes_them_at_the_top(self):
        """Qwen2 files keep the ids and torch_dtype at the top, as released."""
        written = import_hf_config(real(AWQ)).config.to_hf_dict()

        assert (151643, 151645, "float16") == (
            written["bos_token_id"],
            written["eos_token_id"],
            written["torch_dtype"],
        )

    def test_legacy_torch_dtype_reads_as_dtype(self):
        """torch_dtype is transformers 4's name for dtype."""
        data = real(QWEN3_8B)
        data["text_config"]["torch_dtype"] = data["text_config"].pop("dtype")
        data["text_config"]["torch_dtype"] = "float32"

        assert "float32" == import_hf_config(data).config.dtype

    def test_dtype_copies_that_disagree_are_a_problem(self):
        """A top-level dtype other than text_config's is refused, naming both."""
        data = real(MOE)
        data["dtype"] = "float16"

        found = problem_of(data)

        assert "dtype" == found.path
        assert (
            "'float16' where text_config.dtype says 'bfloat16'"
            in found.message
        )

    def test_a_list_of_end_tokens_is_a_clear_problem(self):
        """eos_token_id holds one id; a list is refused with what to do."""
        data = real(QWEN3_8B)
        data["text_config"]["eos_token_id"] = [151645, 151643]

        found = problem_of(data)

        assert "text_config.eos_token_id" == found.path
        assert "lists 2 token ids" in found.message
        assert "generation_config.json" in found.message

    def test_no_dtype_is_taken_as_bfloat16(self):
        """A file without a dtype imports as bfloat16, noted."""
        report = import_hf_config(
            real("transformers-tests-qwen2_vl.config.json")
        )

        assert "bfloat16" == report.config.dtype
        assert any("names no dtype" in n for n in report.notes)

    def test_vision_dtype_copy(self):
        """A vision part with the model's dtype is ignored, another is reported."""
        data = real(OLMOCR)
        assert "vision_config.torch_dtype" in import_hf_config(data).ignored

        data["vision_config"]["torch_dtype"] = "float32"
        with pytest.warns(
            UnmappedKeyWarning, match="vision_config.torch_dtype"
        ):
            import_hf_config(data)


# -- quantization_config --------------------------------------------------

#: quantization_config mappings as their tools write them.
FP8 = {
    "activation_scheme": "dynamic",
    "modules_to_not_convert": ["lm_head", "model.visual.merger"],
    "quant_method": "fp8",
    "weight_block_size": [128, 128],
}
GPTQ = {
    "bits": 4,
    "checkpoint_format": "gptq",
    "damp_percent": 0.01,
    "desc_act": False,
    "group_size": 128,
    "model_file_base_name": None,
    "quant_method": "gptq",
    "static_groups": False,
    "sym": True,
    "true_sequential": True,
}
BNB = {
    "_load_in_4bit": True,
    "_load_in_8bit": False,
    "bnb_4bit_compute_dtype": "bfloat16",
    "bnb_4bit_quant_storage": "uint8",
    "bnb_4bit_quant_type": "nf4",
    "bnb_4bit_use_double_quant": True,
    "llm_int8_enable_fp32_cpu_offload": False,
    "llm_int8_has_fp16_weight": False,
    "llm_int8_skip_modules": None,
    "llm_int8_threshold": 6.0,
    "load_in_4bit": True,
    "load_in_8bit": False,
    "quant_method": "bitsandbytes",
}


def quantized(
    quantization: dict[str, Any], name: str = QWEN3_8B
) -> dict[str, Any]:
    """A real file with `quantization` as its quantization_config."""
    data = real(name)
    data["quantization_config"] = copy.deepcopy(quantization)
    return data


def section_of(quantization: dict[str, Any]) -> QuantizationConfig:
    """The section that importing `quantization` gives."""
    return import_hf_config(quantized(quantization)).config.quantization_config


def written_back(quantization: dict[str, Any]) -> Any:
    """The quantization_config that import and export give back."""
    config = import_hf_config(quantized(quantization)).config
    return config.to_hf_dict()["quantization_config"]


class TestQuantization:
    def test_awq_real_file(self):
        """Qwen2-VL-2B-AWQ: 4 bits in groups of 128, the vision tower kept."""
        q = import_hf_config(real(AWQ)).config.quantization_config

        assert ("awq", 4, 128, ("visual",)) == (
            q.method,
            q.bits,
            q.group_size,
            q.modules_to_not_convert,
        )
        assert {"version": "gemm", "zero_point": True} == json.loads(q.extra)

    def test_compressed_tensors_real_file(self):
        """olmOCR's FP8 scheme: 8 bits per channel, the ignore list kept."""
        q = import_hf_config(real(OLMOCR)).config.quantization_config

        assert ("compressed-tensors", 8, 0, 163) == (
            q.method,
            q.bits,
            q.group_size,
            len(q.modules_to_not_convert),
        )
        assert "lm_head" == q.modules_to_not_convert[-1]
        assert [
            "config_groups",
            "format",
            "global_compression_ratio",
            "kv_cache_scheme",
            "quantization_status",
        ] == list(json.loads(q.extra))

    @pytest.mark.parametrize("name", QUANTIZED)
    def test_real_files_come_back_equal(self, name):
        """A real quantized file's quantization_config is exported equal."""
        original = real(name)

        written = import_hf_config(original).config.to_hf_dict()

        assert (
            original["quantization_config"] == written["quantization_config"]
        )

    def test_fp8(self):
        """FP8 is 8 bits in 128 x 128 blocks, with its modules kept."""
        q = section_of(FP8)

        assert ("fp8", 8, 0, (128, 128)) == (
            q.method,
            q.bits,
            q.group_size,
            q.weight_block_size,
        )
        assert ("lm_head", "model.visual.merger") == q.modules_to_not_convert
        assert FP8 == written_back(FP8)

    def test_gptq(self):
        """GPTQ's bits and group size are fields; the rest is extra."""
        q = section_of(GPTQ)

        assert ("gptq", 4, 128, ()) == (
            q.method,
            q.bits,
            q.group_size,
            q.modules_to_not_convert,
        )
        assert GPTQ == written_back(GPTQ)

    def test_bitsandbytes(self):
        """The 4-bit flags give the bits; a null skip list stays null."""
        q = section_of(BNB)

        assert ("bitsandbytes", 4, ()) == (
            q.method,
            q.bits,
            q.modules_to_not_convert,
        )
        assert BNB == written_back(BNB)

    def test_bitsandbytes_flags_follow_the_bits(self):
        """Changing bits to 8 rewrites every flag the file had."""
        config = apply_updates(
            import_hf_config(quantized(BNB)).config,
            {"quantization_config.bits": 8},
        )

        written = config.to_hf_dict()["quantization_config"]

        assert (False, False, True, True) == tuple(
            written[k]
            for k in (
                "load_in_4bit",
                "_load_in_4bit",
                "load_in_8bit",
                "_load_in_8bit",
            )
        )

    def test_bitsandbytes_with_one_flag(self):
        """An old file with only load_in_8bit comes back with only that."""
        old = {"load_in_8bit": True, "quant_method": "bitsandbytes"}

        assert 8 == section_of(old).bits
        assert old == written_back(old)

    @pytest.mark.parametrize(
        "flags",
        [
            {"load_in_4bit": True, "load_in_8bit": True},
            {"load_in_4bit": False},
            {"load_in_4bit": True, "_load_in_4bit": False},
        ],
    )
    def test_bitsandbytes_flags_must_name_one_width(self, flags):
        """Both widths, none, or two spellings that disagree: a problem."""
        found = problem_of(
            quantized({"quant_method": "bitsandbytes", **flags})
        )

        assert found.path.startswith("quantization_config.")

    def test_autoawq_spellings(self):
        """w_bit and q_group_size read as bits and group_size, noted."""
        report = import_hf_config(
            quantized(
                {
                    "quant_method": "awq",
                    "w_bit": 4,
                    "q_group_size": 64,
                    "version": "GEMM",
                }
            )
        )
        q = report.config.quantization_config

        assert (4, 64) == (q.bits, q.group_size)
        assert any("w_bit is read as bits" in n for n in report.notes)
        assert {
            "bits": 4,
            "group_size": 64,
            "quant_method": "awq",
            "version": "GEMM",
        } == (report.config.to_hf_dict()["quantization_config"])

    def test_two_spellings_that_disagree(self):
        """bits 4 beside w_bit 8 is a problem at the second key."""
        found = problem_of(
            quantized({"quant_method": "awq", "bits": 4, "w_bit": 8})
        )

        assert "quantization_config.w_bit" == found.path

    def test_awq_defaults(self):
        """An AWQ file without bits or group size takes transformers' 4 and 128."""
        q = section_of({"quant_method": "awq"})

        assert (4, 128) == (q.bits, q.group_size)

    def test_compressed_tensors_schemes_must_agree(self):
        """Two schemes with different bits cannot be one section: a problem."""
        data = real(OLMOCR)
        groups = data["quantization_config"]["config_groups"]
        groups["group_1"] = copy.deepcopy(groups["group_0"])
        groups["group_1"]["weights"]["num_bits"] = 4

        found = problem_of(data)

        assert (
            "quantization_config.config_groups.group_1.weights.num_bits"
            == found.path
        )
        assert "group_0.weights.num_bits is 8" in found.message

    def test_compressed_tensors_needs_a_weights_scheme(self):
        """Without quantized weights there is no bits value to hold."""
        found = problem_of(
            quantized(
                {"quant_method": "compressed-tensors", "format": "dense"}
            )
        )

        assert "quantization_config.config_groups" == found.path

    def test_compressed_tensors_bits_are_written_into_the_schemes(self):
        """The section's bits and group size are the weights' on export."""
        config = apply_updates(
            import_hf_config(real(OLMOCR)).config,
            {"quantization_config": {"bits": 4, "group_size": 128}},
        )

        weights = config.to_hf_dict()["quantization_config"]["config_groups"][
            "group_0"
        ]["weights"]

        assert (4, 128, "channel") == (
            weights["num_bits"],
            weights["group_size"],
            weights["strategy"],
        )

    def test_compressed_tensors_without_schemes_gets_one(self):
        """A section built by hand exports a scheme that imports back."""
        config = Qwen3VLConfig(
            quantization_config=QuantizationConfig(
                method="compressed-tensors", bits=4, group_size=128
            )
        )

        written = config.to_hf_dict()

        assert {
            "group_0": {
                "targets": ["Linear"],
                "weights": {"num_bits": 4, "group_size": 128},
            }
        } == written["quantization_config"]["config_groups"]
        again = import_hf_config(written).config.quantization_config
        assert (4, 128) == (again.bits, again.group_size)

    @pytest.mark.parametrize("method", [None, "hqq", 3])
    def test_unknown_quant_method(self, method):
        """A method with no section is refused, listing the known ones."""
        found = problem_of(quantized({"quant_method": method, "bits": 4}))

        assert "quantization_config.quant_method" == found.path
        assert (
            "'fp8', 'awq', 'gptq', 'bitsandbytes', 'compressed-tensors'"
            in (found.message)
        )

    def test_quantization_config_must_be_a_mapping(self):
        """A list there is a problem at its key."""
        data = real(QWEN3_8B)
        data["quantization_config"] = ["fp8"]

        assert "quantization_config" == problem_of(data).path

    def test_bad_values_name_the_file_key(self):
        """A weight block of three numbers is refused at the file's key."""
        found = problem_of(quantized({**FP8, "weight_block_size": [1, 2, 3]}))

        assert "quantization_config.weight_block_size" == found.path

    def test_unquantized_export_has_none(self):
        """method none writes no quantization_config."""
        assert "quantization_config" not in Qwen3VLConfig().to_hf_dict()


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
        name=st.sampled_from(HF_FILES),
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

    @pytest.mark.parametrize(
        "key", ["patch_size", "spatial_merge_size", "depth"]
    )
    def test_a_bad_qwen2_5_vl_vision_value_is_a_config_error(self, key):
        """A Qwen2.5-VL vision value of the wrong type is a ConfigError."""
        data = real(QWEN2_5_7B)
        data["vision_config"][key] = []

        assert isinstance(_import_quietly(data), ConfigError)


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


class TestOurOwnConfigJson:
    """Issue 15: a config.json of our own format in a model folder."""

    def test_from_pretrained_reads_it_as_ours(self, tmp_path):
        """Our saved config.json is read as it is, not imported."""
        # Imported as Hugging Face's, this file failed with rules about
        # quant_method and vision_config.out_hidden_size.
        Qwen3VLConfig().save_to_file(tmp_path / "config.json")

        assert Qwen3VLConfig() == Qwen3VLConfig.from_pretrained(tmp_path)

    def test_from_pretrained_reads_it_in_the_cache_too(self, cache):
        """A cached snapshot's config.json of ours is read as ours."""
        saved = apply_updates(Qwen3VLConfig(), {"cpu_config.num_workers": 1})
        make_cache(cache, data=saved.to_dict())

        assert saved == Qwen3VLConfig.from_pretrained(MODEL_ID)

    def test_import_hf_config_says_it_is_ours(self, tmp_path):
        """import_hf_config wants a Hugging Face file and says what it got."""
        Qwen3VLConfig().save_to_file(tmp_path / "config.json")

        with pytest.raises(ConfigError, match="not a Hugging Face"):
            import_hf_config(tmp_path)

    @pytest.mark.parametrize(
        ("data", "ours"),
        [
            ({"config_version": 1}, True),
            ({"config_version": 1, "hidden_size": 8}, True),
            ({"config_version": 1, "model_type": "qwen3_vl"}, False),
            ({"config_version": 1, "architectures": ["X"]}, False),
            ({"model_type": "qwen3_vl"}, False),
            ({"text_config": {}}, False),  # a Hugging Face file, guessed
            ({"hidden_size": 8}, False),  # our old layout: not told apart
            ([1], False),
        ],
    )
    def test_the_rule(self, data, ours):
        """Ours says its config_version and neither model_type nor architectures."""
        from qwen3vl.huggingface._cache import is_own_config

        assert ours is is_own_config(data)

    def test_a_hugging_face_file_is_still_imported(self, tmp_path):
        """A real config.json is still a Hugging Face file."""
        write_json(tmp_path / "config.json", real(DENSE))

        assert import_hf_config(real(DENSE)).config == (
            Qwen3VLConfig.from_pretrained(tmp_path)
        )

    def test_our_named_file_is_preferred_without_reading_config_json(
        self, tmp_path
    ):
        """Beside qwen3vl.toml, from_pretrained does not read config.json."""
        saved = Qwen3VLConfig(optimization_level="minimal")
        saved.save_to_file(tmp_path / "qwen3vl.toml")
        os.mkfifo(tmp_path / "config.json")  # reading it would be refused

        assert saved == Qwen3VLConfig.from_pretrained(tmp_path)

    def test_two_files_of_ours_for_a_model_are_ambiguous(self, tmp_path):
        """qwen3vl.toml and a config.json of ours: which one is meant?"""
        from qwen3vl.huggingface._cache import locate_model

        Qwen3VLConfig().save_to_file(tmp_path / "qwen3vl.toml")
        Qwen3VLConfig().save_to_file(tmp_path / "config.json")

        with pytest.raises(ConfigError, match="keep one"):
            locate_model(tmp_path)

    def test_locate_model_finds_both_files(self, tmp_path):
        """For load_config(model=), a folder gives config.json and ours."""
        from qwen3vl.huggingface._cache import ModelFiles, locate_model

        write_json(tmp_path / "config.json", real(DENSE))
        Qwen3VLConfig().save_to_file(tmp_path / "qwen3vl.yml")

        assert ModelFiles(
            hf=str(tmp_path / "config.json"), own=str(tmp_path / "qwen3vl.yml")
        ) == locate_model(tmp_path)

    @pytest.mark.parametrize(
        ("name", "kind"),
        [("config.json", "hf"), ("ours.json", "own"), ("ours.toml", "own")],
    )
    def test_locate_model_takes_a_file(self, tmp_path, name, kind):
        """A file is a model's config.json or ours, by what it holds."""
        from qwen3vl.huggingface._cache import locate_model

        path = tmp_path / name
        if name == "config.json":
            write_json(path, real(DENSE))
        else:
            Qwen3VLConfig().save_to_file(path)

        files = locate_model(path)

        assert str(path) == getattr(files, kind)
        assert None is getattr(files, "own" if kind == "hf" else "hf")

    def test_locate_model_checks_every_cached_file(self, cache):
        """Our file in a snapshot that links outside the cache is refused."""
        from qwen3vl.huggingface._cache import locate_model

        repo = make_cache(cache)
        outside = cache.parent / "elsewhere.toml"
        Qwen3VLConfig().save_to_file(outside)
        (repo / "snapshots" / COMMIT / "qwen3vl.toml").symlink_to(outside)

        with pytest.raises(ConfigError, match="outside the model's cache"):
            locate_model(MODEL_ID)

    def test_no_such_file_or_folder_for_a_model(self, tmp_path):
        """locate_model's message names files, as it takes them."""
        from qwen3vl.huggingface._cache import locate_model

        with pytest.raises(ConfigError, match="no such file or folder"):
            locate_model(str(tmp_path / "x" / "y" / "z"))
