"""
qwen3vl.integrations.transformers against transformers, accelerate and torch.

Every test here is marked ``interop`` and runs in ``nox -s interop``, on the
CPU: a tiny Qwen3-VL is built, saved, and loaded back with part of it
offloaded to disk as its config's memory tiers say, and gives the logits of
the model held whole in memory.
"""

from __future__ import annotations

import contextlib
import io
import pathlib
import re

from types import ModuleType
from typing import Any

import pytest

from qwen3vl import GiB, Qwen3VLConfig, apply_updates, estimate_memory
from qwen3vl.integrations.transformers import (
    build_model,
    load_kwargs,
    to_transformers_config,
)

from helpers import (
    EMBEDDINGS,
    LAYER,
    ROOT,
    SERVED,
    SMALL_MOE,
    VISION,
    cpu_machine,
    gpu_machine,
    on_gpu,
    tiny,
)


pytestmark = pytest.mark.interop

#: Memory for the KV cache, the vision tower, the embeddings and two decoder
#: layers of the tiny model: the rest of it goes to disk.
SMALL = SERVED + VISION + EMBEDDINGS + 2 * LAYER

#: The models to load, with the transformers class each one is.
MODELS: dict[str, tuple[Qwen3VLConfig, str]] = {
    "dense": (tiny(), "Qwen3VLForConditionalGeneration"),
    "tied": (
        tiny(tie_word_embeddings=True),
        "Qwen3VLForConditionalGeneration",
    ),
    "moe": (tiny(**SMALL_MOE), "Qwen3VLMoeForConditionalGeneration"),
}


def squeezed(config: Qwen3VLConfig) -> Qwen3VLConfig:
    """The same model, with only `SMALL` bytes of memory for it."""
    return apply_updates(config, {"memory_config.cpu_memory_size": SMALL})


def image_and_text(torch: ModuleType, config: Qwen3VLConfig) -> dict[str, Any]:
    """
    One square image between the vision tokens, then text, as the model takes it.

    The image is ``vision_image_size`` pixels square, cut into patches of
    ``vision_patch_size`` pixels (each spanning the temporal patch's
    frames), which the vision tower merges ``spatial_merge_size`` square
    into one token each.
    """
    side = config.vision_image_size // config.vision_patch_size
    tokens = side**2 // config.vision_spatial_merge_size**2
    patch = (
        config.vision_in_channels
        * config.vision_temporal_patch_size
        * config.vision_patch_size**2
    )
    generator = torch.Generator().manual_seed(1)
    input_ids = torch.tensor(
        [
            [
                1,
                2,
                config.vision_start_token_id,
                *[config.image_token_id] * tokens,
                config.vision_end_token_id,
                5,
                6,
                7,
            ]
        ]
    )
    return {
        "input_ids": input_ids,
        "mm_token_type_ids": (input_ids == config.image_token_id).int(),
        "pixel_values": torch.rand(side**2, patch, generator=generator),
        "image_grid_thw": torch.tensor([[1, side, side]]),
    }


def logits(torch: ModuleType, model: Any, inputs: dict[str, Any]) -> Any:
    """The model's logits for `inputs`."""
    with torch.no_grad():
        return model(**inputs).logits


class TestLoad:
    @pytest.mark.parametrize("name", list(MODELS))
    def test_offloaded_model_gives_the_same_logits(
        self, torch, transformers, tmp_path, name
    ):
        """Loaded with load_kwargs, part on disk: the whole model's logits."""
        config, cls = MODELS[name]
        torch.manual_seed(0)
        whole = build_model(config, cpu_machine(GiB))
        whole.save_pretrained(tmp_path / "model")
        inputs = image_and_text(torch, config)

        kwargs = load_kwargs(
            squeezed(config),
            cpu_machine(SMALL),
            offload_folder=tmp_path / "offload",
        )
        model = transformers.AutoModelForImageTextToText.from_pretrained(
            tmp_path / "model", **kwargs
        )

        assert cls == type(model).__name__
        assert {"cpu", "disk"} == set(kwargs["device_map"].values())
        assert kwargs["device_map"] == model.hf_device_map
        assert torch.float32 == model.dtype
        assert "sdpa" == model.config._attn_implementation
        # Counted before any forward pass: accelerate's hooks give a tied
        # matrix on disk a second Parameter object once it has run.
        assert estimate_memory(config).total_params == model.num_parameters()
        assert torch.allclose(
            logits(torch, whole, inputs),
            logits(torch, model, inputs),
            atol=1e-5,
        )

    def test_eager_attention_is_what_transformers_uses(
        self, transformers, tmp_path
    ):
        """The attention load_kwargs names is the one the model runs."""
        config = tiny(gpu_config={"attention_implementation": "eager"})
        build_model(tiny(), cpu_machine(GiB)).save_pretrained(tmp_path)

        model = transformers.AutoModelForImageTextToText.from_pretrained(
            tmp_path, **load_kwargs(config, cpu_machine(GiB))
        )

        assert "eager" == model.config._attn_implementation


class TestBuildModel:
    def test_placed_by_the_plan_with_the_same_weights(self, torch, tmp_path):
        """build_model spreads the model over CPU and disk as load_kwargs says."""
        config = squeezed(tiny())
        machine = cpu_machine(SMALL)
        torch.manual_seed(0)
        whole = build_model(tiny(), cpu_machine(GiB))
        torch.manual_seed(0)

        placed = build_model(config, machine, offload_folder=tmp_path)

        inputs = image_and_text(torch, config)
        assert (
            load_kwargs(config, machine, offload_folder=tmp_path)["device_map"]
            == placed.hf_device_map
        )
        assert (tmp_path / "index.json").is_file()
        assert estimate_memory(config).total_params == placed.num_parameters()
        assert torch.allclose(
            logits(torch, whole, inputs), logits(torch, placed, inputs)
        )

    def test_on_one_device_it_has_no_hooks(self):
        """A model that fits one tier is a plain model, as from_pretrained gives."""
        model = build_model(tiny(), cpu_machine(GiB))

        assert not hasattr(model, "hf_device_map")
        assert not model.training

    def test_refuses_a_folder_with_offloaded_weights(self, tmp_path):
        """accelerate would reuse old offloaded weights: build_model refuses."""
        config = squeezed(tiny())
        build_model(config, cpu_machine(SMALL), offload_folder=tmp_path)

        with pytest.raises(FileExistsError, match=r"index\.json"):
            build_model(config, cpu_machine(SMALL), offload_folder=tmp_path)


class TestConfigAndDtype:
    @pytest.mark.parametrize(
        ("name", "cls"),
        [("dense", "Qwen3VLConfig"), ("moe", "Qwen3VLMoeConfig")],
    )
    def test_transformers_own_config_class(self, name, cls):
        """to_transformers_config gives transformers' class, with our numbers."""
        config, _ = MODELS[name]

        hf = to_transformers_config(config)

        assert cls == type(hf).__name__
        assert config.num_hidden_layers == hf.text_config.num_hidden_layers
        assert config.vision_hidden_size == hf.vision_config.hidden_size

    @pytest.mark.parametrize(
        ("cc", "dtype"),
        [((9, 0), "bfloat16"), ((7, 5), "float16"), ((6, 1), "float32")],
    )
    def test_dtype_is_a_torch_dtype(self, torch, cc, dtype):
        """load_kwargs gives torch's own dtype objects."""
        kwargs = load_kwargs(on_gpu(cc), gpu_machine(cc))

        assert getattr(torch, dtype) is kwargs["dtype"]
        assert {0: GiB, "cpu": 8 * GiB} == kwargs["max_memory"]


#: The example of docs/integration.md that needs torch, and what it prints.
DOCS_EXAMPLE = re.compile(
    r'```python title="interop"\n(?P<code>.*?)```\n\s*prints\s*\n'
    r"\s*```text\n(?P<out>.*?)```",
    re.DOTALL,
)


class TestDocs:
    def test_the_loading_example_runs_and_prints_its_output(
        self, tmp_path, monkeypatch
    ):
        """docs/integration.md's example runs as written and prints its output."""
        text = (ROOT / "docs" / "integration.md").read_text(encoding="utf-8")
        (example,) = DOCS_EXAMPLE.finditer(text)
        monkeypatch.chdir(tmp_path)
        out = io.StringIO()

        with contextlib.redirect_stdout(out):
            exec(  # noqa: S102
                compile(example["code"], "<docs/integration.md>", "exec"),
                {"__name__": "__docs__"},
            )

        assert example["out"] == out.getvalue()
        assert pathlib.Path("tiny-qwen3-vl", "config.json").is_file()
