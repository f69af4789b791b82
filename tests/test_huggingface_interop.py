"""
Interoperability with transformers: its AutoConfig reads what we read and write.

Every test here is marked ``interop`` and deselected by default (see
``addopts`` in pyproject.toml); ``nox -s interop`` installs transformers
and runs them.
"""

from __future__ import annotations

import copy
import json
import pathlib
import re
import warnings

from types import ModuleType
from typing import Any

import pytest

from hypothesis import given
from qwen3vl import (
    OptimizationConfig,
    Qwen3VLConfig,
    RopeScalingConfig,
    import_hf_config,
)
from qwen3vl._sections.rope import ROPE_PARAMETERS

import strategies

from helpers import (
    HF_FILES,
    QUANTIZED,
    REFUSED,
    SLOW_EXAMPLES,
    readable,
    real,
    refusal,
)


pytestmark = pytest.mark.interop

#: The model class of each layout.
CLASSES = {
    "qwen3_vl": "Qwen3VLForConditionalGeneration",
    "qwen3_vl_moe": "Qwen3VLMoeForConditionalGeneration",
    "qwen2_5_vl": "Qwen2_5_VLForConditionalGeneration",
    "qwen2_vl": "Qwen2VLForConditionalGeneration",
}
QWEN3 = ("qwen3_vl", "qwen3_vl_moe")

ORIGINAL = "original_max_position_embeddings"

#: What a rope parameter left out means: RopeScalingConfig's value for it.
ROPE_UNSET = {
    name: value
    for name, value in RopeScalingConfig().to_dict().items()
    if name != "rope_type"
}


def rope_numbers(text: Any, layout: str) -> dict[str, Any]:
    """The RoPE of a transformers text config, as our fields say it."""
    rope = dict(getattr(text, "rope_parameters", None) or {})
    kind = rope.get("rope_type", "default")
    # Each modeling file's own fallback when the dict names no sections.
    sections = [24, 20, 20] if layout in QWEN3 else [16, 24, 24]
    return {
        "rope_theta": float(rope["rope_theta"]),
        "mrope_section": list(rope.get("mrope_section", sections)),
        # Qwen3-VL's modeling code always interleaves (vLLM reads the key);
        # Qwen2's never does.
        "mrope_interleaved": layout in QWEN3
        and bool(rope.get("mrope_interleaved", True)),
        "rope_type": kind,
        "rope_parameters": {
            name: (
                ROPE_UNSET[name]
                if rope.get(name) is None
                else list(rope[name])
                if isinstance(rope[name], (list, tuple))
                else rope[name]
            )
            for name in ROPE_PARAMETERS[kind]
        },
    }


def vision_numbers(vision: Any, layout: str) -> dict[str, Any]:
    """The vision tower of a transformers config, as our fields say it."""
    found = {
        "vision_num_hidden_layers": vision.depth,
        "vision_num_attention_heads": vision.num_heads,
        "vision_patch_size": vision.patch_size,
        "vision_spatial_merge_size": vision.spatial_merge_size,
        "vision_temporal_patch_size": vision.temporal_patch_size,
        "vision_in_channels": vision.in_channels,
        "vision_hidden_act": vision.hidden_act,
    }
    if layout == "qwen2_vl":
        found.update(
            {
                "vision_hidden_size": vision.embed_dim,
                "vision_intermediate_size": int(
                    vision.embed_dim * vision.mlp_ratio
                ),
                "vision_out_hidden_size": vision.hidden_size,
            }
        )
        return found
    found.update(
        {
            "vision_hidden_size": vision.hidden_size,
            "vision_intermediate_size": vision.intermediate_size,
            "vision_out_hidden_size": vision.out_hidden_size,
        }
    )
    if layout == "qwen2_5_vl":
        found.update(
            {
                "vision_window_size": vision.window_size,
                # Indexes past the depth name no layer; transformers
                # never reaches them.
                "vision_fullatt_block_indexes": [
                    i for i in vision.fullatt_block_indexes if i < vision.depth
                ],
                "vision_tokens_per_second": vision.tokens_per_second,
            }
        )
    else:
        found.update(
            {
                "vision_num_position_embeddings": (
                    vision.num_position_embeddings
                ),
                "vision_deepstack_visual_indexes": list(
                    vision.deepstack_visual_indexes
                ),
            }
        )
    return found


def _or(value: Any, default: Any) -> Any:
    return default if value is None else value


def numbers_of(hf: Any) -> dict[str, Any]:
    """The architecture numbers of a transformers Qwen-VL config."""
    layout = hf.model_type
    text = hf.text_config
    heads = text.num_attention_heads
    dtype = hf.dtype or getattr(text, "dtype", None)
    found = {
        "model_type": layout,
        "num_hidden_layers": text.num_hidden_layers,
        "num_attention_heads": heads,
        "num_key_value_heads": text.num_key_value_heads,
        "head_dim": getattr(text, "head_dim", None)
        or text.hidden_size // heads,
        "hidden_size": text.hidden_size,
        "intermediate_size": text.intermediate_size,
        "vocab_size": text.vocab_size,
        "max_position_embeddings": text.max_position_embeddings,
        "hidden_act": text.hidden_act,
        "rms_norm_eps": text.rms_norm_eps,
        # Qwen2 attention always has query, key and value biases.
        "attention_bias": text.attention_bias if layout in QWEN3 else True,
        **rope_numbers(text, layout),
        "tie_word_embeddings": hf.tie_word_embeddings,
        "image_token_id": hf.image_token_id,
        "video_token_id": hf.video_token_id,
        "vision_start_token_id": hf.vision_start_token_id,
        "vision_end_token_id": hf.vision_end_token_id,
        # A file without them takes Qwen's ids.
        "bos_token_id": _or(getattr(text, "bos_token_id", None), 151643),
        "eos_token_id": _or(getattr(text, "eos_token_id", None), 151645),
        # A file without a dtype is imported as bfloat16.
        "dtype": str(dtype).removeprefix("torch.") if dtype else "bfloat16",
        **vision_numbers(hf.vision_config, layout),
    }
    if layout == "qwen3_vl_moe":
        found.update(
            {
                "num_experts": text.num_experts,
                "num_experts_per_tok": text.num_experts_per_tok,
                "moe_intermediate_size": text.moe_intermediate_size,
                "decoder_sparse_step": text.decoder_sparse_step,
                "mlp_only_layers": list(text.mlp_only_layers or []),
            }
        )
    return found


def layout_of(config: Qwen3VLConfig) -> str:
    """The layout that `config` exports to."""
    if config.model_family != "qwen3_vl":
        return config.model_family
    return "qwen3_vl_moe" if config.num_experts else "qwen3_vl"


def ours(config: Qwen3VLConfig) -> dict[str, Any]:
    """The same numbers, read from our config."""
    data = config.to_dict()
    layout = layout_of(config)
    rope = data["rope_scaling_config"]
    kind = rope["rope_type"]
    if kind in ("yarn", "longrope") and not rope[ORIGINAL]:
        # Not set: transformers takes the context the model has.
        rope = {**rope, ORIGINAL: config.max_position_embeddings}
    vision = {
        key: data[key]
        for key in (
            "vision_num_hidden_layers",
            "vision_num_attention_heads",
            "vision_patch_size",
            "vision_spatial_merge_size",
            "vision_temporal_patch_size",
            "vision_in_channels",
            "vision_hidden_act",
            "vision_hidden_size",
            "vision_intermediate_size",
        )
    }
    vision["vision_out_hidden_size"] = (
        config.vision_out_hidden_size or config.hidden_size
    )
    if layout == "qwen2_5_vl":
        for key in (
            "vision_window_size",
            "vision_fullatt_block_indexes",
            "vision_tokens_per_second",
        ):
            vision[key] = data[key]
    elif layout in QWEN3:
        for key in (
            "vision_num_position_embeddings",
            "vision_deepstack_visual_indexes",
        ):
            vision[key] = data[key]
    found = {
        "model_type": layout,
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
                "image_token_id",
                "video_token_id",
                "vision_start_token_id",
                "vision_end_token_id",
                "bos_token_id",
                "eos_token_id",
                "dtype",
            )
        },
        "num_key_value_heads": config.num_key_value_heads
        or config.num_attention_heads,
        "rope_type": kind,
        "rope_parameters": {
            name: rope[name] for name in ROPE_PARAMETERS[kind]
        },
        **vision,
    }
    if layout == "qwen3_vl_moe":
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


class TestEveryFile:
    @pytest.mark.parametrize("name", HF_FILES)
    def test_import_reads_what_transformers_reads(
        self, transformers, tmp_path, name
    ):
        """Our import of each file has transformers' architecture numbers."""
        theirs = load_folder(transformers, write(tmp_path, readable(name)))

        # filterwarnings=error: an UnmappedKeyWarning fails the test.
        imported = import_hf_config(readable(name)).config

        assert numbers_of(theirs) == ours(imported)

    @pytest.mark.parametrize("name", HF_FILES)
    def test_export_loads_to_the_same_architecture(
        self, transformers, tmp_path, name
    ):
        """to_hf_dict, read by AutoConfig.for_model, is the same model."""
        original = load_folder(transformers, write(tmp_path, readable(name)))
        config = import_hf_config(readable(name)).config

        loaded = for_model(transformers, config.to_hf_dict())

        assert original.model_type == loaded.model_type
        assert [CLASSES[loaded.model_type]] == loaded.architectures
        assert numbers_of(original) == numbers_of(loaded)
        assert ours(config) == numbers_of(loaded)

    @pytest.mark.parametrize("name", HF_FILES)
    def test_files_saved_by_transformers_import_the_same(
        self, transformers, tmp_path, name
    ):
        """transformers' own save (its current layout) imports equally."""
        theirs = load_folder(
            transformers, write(tmp_path / "a", readable(name))
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            theirs.save_pretrained(str(tmp_path / "saved"))

        again = Qwen3VLConfig.from_pretrained(tmp_path / "saved")

        assert import_hf_config(readable(name)).config == again

    @pytest.mark.parametrize("name", sorted(REFUSED))
    def test_refused_files_are_ones_transformers_reads(
        self, transformers, name
    ):
        """A tester config our rules refuse still loads in transformers."""
        path, message = REFUSED[name]

        e = refusal(import_hf_config, real(name))

        assert [path] == e.paths
        assert re.search(message, e.problems[0].message)
        assert (
            4 == for_model(transformers, real(name)).text_config.head_dim // 2
        )

    @pytest.mark.parametrize("name", QUANTIZED)
    def test_quantization_config_round_trips(self, transformers, name):
        """A quantized file's quantization_config comes back equal."""
        original = real(name)["quantization_config"]

        exported = import_hf_config(real(name)).config.to_hf_dict()

        assert original == exported["quantization_config"]
        assert original == (
            for_model(transformers, exported).quantization_config
        )


def yarn_qwen3_vl() -> dict[str, Any]:
    """Qwen3-VL-8B stretched four times with YaRN, to 1M positions."""
    data = real("Qwen3-VL-8B-Instruct.config.json")
    data["text_config"]["rope_scaling"].update(
        rope_type="yarn", factor=4, original_max_position_embeddings=262144
    )
    data["text_config"]["max_position_embeddings"] = 1048576
    return data


def yarn_qwen2_5_vl() -> dict[str, Any]:
    """Qwen2.5-VL-7B with the YaRN its model card gives for long inputs."""
    data = real("Qwen2.5-VL-7B-Instruct.config.json")
    data["rope_scaling"] = {
        "type": "yarn",
        "mrope_section": [16, 24, 24],
        "factor": 4,
        "original_max_position_embeddings": 32768,
    }
    data["max_position_embeddings"] = 131072
    return data


class TestRopeScaling:
    @pytest.mark.parametrize("make", [yarn_qwen3_vl, yarn_qwen2_5_vl])
    def test_yarn_survives_import_and_export(self, transformers, make):
        """YaRN's type and parameters reach AutoConfig through our export."""
        original = for_model(transformers, make())
        config = import_hf_config(make()).config

        loaded = for_model(transformers, config.to_hf_dict())

        rope = loaded.text_config.rope_parameters
        assert ("yarn", 4) == (rope["rope_type"], rope["factor"])
        assert numbers_of(original) == numbers_of(loaded) == ours(config)

    def test_yarn_reads_the_factor_and_context(self):
        """The YaRN file's numbers land in rope_scaling_config."""
        config = import_hf_config(yarn_qwen3_vl()).config

        assert ("yarn", 4.0, 262144, 1048576) == (
            config.rope_scaling_config.rope_type,
            config.rope_scaling_config.factor,
            config.rope_scaling_config.original_max_position_embeddings,
            config.max_position_embeddings,
        )

    @pytest.mark.parametrize("make", [yarn_qwen3_vl, yarn_qwen2_5_vl])
    def test_transformers_5_save_of_yarn_imports_the_same(
        self, transformers, tmp_path, make
    ):
        """The rope_parameters spelling of YaRN reads as rope_scaling does."""
        theirs = for_model(transformers, make())
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            theirs.save_pretrained(str(tmp_path))
        saved = json.loads((tmp_path / "config.json").read_text("utf-8"))
        assert "rope_parameters" in saved["text_config"]

        again = import_hf_config(saved).config

        assert import_hf_config(make()).config == again


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


class TestMissingKeys:
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

    @pytest.mark.parametrize("layout", ["qwen2_5_vl", "qwen2_vl"])
    def test_sparse_qwen2_files_take_transformers_defaults(
        self, transformers, layout
    ):
        """A sparse Qwen2 file (flat) means the same here as in transformers."""
        data: dict[str, Any] = {
            "model_type": layout,
            "hidden_size": 3584,
            "num_attention_heads": 28,
            "num_key_value_heads": 4,
        }
        theirs = for_model(transformers, data)

        c = import_hf_config(data).config

        assert numbers_of(theirs) == ours(c)
