"""
The pure helpers of benchmarks/memory.py (``nox -s bench-memory``).

The measurements need torch and run only in that session; here the cases'
configs, the plan figures they are compared with, the token layout and the
activation formula the benchmark measured are checked, without torch.
"""

from __future__ import annotations

import importlib.util

import attrs
import pytest

from qwen3vl import OptimizationConfig, estimate_memory
from qwen3vl.hardware import GPUInfo, HardwareProfile

from helpers import ROOT


def _load():
    path = ROOT / "benchmarks" / "memory.py"
    spec = importlib.util.spec_from_file_location("bench_memory", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


memory = _load()


def activations(config):
    """The estimate's activation values of `config`."""
    return estimate_memory(config).activation_values


CASES = memory.CASES
H100 = {"name": "H100", "capability": [9, 0], "memory": 80 * 2**30}


@pytest.mark.parametrize("case", CASES, ids=str)
def test_each_case_is_a_valid_config_serving_what_runs(case):
    """The config of a case validates and serves its context, batch and image."""
    size, context, batch, image, attention = case
    config = memory.config_for(*case)
    serving = config.serving_config

    assert (context, batch) == (
        serving.max_context_tokens,
        serving.max_concurrent_sequences,
    )
    assert serving.max_images_per_prompt == (1 if image else 0)
    assert config.gpu_config.attention_implementation == attention
    assert config.hidden_size == memory.SIZES[size]["hidden_size"]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_plan_figures_are_the_estimate_at_fp32_without_a_gpu(case):
    """No GPU: the plan's dtype is fp32, its parts the estimate's bytes."""
    config = memory.config_for(*case)
    e = estimate_memory(config)

    plan = memory.predicted(config, memory.hardware_for(None))

    assert "fp32" == plan["dtype"]
    assert e.weight_bytes("fp32") == plan["weights"]
    assert e.kv_cache_bytes("fp32") == plan["kv_cache"]
    assert e.activation_bytes("fp32") == plan["activations"]


def test_a_recent_gpu_plans_at_bf16():
    """On a compute-capability-9 GPU the plan (and the model built) is bf16."""
    config = memory.config_for("S", 1024, 1, 0)

    plan = memory.predicted(config, memory.hardware_for(H100))

    assert "bf16" == plan["dtype"]
    assert estimate_memory(config).kv_cache_bytes("bf16") == plan["kv_cache"]
    assert isinstance(memory.hardware_for(H100), HardwareProfile)
    assert memory.hardware_for(H100).gpu == GPUInfo("H100", (9, 0), 80 * 2**30)


class TestTokenLayout:
    def test_text_only(self):
        """Without an image every position is text."""
        assert [0] * 8 == memory.token_layout(8, 0)

    def test_image_between_its_start_and_end_tokens(self):
        """The placeholders follow the offset and a start token, an end token follows."""
        layout = memory.token_layout(12, 4, offset=2)

        assert [0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0] == layout

    def test_image_that_does_not_fit_is_refused(self):
        """The image and its two tokens must fit in the context."""
        with pytest.raises(ValueError, match="do not fit"):
            memory.token_layout(10, 5, offset=4)


class TestActivationFormula:
    def test_scales_with_the_batch(self):
        """B sequences hold B times what one holds."""
        one = activations(memory.config_for("M", 2048, 1, 448))
        three = activations(memory.config_for("M", 2048, 3, 448))

        assert 3 * one == three

    def test_text_layer_of_a_dense_model(self):
        """M without an image: the MLP step, 4 x hidden + 3 x intermediate + rotary."""
        config = memory.config_for("M", 2048, 1, 0)
        h, i, d = 512, 1536, 64

        assert 2048 * (2 * d + 4 * h + 3 * i) + 16384 == activations(config)

    def test_attention_step_where_it_is_larger(self):
        """S: queries twice the hidden width and a narrow MLP."""
        config = memory.config_for("S", 4096, 1, 0)
        h, q, k, d = 256, 512, 128, 64

        assert 4096 * (2 * d + 3 * h + 4 * q + 2 * k) + 8192 == activations(
            config
        )

    def test_an_image_adds_what_the_vision_tower_returns(self):
        """M with a 448² image: the text step, and the tower's outputs held."""
        config = memory.config_for("M", 2048, 1, 448)
        h, i, d, patches, tokens, width = 512, 1536, 64, 784, 196, 256
        text = 2048 * (2 * d + 4 * h + 3 * i) + 16384
        # Last hidden states; merged tokens and two DeepStack features,
        # twice each; the clone after the last DeepStack layer.
        held = patches * width + 2 * 3 * tokens * h + 2048 * h

        assert text + held == activations(config)

    def test_mixture_of_experts_width_is_the_estimates(self):
        """Every layer sparse: the experts a token runs through, not the dense width."""
        config = attrs.evolve(
            memory.config_for("M", 1024, 1, 0),
            num_experts=8,
            num_experts_per_tok=2,
            moe_intermediate_size=256,
            decoder_sparse_step=1,
            optimization_config=OptimizationConfig(
                moe_num_experts=8, moe_top_k=2
            ),
        )
        h, q, k, d = 512, 512, 256, 64

        assert 1024 * (
            2 * d + max(3 * h + 4 * q + 2 * k, 4 * h + 3 * 2 * 256)
        ) + 16384 == activations(config)

    def test_eager_attention_holds_the_scores_twice_and_the_mask(self):
        """Eager adds 2 x heads x N^2 + N^2 to the attention step."""
        sdpa = memory.config_for("M", 1024, 1, 0, "sdpa")
        eager = memory.config_for("M", 1024, 1, 0, "eager")
        attention = 1024 * (2 * 64 + 3 * 512 + 4 * 512 + 2 * 256)

        assert activations(sdpa) < activations(eager)
        assert attention + (2 * 8 + 1) * 1024**2 + 16384 == activations(eager)
