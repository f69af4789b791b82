"""
Interoperability with transformers: its AutoConfig reads what we write.

Every test here is marked ``interop`` and deselected by default (see
``addopts`` in pyproject.toml); ``nox -s interop`` installs transformers
(no torch: its config classes do not need it) and runs them.
"""

from __future__ import annotations

import copy
import json
import pathlib
import warnings

from types import ModuleType
from typing import Any

import pytest

from hypothesis import given
from qwen3vl import (
    OptimizationConfig,
    Qwen3VLConfig,
    UnmappedKeyWarning,
    import_hf_config,
)

import strategies

from helpers import DENSE, MOE, QWEN2_5_VL, QWEN2_VL, SLOW_EXAMPLES, real


pytestmark = pytest.mark.interop


def rope_of(text: Any) -> tuple[float, list[int], bool]:
    """Return (theta, mrope sections, interleaved) as transformers holds them."""
    merged = {
        **(getattr(text, "rope_scaling", None) or {}),
        **(getattr(text, "rope_parameters", None) or {}),
    }
    theta = merged.get("rope_theta", getattr(text, "rope_theta", None))
    return (
        float(theta),
        # Qwen3-VL's modeling code falls back to these sections.
        list(merged.get("mrope_section", [24, 20, 20])),
        # Qwen3-VL's modeling code always interleaves the sections.
        bool(merged.get("mrope_interleaved", True)),
    )


def numbers_of(hf: Any) -> dict[str, Any]:
    """The architecture numbers of a transformers Qwen3-VL(-MoE) config."""
    text, vision = hf.text_config, hf.vision_config
    theta, sections, interleaved = rope_of(text)
    found = {
        "class": type(hf).__name__,
        "num_hidden_layers": text.num_hidden_layers,
        "num_attention_heads": text.num_attention_heads,
        "num_key_value_heads": text.num_key_value_heads,
        "head_dim": text.head_dim,
        "hidden_size": text.hidden_size,
        "intermediate_size": text.intermediate_size,
        "vocab_size": text.vocab_size,
        "max_position_embeddings": text.max_position_embeddings,
        "hidden_act": text.hidden_act,
        "rms_norm_eps": text.rms_norm_eps,
        "attention_bias": text.attention_bias,
        "rope_theta": theta,
        "mrope_section": sections,
        "mrope_interleaved": interleaved,
        "tie_word_embeddings": hf.tie_word_embeddings,
        "vision_num_hidden_layers": vision.depth,
        "vision_num_attention_heads": vision.num_heads,
        "vision_hidden_size": vision.hidden_size,
        "vision_intermediate_size": vision.intermediate_size,
        "vision_out_hidden_size": vision.out_hidden_size,
        "vision_patch_size": vision.patch_size,
        "vision_spatial_merge_size": vision.spatial_merge_size,
        "vision_temporal_patch_size": vision.temporal_patch_size,
        "vision_in_channels": vision.in_channels,
        "vision_num_position_embeddings": vision.num_position_embeddings,
        "vision_hidden_act": vision.hidden_act,
        "vision_deepstack_visual_indexes": list(
            vision.deepstack_visual_indexes
        ),
        "image_token_id": hf.image_token_id,
        "video_token_id": hf.video_token_id,
        "vision_start_token_id": hf.vision_start_token_id,
        "vision_end_token_id": hf.vision_end_token_id,
    }
    if "Moe" in found["class"]:
        found.update(
            {
                "num_experts": text.num_experts,
                "num_experts_per_tok": text.num_experts_per_tok,
                "moe_intermediate_size": text.moe_intermediate_size,
                "decoder_sparse_step": text.decoder_sparse_step,
                "mlp_only_layers": list(text.mlp_only_layers),
            }
        )
    return found


def ours(config: Qwen3VLConfig) -> dict[str, Any]:
    """The same numbers, read from our config."""
    data = config.to_dict()
    moe = config.num_experts > 0
    found = {
        "class": "Qwen3VLMoeConfig" if moe else "Qwen3VLConfig",
        **{
            key: data[key]
            for key in (
                "num_hidden_layers",
                "num_attention_heads",
                "head_dim",
                "hidden_size",
                "intermediate_size",
                "vocab_size",
                "max_position_embeddings",
                "hidden_act",
                "rms_norm_eps",
                "attention_bias",
                "rope_theta",
                "mrope_section",
                "mrope_interleaved",
                "tie_word_embeddings",
                "vision_num_hidden_layers",
                "vision_num_attention_heads",
                "vision_hidden_size",
                "vision_intermediate_size",
                "vision_patch_size",
                "vision_spatial_merge_size",
                "vision_temporal_patch_size",
                "vision_in_channels",
                "vision_num_position_embeddings",
                "vision_hidden_act",
                "vision_deepstack_visual_indexes",
                "image_token_id",
                "video_token_id",
                "vision_start_token_id",
                "vision_end_token_id",
            )
        },
        "num_key_value_heads": config.num_key_value_heads
        or config.num_attention_heads,
        "vision_out_hidden_size": config.vision_out_hidden_size
        or config.hidden_size,
    }
    if moe:
        found.update(
            {
                key: data[key]
                for key in (
                    "num_experts",
                    "num_experts_per_tok",
                    "moe_intermediate_size",
                    "decoder_sparse_step",
                    "mlp_only_layers",
                )
            }
        )
    return found


def load_folder(transformers: ModuleType, folder: pathlib.Path) -> Any:
    """AutoConfig.from_pretrained on a local folder, quietly."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return transformers.AutoConfig.from_pretrained(str(folder))


def for_model(transformers: ModuleType, data: dict[str, Any]) -> Any:
    """AutoConfig.for_model on a config.json dict, quietly."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return transformers.AutoConfig.for_model(**copy.deepcopy(data))


def write(folder: pathlib.Path, data: dict[str, Any]) -> pathlib.Path:
    """Write `data` as folder/config.json; return the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.json").write_text(json.dumps(data), encoding="utf-8")
    return folder


class TestRealFiles:
    @pytest.mark.parametrize("name", [DENSE, MOE])
    def test_import_reads_what_transformers_reads(
        self, transformers, tmp_path, name
    ):
        """Our import of a real file has transformers' architecture numbers."""
        theirs = load_folder(transformers, write(tmp_path, real(name)))

        imported = import_hf_config(real(name)).config

        assert numbers_of(theirs) == ours(imported)

    @pytest.mark.parametrize("name", [DENSE, MOE])
    def test_exported_file_loads_to_the_same_architecture(
        self, transformers, tmp_path, name
    ):
        """to_hf_dict, saved as config.json, loads like the original file."""
        original = load_folder(transformers, write(tmp_path / "a", real(name)))
        exported = import_hf_config(real(name)).config.to_hf_dict()

        loaded = load_folder(transformers, write(tmp_path / "b", exported))

        assert numbers_of(original) == numbers_of(loaded)

    @pytest.mark.parametrize("name", [DENSE, MOE])
    def test_files_saved_by_transformers_import_the_same(
        self, transformers, tmp_path, name
    ):
        """transformers' own save (its current layout) imports equally."""
        theirs = load_folder(transformers, write(tmp_path / "a", real(name)))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            theirs.save_pretrained(str(tmp_path / "saved"))

        again = Qwen3VLConfig.from_pretrained(tmp_path / "saved")

        assert import_hf_config(real(name)).config == again


class TestExport:
    def test_default_config(self, transformers):
        """The specification's model exports to a config transformers reads."""
        config = Qwen3VLConfig()

        assert ours(config) == numbers_of(
            for_model(transformers, config.to_hf_dict())
        )

    def test_moe_config(self, transformers):
        """A mixture-of-experts config exports to Qwen3-VL-MoE."""
        config = Qwen3VLConfig(
            num_experts=16,
            num_experts_per_tok=4,
            moe_intermediate_size=1024,
            mlp_only_layers=(0, 31),
            decoder_sparse_step=2,
            optimization_config=OptimizationConfig(
                moe_num_experts=16, moe_top_k=4
            ),
        )

        assert ours(config) == numbers_of(
            for_model(transformers, config.to_hf_dict())
        )

    @SLOW_EXAMPLES
    @given(config=strategies.qwen3vl_configs())
    def test_any_config(self, transformers, config):
        """Every valid config exports to one with the same numbers."""
        assert ours(config) == numbers_of(
            for_model(transformers, config.to_hf_dict())
        )


class TestQwen2Layouts:
    def test_qwen2_5_vl_reads_as_transformers_reads_it(self, transformers):
        """Our Qwen2.5-VL mapping agrees with transformers' config class."""
        theirs = for_model(transformers, QWEN2_5_VL)
        with pytest.warns(UnmappedKeyWarning):
            c = import_hf_config(QWEN2_5_VL).config
        text, vision = theirs.text_config, theirs.vision_config

        assert (
            text.num_hidden_layers,
            text.num_attention_heads,
            text.num_key_value_heads,
            text.hidden_size,
            text.intermediate_size,
            text.vocab_size,
            text.rms_norm_eps,
            rope_of(text)[:2],
            vision.depth,
            vision.num_heads,
            vision.hidden_size,
            vision.intermediate_size,
            vision.out_hidden_size,
            vision.patch_size,
            vision.hidden_act,
            vision.in_channels,
        ) == (
            c.num_hidden_layers,
            c.num_attention_heads,
            c.num_key_value_heads,
            c.hidden_size,
            c.intermediate_size,
            c.vocab_size,
            c.rms_norm_eps,
            (c.rope_theta, list(c.mrope_section)),
            c.vision_num_hidden_layers,
            c.vision_num_attention_heads,
            c.vision_hidden_size,
            c.vision_intermediate_size,
            c.vision_out_hidden_size,
            c.vision_patch_size,
            c.vision_hidden_act,
            c.vision_in_channels,
        )

    def test_qwen2_vl_reads_as_transformers_reads_it(self, transformers):
        """Our Qwen2-VL mapping (embed_dim, mlp_ratio) agrees with transformers."""
        theirs = for_model(transformers, QWEN2_VL)
        c = import_hf_config(QWEN2_VL).config
        text, vision = theirs.text_config, theirs.vision_config

        assert (
            text.num_hidden_layers,
            text.num_attention_heads,
            text.num_key_value_heads,
            text.hidden_size,
            rope_of(text)[:2],
            theirs.tie_word_embeddings,
            vision.depth,
            vision.embed_dim,
            int(vision.embed_dim * vision.mlp_ratio),
            vision.hidden_size,
            vision.hidden_act,
            vision.in_channels,
        ) == (
            c.num_hidden_layers,
            c.num_attention_heads,
            c.num_key_value_heads,
            c.hidden_size,
            (c.rope_theta, list(c.mrope_section)),
            c.tie_word_embeddings,
            c.vision_num_hidden_layers,
            c.vision_hidden_size,
            c.vision_intermediate_size,
            c.vision_out_hidden_size,
            c.vision_hidden_act,
            c.vision_in_channels,
        )

    def test_missing_keys_take_transformers_defaults(self, transformers):
        """A sparse file means the same here as in transformers."""
        data: dict[str, Any] = {
            "model_type": "qwen3_vl",
            "text_config": {
                "hidden_size": 3584,
                "num_attention_heads": 28,
                "num_key_value_heads": 4,
            },
        }
        theirs = for_model(transformers, data)

        c = import_hf_config(data).config

        assert numbers_of(theirs) == ours(c)
