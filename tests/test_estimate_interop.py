"""
estimate_memory against transformers' own Qwen-VL models.

Every test here is marked ``interop`` and runs in ``nox -s interop``, which
installs transformers and a CPU build of torch.  The models are built on the
meta device: their parameters have shapes but no storage, so even the 235B
model takes no memory and a fraction of a second.
"""

from __future__ import annotations

import warnings

from collections.abc import Callable, Iterable
from types import ModuleType
from typing import Any

import pytest

from qwen3vl import (
    MemoryEstimate,
    Qwen3VLConfig,
    estimate_memory,
    import_hf_config,
)

from helpers import (
    DATA,
    DENSE,
    MOE,
    SMALL_MOE,
    imported,
    qwen3_vl_8b,
    readable,
    real,
    small,
)
from test_estimate import quantized, small_family


pytestmark = pytest.mark.interop


def build(
    torch: ModuleType, transformers: ModuleType, data: dict[str, Any]
) -> Any:
    """Build the model a config.json describes, on the meta device."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        hf = transformers.AutoConfig.for_model(**data)
        with torch.device("meta"):
            return transformers.AutoModelForImageTextToText.from_config(hf)


def count(parameters: Iterable[Any]) -> int:
    """Count the values of some parameters (each shared one once)."""
    return sum(p.numel() for p in parameters)


def theirs(model: Any) -> dict[str, Any]:
    """The counts transformers' model reports, part by part."""
    text = model.model.language_model
    tied = model.lm_head.weight is text.embed_tokens.weight
    return {
        "total": count(model.parameters()),
        "text": count(text.parameters())
        + (0 if tied else model.lm_head.weight.numel()),
        "vision": count(model.model.visual.parameters()),
        "embedding": text.embed_tokens.weight.numel(),
        "layers": tuple(count(layer.parameters()) for layer in text.layers),
        "final_norm": count(text.norm.parameters()),
        "lm_head": 0 if tied else model.lm_head.weight.numel(),
        # Keys and values: the k_proj and v_proj outputs of every layer.
        "kv_values_per_token": sum(
            layer.self_attn.k_proj.out_features
            + layer.self_attn.v_proj.out_features
            for layer in text.layers
        ),
    }


def ours(e: MemoryEstimate) -> dict[str, Any]:
    """The same counts, from our estimate."""
    return {
        "total": e.total_params,
        "text": e.text_params,
        "vision": e.vision_params,
        "embedding": e.embedding_params,
        "layers": e.layer_params,
        "final_norm": e.final_norm_params,
        "lm_head": e.lm_head_params,
        "kv_values_per_token": e.kv_values_per_token,
    }


#: Configs to check, with the transformers class each must build.
CONFIGS: dict[str, tuple[Callable[[], Qwen3VLConfig], str]] = {
    "4b": (
        lambda: import_hf_config(real(DENSE)).config,
        "Qwen3VLForConditionalGeneration",
    ),
    "30b-a3b": (
        lambda: import_hf_config(real(MOE)).config,
        "Qwen3VLMoeForConditionalGeneration",
    ),
    "8b": (qwen3_vl_8b, "Qwen3VLForConditionalGeneration"),
    "default": (Qwen3VLConfig, "Qwen3VLForConditionalGeneration"),
    "small-moe": (
        lambda: small(**SMALL_MOE),
        "Qwen3VLMoeForConditionalGeneration",
    ),
    "small-moe-tied-bias": (
        lambda: small(
            **{**SMALL_MOE, "decoder_sparse_step": 1, "mlp_only_layers": ()},
            tie_word_embeddings=True,
            attention_bias=True,
        ),
        "Qwen3VLMoeForConditionalGeneration",
    ),
    "small-no-deepstack": (
        lambda: small(
            vision_deepstack_visual_indexes=(),
            vision_spatial_merge_size=1,
            num_key_value_heads=0,
        ),
        "Qwen3VLForConditionalGeneration",
    ),
}


class TestAgainstTransformers:
    @pytest.mark.parametrize("name", list(CONFIGS))
    def test_counts_match_the_exported_model(self, torch, transformers, name):
        """Every count equals that of the model to_hf_dict describes."""
        make, cls = CONFIGS[name]
        config = make()

        model = build(torch, transformers, config.to_hf_dict())

        assert cls == type(model).__name__
        assert theirs(model) == ours(estimate_memory(config))

    @pytest.mark.parametrize("name", [DENSE, MOE])
    def test_counts_match_the_released_file(self, torch, transformers, name):
        """Counts of an imported file equal those of the file's own model."""
        model = build(torch, transformers, real(name))

        estimate = estimate_memory(import_hf_config(real(name)).config)

        assert theirs(model) == ours(estimate)

    def test_qwen3_vl_8b_anchor(self, torch, transformers):
        """transformers' 8B model has the released 8,767,123,696 parameters."""
        model = build(torch, transformers, qwen3_vl_8b().to_hf_dict())

        assert 8_767_123_696 == count(model.parameters())

    def test_tied_model_shares_the_embedding(self, torch, transformers):
        """A tied model's output layer is its embedding matrix (counted once)."""
        model = build(torch, transformers, real(DENSE))
        text = model.model.language_model

        assert model.lm_head.weight is text.embed_tokens.weight


#: Every real config.json in tests/data/hf-configs.
FILES = sorted(path.name for path in DATA.glob("*.json"))


def original(name: str) -> dict[str, Any]:
    """
    The file as published, without its quantization_config.

    transformers' quantizers need a GPU to build a model; the parameter
    count does not depend on them.
    """
    data = readable(name)
    data.pop("quantization_config", None)
    return data


class TestEveryRealFile:
    @pytest.mark.parametrize("name", FILES)
    def test_imported_file_counts_match(self, torch, transformers, name):
        """Each file's own model, part by part, as its imported family counts."""
        model = build(torch, transformers, original(name))

        assert theirs(model) == ours(estimate_memory(imported(name)))

    @pytest.mark.parametrize("name", FILES)
    def test_exported_file_builds_the_same_model(
        self, torch, transformers, name
    ):
        """to_hf_dict gives the file's architecture and its counts."""
        config = imported(name)

        exported = build(torch, transformers, config.to_hf_dict())

        assert type(build(torch, transformers, original(name))) is type(
            exported
        )
        assert theirs(exported) == ours(estimate_memory(config))


class TestStoredFP8:
    @pytest.mark.parametrize(
        ("name", "skipped", "block"),
        [
            ("Qwen3-VL-8B-Instruct.config.json", ["model.visual"], [128, 128]),
            ("Qwen3-VL-30B-A3B-Instruct.config.json", ["visual"], [128, 128]),
            (
                "Qwen2.5-VL-7B-Instruct.config.json",
                ["model.visual"],
                [128, 128],
            ),
            ("Qwen2.5-VL-3B-Instruct.config.json", [], [128, 128]),
            ("Qwen2-VL-2B-Instruct.config.json", ["visual.blocks.3"], []),
        ],
    )
    def test_weight_bytes_match_transformers_fp8_model(
        self, torch, transformers, name, skipped, block
    ):
        """
        The bytes of transformers' FP8Linear/FP8Experts model on meta.

        transformers matches the names of its own modules only: it is given
        the ``model.visual`` spelling of the older checkpoints' ``visual``.
        """
        theirs_skipped = [
            f"model.{s}" if s.startswith("visual") else s for s in skipped
        ]
        fp8 = pytest.importorskip("transformers.integrations.finegrained_fp8")
        config = quantized(
            imported(name),
            method="fp8",
            bits=8,
            weight_block_size=block,
            modules_to_not_convert=skipped,
        )
        hf = transformers.AutoConfig.for_model(**original(name))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with torch.device("meta"):
                model = transformers.AutoModelForImageTextToText.from_config(
                    hf, dtype=torch.bfloat16
                )
            settings = transformers.FineGrainedFP8Config(
                weight_block_size=tuple(block) or None,
                modules_to_not_convert=[*theirs_skipped, "lm_head"],
            )
        # Loading makes the replaced modules' biases in the model's dtype.
        default = torch.get_default_dtype()
        torch.set_default_dtype(torch.bfloat16)
        try:
            fp8.replace_with_fp8_linear(
                model,
                modules_to_not_convert=[*theirs_skipped, "lm_head"],
                quantization_config=settings,
                pre_quantized=True,
            )
        finally:
            torch.set_default_dtype(default)

        assert (
            sum(p.numel() * p.element_size() for p in model.parameters())
            == estimate_memory(config).weight_bytes()
        )


#: Small models of each family, their token ids inside their vocabulary.
_IDS = {"bos_token_id": 1, "eos_token_id": 2}
MEASURED: dict[str, Callable[[], Qwen3VLConfig]] = {
    "qwen3_vl": lambda: small(**_IDS),
    "qwen3_vl_moe": lambda: small(**SMALL_MOE, **_IDS),
    "qwen2_5_vl": lambda: small_family("qwen2_5_vl", **_IDS),
    "qwen2_vl": lambda: small_family("qwen2_vl", **_IDS),
}


class TestMeasuredMemory:
    """
    The estimate against what a real model holds, not against a formula.

    A small model of each family is built on the CPU with real weights and
    runs a forward pass over B sequences of N tokens: the key/value tensors
    transformers' cache then holds, and the weights, take exactly the
    estimated bytes.
    """

    @pytest.mark.parametrize("family", MEASURED)
    @pytest.mark.parametrize(("batch", "tokens"), [(1, 16), (3, 37)])
    def test_kv_cache_and_weights_take_the_estimated_bytes(
        self, torch, transformers, family, batch, tokens
    ):
        """Cache and weight bytes after a forward pass equal the estimate."""
        config = MEASURED[family]()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            hf = transformers.AutoConfig.for_model(**config.to_hf_dict())
            model = transformers.AutoModelForImageTextToText.from_config(
                hf, dtype=torch.bfloat16
            ).eval()
            ids = torch.randint(3, config.vocab_size, (batch, tokens))
            with torch.no_grad():
                out = model(input_ids=ids, use_cache=True)
        cache = out.past_key_values
        held = [
            t for layer in cache.layers for t in (layer.keys, layer.values)
        ]
        e = estimate_memory(config, context_tokens=tokens, batch_size=batch)

        assert e.kv_cache_bytes("bf16") == sum(
            t.numel() * t.element_size() for t in held
        )
        assert e.weight_bytes() == sum(
            p.numel() * p.element_size() for p in model.parameters()
        )
