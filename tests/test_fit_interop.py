"""
What fits, loads: load_kwargs on every fitted real checkpoint, and quantizing on load.

Marked ``interop``: it runs in ``nox -s interop``, with transformers and
torch installed.
"""

from __future__ import annotations

import pytest

from qwen3vl import ConfigError, apply_updates
from qwen3vl.hardware import HardwareProfile, plan_memory, resolve_for_hardware
from qwen3vl.integrations.transformers import load_kwargs

from helpers import on_target
from test_fit import CANNOT, CHECKPOINTS, TARGETS


pytestmark = pytest.mark.interop

RTX3090 = "amd_ryzen9_5950x_nvidia_rtx3090_nvme"
QWEN3_VL_8B = "Qwen3-VL-8B-Instruct.config.json"
DEVICES = {"gpu": 0, "cpu": "cpu", "ssd": "disk"}


#: Every checkpoint and target where the model fits (test_fit checks the
#: error of the others).
FITS = [
    (name, target)
    for name in CHECKPOINTS
    for target in TARGETS
    if CANNOT.get((name, target)) != "memory_config"
]


@pytest.mark.parametrize(("name", "target"), FITS)
def test_the_fitted_checkpoint_loads_by_its_plan(
    name, target, tmp_path, torch
):
    """load_kwargs takes every fitted checkpoint that fits, and places it by the plan it was fitted by."""
    hw = HardwareProfile.from_target(target)
    fitted = resolve_for_hardware(on_target(name, target), hw).config
    plan = plan_memory(fitted, hw)
    parallel = fitted.parallel_config
    if parallel.tensor_parallel_size * parallel.pipeline_parallel_size > 1:
        # Spread over several GPUs: vLLM serves it, from_pretrained cannot
        # (tests/test_vllm.py loads these plans with vLLM's own classes).
        with pytest.raises(ConfigError) as caught:
            load_kwargs(fitted, hw, offload_folder=tmp_path)
        assert ["parallel_config.tensor_parallel_size"] == [
            p.path for p in caught.value.problems
        ]
        return

    kwargs = load_kwargs(fitted, hw, offload_folder=tmp_path)

    device_map = kwargs["device_map"]
    assert (
        getattr(
            torch,
            {"fp32": "float32", "fp16": "float16", "bf16": "bfloat16"}[
                plan.dtype
            ],
        )
        == kwargs["dtype"]
    )
    assert DEVICES[plan.tier_of("vision")] == device_map["model.visual"]
    for i in range(fitted.num_hidden_layers):
        layer = device_map[f"model.language_model.layers.{i}"]
        assert DEVICES[plan.tier_of(f"layers.{i}")] == layer
    assert ("offload_folder" in kwargs) == ("disk" in device_map.values())
    assert "quantization_config" not in kwargs


class TestQuantizingOnLoad:
    def fitted(self, online):
        hw = HardwareProfile.from_target(RTX3090)
        config = apply_updates(
            on_target(QWEN3_VL_8B, RTX3090),
            {
                "serving_config.online_quantization": online,
                "serving_config.max_context_tokens": 8192,
            },
        )
        return resolve_for_hardware(config, hw).config, hw

    def test_nf4_is_a_bitsandbytes_config(self, torch, transformers):
        """nf4 loads through BitsAndBytesConfig: 4-bit NF4, computing at the plan's dtype."""
        config, hw = self.fitted("nf4")
        kwargs = load_kwargs(config, hw)

        quantization = kwargs["quantization_config"]
        assert isinstance(quantization, transformers.BitsAndBytesConfig)
        assert quantization.load_in_4bit
        assert not quantization.load_in_8bit
        assert "nf4" == quantization.bnb_4bit_quant_type
        assert torch.bfloat16 == quantization.bnb_4bit_compute_dtype
        # 8B at nf4 fits the 3090's GPU whole: nothing is offloaded.
        assert {0} == set(kwargs["device_map"].values())
        assert not quantization.llm_int8_enable_fp32_cpu_offload

    def test_int8_is_llm_int8(self, transformers):
        """int8 loads as LLM.int8()."""
        config, hw = self.fitted("int8")
        quantization = load_kwargs(config, hw)["quantization_config"]

        assert isinstance(quantization, transformers.BitsAndBytesConfig)
        assert quantization.load_in_8bit
        assert not quantization.load_in_4bit

    def test_quantized_weights_put_more_of_the_model_on_the_gpu(self):
        """nf4 weights take under 40 % of bf16's: the whole model sits on the GPU, which bf16 overflows."""
        nf4, hw = self.fitted("nf4")
        none, _ = self.fitted("none")
        weights = [
            plan_memory(c, hw).estimate.weight_bytes() for c in (nf4, none)
        ]

        assert weights[0] < 0.4 * weights[1]
        assert {0} == set(load_kwargs(nf4, hw)["device_map"].values())
        assert {0, "cpu"} == set(load_kwargs(none, hw)["device_map"].values())

    @pytest.mark.parametrize(
        ("patch", "path"),
        [
            (
                {"serving_config.online_quantization": "fp8"},
                "serving_config.online_quantization",
            ),
            (
                {"serving_config.kv_cache_dtype": "fp8_e4m3"},
                "serving_config.kv_cache_dtype",
            ),
        ],
    )
    def test_what_transformers_cannot_do_is_refused(self, patch, path):
        """vLLM's online fp8 and a KV cache dtype of its own are refused, with the path."""
        config, hw = self.fitted("none")

        with pytest.raises(ConfigError) as info:
            load_kwargs(apply_updates(config, patch), hw)

        assert [path] == info.value.paths
