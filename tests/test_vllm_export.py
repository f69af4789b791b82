"""
`qwen3vl.integrations.vllm` without vLLM: what `engine_args` and `serve_command` write.

``nox -s interop-vllm`` (tests/test_vllm.py) feeds the same output to vLLM's
own config classes; these tests pin each value to the plan it comes from,
and run wherever the package does.
"""

from __future__ import annotations

import json
import shlex
import sys

import pytest

from qwen3vl import ConfigError, apply_updates
from qwen3vl._cli import main
from qwen3vl.hardware import HardwareProfile, plan_memory, resolve_for_hardware
from qwen3vl.integrations.vllm import engine_args, serve_command

from helpers import DATA, fitting, gpu, machine, on_target


X8 = "intel_xeon_8480_nvidia_h100_sxm_x8_nvme"
X8_2 = "intel_xeon_8480_nvidia_h100_sxm_x8_nvme_x2_nodes"
BIG = "Qwen3-VL-235B-A22B-Instruct"


def fitted(name: str, target: str):
    """`name` fitted to `target` as for vLLM: memory tiering off."""
    hw = HardwareProfile.from_target(target)
    config = apply_updates(
        on_target(f"{name}.config.json", target),
        {"memory_config.enable_memory_tiering": False},
    )
    return resolve_for_hardware(config, hw).config, hw


class TestEngineArgs:
    def test_the_235b_model_on_two_nodes(self):
        """Tensor 8 x pipeline 2 over Ray, the whole window, bf16."""
        config, hw = fitted(BIG, X8_2)
        args = engine_args(config, hw, model="Qwen/" + BIG)

        assert "Qwen/" + BIG == args["model"]
        assert "bfloat16" == args["dtype"]
        assert 262_144 == args["max_model_len"]
        assert (8, 2, 1) == (
            args["tensor_parallel_size"],
            args["pipeline_parallel_size"],
            args["data_parallel_size"],
        )
        assert "ray" == args["distributed_executor_backend"]
        assert False is args["enable_expert_parallel"]
        assert "auto" == args["kv_cache_dtype"]
        assert {"image": 1, "video": 0} == args["limit_mm_per_prompt"]
        assert "quantization" not in args
        assert "cpu_offload_gb" not in args

    def test_one_node_of_eight_runs_processes(self):
        config, hw = fitted(BIG, X8)
        args = engine_args(config, hw, model="m")

        assert "mp" == args["distributed_executor_backend"]
        assert (
            config.serving_config.max_context_tokens == args["max_model_len"]
        )

    def test_one_gpu_needs_no_backend(self):
        args = engine_args(fitting(), machine(), model="m")

        assert "distributed_executor_backend" not in args
        assert 4096 == args["max_model_len"]

    def test_the_gpu_tier_is_the_memory_utilization(self):
        """72 GiB of an 80 GiB card (8 GiB pool, no swapping): 0.9."""
        config = fitting(memory_config={"enable_memory_swapping": False})
        args = engine_args(config, machine(), model="m")
        plan = plan_memory(config, machine())

        assert 72 * 2**30 == plan.budgets["gpu"]
        assert 0.9 == args["gpu_memory_utilization"]

    def test_weights_in_ram_are_cpu_offload(self):
        """A plan that puts weights in RAM offloads as many GiB, rounded up."""
        config = fitting(
            memory_config={
                "gpu_memory_size": "6GiB",
                "memory_pool_size": 0,
                "enable_memory_swapping": False,
                "cpu_memory_size": "64GiB",
            },
            serving_config={"max_context_tokens": 1024},
        )
        hw = machine()
        plan = plan_memory(config, hw)
        in_ram = sum(p.bytes for p in plan.placements if p.tier == "cpu")
        args = engine_args(config, hw, model="m")

        assert plan.tier_of("kv_cache") == "gpu"
        assert in_ram > 0
        assert in_ram / 2**30 <= args["cpu_offload_gb"] < in_ram / 2**30 + 0.01

    def test_the_pixel_bounds_go_to_the_processor(self):
        config = fitting(
            serving_config={
                "min_image_pixels": 3136,
                "max_image_pixels": 200_704,
            }
        )
        args = engine_args(config, machine(), model="m")

        assert {"min_pixels": 3136, "max_pixels": 200_704} == args[
            "mm_processor_kwargs"
        ]

    def test_the_default_image_is_one_vision_square(self):
        config = fitting()
        args = engine_args(config, machine(), model="m")

        assert {"max_pixels": config.vision_image_size**2} == args[
            "mm_processor_kwargs"
        ]

    @pytest.mark.parametrize(
        ("ours", "vllms"),
        [("fp8", "fp8"), ("int8", "int8_per_channel_weight_only")],
    )
    def test_quantizing_on_load(self, ours, vllms):
        config = fitting(serving_config={"online_quantization": ours})

        assert (
            vllms == engine_args(config, machine(), model="m")["quantization"]
        )

    @pytest.mark.parametrize(
        ("ours", "vllms"),
        [
            ("fp8_e4m3", "fp8_e4m3"),
            ("fp8_e5m2", "fp8_e5m2"),
            ("fp16", "float16"),
        ],
    )
    def test_kv_cache_dtypes(self, ours, vllms):
        config = fitting(serving_config={"kv_cache_dtype": ours})

        assert (
            vllms
            == engine_args(config, machine(), model="m")["kv_cache_dtype"]
        )

    def test_what_vllm_cannot_do_is_refused_all_at_once(self):
        """NF4 on load and an fp32 cache under bf16: both, with their paths."""
        config = fitting(
            serving_config={
                "online_quantization": "nf4",
                "kv_cache_dtype": "fp32",
            }
        )
        with pytest.raises(ConfigError) as caught:
            engine_args(config, machine(), model="m")

        assert {
            "serving_config.online_quantization",
            "serving_config.kv_cache_dtype",
        } == {p.path for p in caught.value.problems}

    def test_a_kv_cache_in_ram_is_refused(self):
        """vLLM keeps its KV cache on the GPU."""
        config = fitting(
            max_position_embeddings=262_144,
            serving_config={"max_context_tokens": 65536},
            memory_config={
                "gpu_memory_size": "24GiB",
                "memory_pool_size": 0,
                "cpu_memory_size": "256GiB",
            },
        )
        plan = plan_memory(config, machine())
        assert plan.feasible
        assert plan.tier_of("kv_cache") == "cpu"

        with pytest.raises(ConfigError, match="KV cache in RAM"):
            engine_args(config, machine(), model="m")

    def test_an_error_of_the_check_is_refused(self):
        """An unresolved config: the check's error, with its path (resolve first)."""
        config = fitting(gpu_config={"gpu_compute_capability": [7, 5]})
        hw = machine(
            gpus=(gpu(cc=(7, 5), memory=16 * 2**30, bandwidth=320.0),)
        )
        with pytest.raises(ConfigError) as caught:
            engine_args(config, hw, model="m")

        assert "gpu_config.attention_implementation" in {
            p.path for p in caught.value.problems
        }
        resolved = resolve_for_hardware(config, hw).config
        assert "sdpa" == resolved.gpu_config.attention_implementation

    def test_a_plan_that_does_not_fit_is_refused(self):
        config = fitting(
            memory_config={
                "gpu_memory_size": "1GiB",
                "memory_pool_size": 0,
                "enable_memory_tiering": False,
            }
        )
        with pytest.raises(ConfigError, match="does not fit"):
            engine_args(config, machine(), model="m")


class TestServeCommand:
    def test_the_argv_spells_engine_args_as_vllm_serve_does(self):
        config, hw = fitted(BIG, X8_2)
        args = engine_args(config, hw, model="Qwen/" + BIG)
        argv = serve_command(config, hw, model="Qwen/" + BIG)

        assert ["vllm", "serve", "Qwen/" + BIG] == argv[:3]
        assert "8" == argv[argv.index("--tensor-parallel-size") + 1]
        assert "2" == argv[argv.index("--pipeline-parallel-size") + 1]
        limit = argv[argv.index("--limit-mm-per-prompt") + 1]
        assert args["limit_mm_per_prompt"] == json.loads(limit)
        # A false flag is left out, a true one is bare.
        assert "--enable-expert-parallel" not in argv

    def test_a_true_flag_is_bare(self):
        config, hw = fitted(BIG, X8_2)
        config = apply_updates(
            config, {"parallel_config.expert_parallel": True}
        )
        argv = serve_command(config, hw, model="m")

        at = argv.index("--enable-expert-parallel")
        assert at == len(argv) - 1 or argv[at + 1].startswith("--")


class TestFitVllm:
    def run(self, capsys, *args):
        code = main(["fit", *args])
        return code, capsys.readouterr().out

    def test_fit_prints_the_command_for_the_235b_model_on_two_nodes(
        self, capsys
    ):
        code, out = self.run(
            capsys,
            "--model",
            str(DATA / f"{BIG}.config.json"),
            "--hardware-target",
            X8_2,
            "--vllm",
            "Qwen/" + BIG,
        )

        assert 0 == code
        assert "memory_config.enable_memory_tiering: true -> false" in out
        assert "Memory plan at bf16, each GPU of tensor 8 x pipeline 2" in out
        line = out.split("Serve it with vLLM:\n\n")[1].splitlines()[0]
        argv = shlex.split(line)
        assert ["vllm", "serve", "Qwen/" + BIG] == argv[:3]
        assert "ray" == argv[argv.index("--distributed-executor-backend") + 1]

    def test_fit_json_carries_the_argv(self, capsys):
        code, out = self.run(
            capsys,
            "--model",
            str(DATA / f"{BIG}.config.json"),
            "--hardware-target",
            X8,
            "--vllm",
            "--json",
        )
        data = json.loads(out)

        assert 0 == code
        assert [] == data["vllm"]["refused"]
        assert str(DATA / f"{BIG}.config.json") == data["vllm"]["argv"][2]

    def test_without_a_model_fit_says_which_to_name(self, capsys):
        code, out = self.run(capsys, "--hardware-target", X8, "--vllm")

        assert 1 == code
        assert "name the checkpoint vLLM loads" in out

    def test_no_vllm_import(self):
        """The export is plain data: vLLM is never imported."""
        assert "vllm" not in sys.modules
