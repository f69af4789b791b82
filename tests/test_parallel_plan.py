"""
Beyond one GPU: machines of several GPUs and nodes, one GPU's plan, fitting across GPUs.

The 8-GPU and 2-node H100 targets, `HardwareProfile.nodes`, the plan of
one GPU under tensor and pipeline parallelism (vLLM's split of the layers),
the check of a parallel plan against the machine, and `resolve_for_hardware`
choosing the smallest tensor-parallel size, then pipeline stages.
"""

from __future__ import annotations

import attrs
import pytest

from qwen3vl import ConfigError, GiB, apply_updates
from qwen3vl import _presets as presets
from qwen3vl._presets import target_machine
from qwen3vl.hardware import (
    HardwareProfile,
    check_config,
    estimate_memory,
    plan_memory,
    resolve_for_hardware,
)
from qwen3vl.hardware._fit import fitted_context, layouts, on_gpus
from qwen3vl.hardware._plan import _one_gpu, stages

from helpers import errors, fitting, gpu, machine, on_target


X8 = "intel_xeon_8480_nvidia_h100_sxm_x8_nvme"
X8_2 = "intel_xeon_8480_nvidia_h100_sxm_x8_nvme_x2_nodes"
H100 = "intel_xeon_8480_nvidia_h100_sxm_nvme"
BIG = "Qwen3-VL-235B-A22B-Instruct.config.json"


def parallel(config, tp=1, pp=1, dp=1):
    return apply_updates(
        config,
        {
            "parallel_config": {
                "tensor_parallel_size": tp,
                "pipeline_parallel_size": pp,
                "data_parallel_size": dp,
            }
        },
    )


class TestMachines:
    def test_the_eight_gpu_target_is_one_node_of_eight_h100s(self):
        """The x8 target: eight 80 GiB compute-9.0 GPUs on one node."""
        hw = HardwareProfile.from_target(X8)

        assert 8 == len(hw.gpus)
        assert {(9, 0)} == {g.compute_capability for g in hw.gpus}
        assert {80 * GiB} == {g.memory_bytes for g in hw.gpus}
        assert (1, 8) == (hw.nodes, hw.total_gpus)

    def test_the_two_node_target_has_sixteen_gpus(self):
        """gpus is one node's GPUs; nodes says how many such nodes."""
        hw = HardwareProfile.from_target(X8_2)

        assert (8, 2, 16) == (len(hw.gpus), hw.nodes, hw.total_gpus)

    def test_a_target_without_a_machine_table_is_one_gpu_one_node(self):
        """The single-GPU targets keep their shape."""
        hw = HardwareProfile.from_target(H100)

        assert (1, 1) == target_machine(H100)
        assert (1, 1) == (len(hw.gpus), hw.nodes)
        cpu_only = HardwareProfile.from_target("cpu_only")
        assert (0, 1) == (len(cpu_only.gpus), cpu_only.nodes)

    def test_a_detected_host_does_not_know_its_nodes(self):
        """Nodes are unknown on a detected host: it cannot see its peers."""
        assert None is HardwareProfile().nodes
        assert None is machine().total_gpus

    def test_the_machine_table_is_no_setting(self):
        """[machine] describes the target and is not read as configuration."""
        config = on_target(BIG, X8_2)

        assert X8_2 == config.hardware_target
        assert 1 == config.parallel_config.world_size

    @pytest.mark.parametrize(
        "table",
        ["gpus_per_node = 0", 'nodes = "2"', "nodes = true"],
    )
    def test_a_bad_machine_table_is_refused(
        self, tmp_path, monkeypatch, table
    ):
        """The shape is whole numbers of at least 1, or the target is refused."""
        folder = tmp_path / "hardware"
        folder.mkdir()
        (folder / "odd.toml").write_text(
            f'hardware_target = "odd"\n\n[machine]\n{table}\n', "utf-8"
        )
        monkeypatch.setattr(presets, "preset_folder", lambda: tmp_path)

        with pytest.raises(
            ConfigError, match="whole number of at least 1"
        ) as e:
            target_machine("odd")
        key = table.split()[0]
        assert [f"machine.{key}"] == [p.path for p in e.value.problems]

    def test_an_unknown_target_is_refused_with_the_known_ones(self):
        with pytest.raises(ConfigError, match=r"known: .*x8_nvme_x2_nodes"):
            target_machine("nope")


class TestStages:
    @pytest.mark.parametrize(
        ("layers", "pp", "sizes"),
        [
            (94, 2, [47, 47]),
            (28, 3, [9, 10, 9]),
            (10, 4, [2, 3, 3, 2]),
            (36, 1, [36]),
            (5, 5, [1, 1, 1, 1, 1]),
        ],
    )
    def test_layers_split_as_vllm_splits_them(self, layers, pp, sizes):
        """vLLM's get_pp_indices: leftovers go to the stages before the last."""
        split = stages(layers, pp)

        assert sizes == [len(s) for s in split]
        assert list(range(layers)) == [i for s in split for i in s]


class TestOneGpusPlan:
    def test_tensor_parallelism_divides_weights_and_cache(self):
        """Each of 4 GPUs holds a quarter of every weight and of the KV cache."""
        config = fitting(num_key_value_heads=8)
        one, four = plan_memory(config), plan_memory(parallel(config, tp=4))

        for part in ("vision", "embeddings", "layers.0", "lm_head"):
            whole = next(p.bytes for p in one.placements if p.part == part)
            share = next(p.bytes for p in four.placements if p.part == part)
            assert -(-whole // 4) == share
        kv = {p.part: p.bytes for p in one.placements}["kv_cache"]
        assert (
            kv // 4 == {p.part: p.bytes for p in four.placements}["kv_cache"]
        )

    def test_key_value_heads_are_replicated_beyond_their_number(self):
        """With 8 GPUs and 4 key/value heads, each GPU keeps one head whole."""
        config = fitting(num_key_value_heads=4)
        four = plan_memory(parallel(config, tp=4))
        eight = plan_memory(parallel(config, tp=8))

        kv = {p.part: p.bytes for p in four.placements}["kv_cache"]
        assert kv == {p.part: p.bytes for p in eight.placements}["kv_cache"]

    def test_pipeline_stages_hold_their_layers(self):
        """The plan is the fuller stage: the first, with the vision tower."""
        config = parallel(fitting(), pp=2)
        parts = [p.part for p in plan_memory(config).placements]

        assert ["activations", "kv_cache", "vision", "embeddings"] == parts[:4]
        layers = [p for p in parts if p.startswith("layers.")]
        assert [f"layers.{i}" for i in range(16)] == layers
        assert "lm_head" not in parts

    def test_tied_embeddings_are_copied_to_the_last_stage(self):
        """With pipeline stages, the last stage needs its own LM head."""
        config = parallel(
            fitting(
                tie_word_embeddings=True,
                preserve_full_capacity=False,
                num_hidden_layers=2,
            ),
            pp=2,
        )
        parts = [
            ("vision", 0),
            ("embeddings", 100),
            ("layers.0", 10),
            ("layers.1", 10),
            ("lm_head", 1),
        ]

        # The last stage holds a layer, the norm and a copy of the embeddings.
        assert ([("layers.1", 10), ("lm_head", 101)], 1) == _one_gpu(
            config, parts
        )
        untied = parallel(
            fitting(preserve_full_capacity=False, num_hidden_layers=2), pp=2
        )
        assert ([("vision", 0), ("embeddings", 100), ("layers.0", 10)], 1) == (
            _one_gpu(untied, parts)
        )

    def test_a_split_model_uses_the_gpus_alone(self):
        """Over several GPUs the RAM and disk tiers are not used."""
        plan = plan_memory(parallel(fitting(), tp=2), machine())

        assert 0 == plan.budgets["cpu"] == plan.budgets["ssd"]

    def test_replicas_share_their_nodes_ram(self):
        """Four data-parallel replicas on a four-GPU host get a quarter each."""
        hw = machine(gpus=(gpu(),) * 4)
        one = plan_memory(fitting(), hw)
        four = plan_memory(parallel(fitting(), dp=4), hw)

        assert one.budgets["cpu"] // 4 == four.budgets["cpu"]

    def test_activations_shrink_with_the_heads_and_mlps(self):
        """The hidden states are whole on each GPU; the rest is split."""
        config = fitting(num_key_value_heads=8)
        whole = estimate_memory(config).activation_values
        split = estimate_memory(parallel(config, tp=8)).activation_values

        assert whole / 8 < split < whole


class TestCheckAgainstTheMachine:
    def test_more_gpus_than_the_machine_has_is_an_error(self):
        """16 GPUs asked of one node of 8: fewer replicas fix it."""
        hw = HardwareProfile.from_target(X8)
        config = parallel(on_target(BIG, X8), tp=8, dp=2)
        found = errors(check_config(config, hw))

        (finding,) = [f for f in found if f.path == "parallel_config"]
        assert "needs 16 GPUs; the machine has 8" in finding.message
        assert {"parallel_config.data_parallel_size": 1} == dict(finding.fix)

    def test_tensor_parallelism_beyond_a_node_is_an_error(self):
        """Every layer would wait on the network: pipeline stages span nodes."""
        hw = HardwareProfile.from_target(X8_2)
        config = parallel(on_target(BIG, X8_2), tp=16)
        found = errors(check_config(config, hw))

        assert "parallel_config.tensor_parallel_size" in [
            f.path for f in found
        ]

    def test_gpus_asked_of_a_machine_without_one(self):
        """No GPU: the sizes go back to 1."""
        hw = HardwareProfile.from_target("cpu_only")
        config = parallel(
            on_target("Qwen3-VL-2B-Instruct.config.json", "cpu_only"), tp=2
        )
        found = [
            f
            for f in errors(check_config(config, hw))
            if f.path == "parallel_config"
        ]

        assert 1 == len(found)
        assert (
            1
            == resolve_for_hardware(
                config, hw
            ).config.parallel_config.world_size
        )

    def test_a_detected_host_warns_of_gpus_on_other_nodes(self):
        """Its peers may hold the other stages: a warning, nothing changed."""
        hw = machine(gpus=(gpu(),) * 8)
        config = parallel(fitting(num_key_value_heads=8), tp=8, pp=2)
        found = [
            f for f in check_config(config, hw) if f.path == "parallel_config"
        ]

        assert ["warning"] == [f.severity for f in found]


class TestFittingAcrossGpus:
    def test_the_235b_model_takes_a_node_and_serves_less_context(self):
        """On one node: all eight GPUs, in the layout that serves the most context."""
        hw = HardwareProfile.from_target(X8)
        config = on_target(BIG, X8)
        resolved = resolve_for_hardware(config, hw)
        fitted = resolved.config

        assert 8 == fitted.parallel_config.world_size
        assert [] == errors(resolved.findings)
        assert [] == errors(check_config(fitted, hw))
        plan = plan_memory(fitted, hw)
        assert plan.feasible
        assert {"gpu"} == {p.tier for p in plan.placements}
        served = fitted.serving_config.max_context_tokens
        assert 0 < served < 262_144
        # Tensor 8 alone replicates the 4 key/value heads: it serves less.
        eight = fitted_context(parallel(config, tp=8), hw, 262_144)
        assert eight is not None
        assert eight <= served

    def test_the_235b_model_serves_its_whole_window_on_two_nodes(self):
        """Two nodes: tensor 8 within each, two pipeline stages across them."""
        hw = HardwareProfile.from_target(X8_2)
        resolved = resolve_for_hardware(on_target(BIG, X8_2), hw)
        parallel_config = resolved.config.parallel_config

        assert (8, 2) == (
            parallel_config.tensor_parallel_size,
            parallel_config.pipeline_parallel_size,
        )
        assert 0 == resolved.config.serving_config.max_context_tokens
        assert [] == errors(check_config(resolved.config, hw))
        paths = {c.path for c in resolved.changes}
        assert {
            "parallel_config.tensor_parallel_size",
            "parallel_config.pipeline_parallel_size",
        } <= paths

    def test_the_smallest_tensor_parallel_size_that_holds_the_model(self):
        """The 8B model on one node takes 2 GPUs, not 8."""
        hw = HardwareProfile.from_target(X8)
        fitted = resolve_for_hardware(
            on_target("Qwen3-VL-8B-Instruct.config.json", X8), hw
        ).config

        assert 2 == fitted.parallel_config.tensor_parallel_size
        one = plan_memory(parallel(fitted, tp=1), hw)
        assert not (one.feasible and on_gpus(one))

    def test_only_sizes_vllm_can_split_are_chosen(self):
        """Qwen2.5-VL-7B has 28 heads: 3, 5, 6 and 7 GPUs are never tried."""
        hw = HardwareProfile.from_target(X8)
        config = on_target("Qwen2.5-VL-7B-Instruct.config.json", X8)

        assert {1, 2, 4} == {tp for tp, _ in layouts(config, hw)}

    def test_layouts_stop_at_the_machines_gpus(self):
        """Every layout fits the GPUs of every node, with the replicas."""
        hw = HardwareProfile.from_target(X8_2)
        config = parallel(on_target(BIG, X8_2), dp=2)
        found = list(layouts(config, hw))

        assert found
        assert all(tp * pp * 2 <= 16 and tp <= 8 for tp, pp in found)
        assert found == sorted(found, key=lambda s: (s[1], s[0]))

    def test_one_gpu_machines_change_nothing(self):
        """Without more GPUs, fitting is what it was: the context alone."""
        hw = machine(gpus=(gpu(memory=24 * GiB),))
        config = fitting(
            max_position_embeddings=32768,
            memory_config={
                "gpu_memory_size": "24GiB",
                "memory_pool_size": 0,
                "enable_memory_tiering": False,
            },
        )
        changes = resolve_for_hardware(config, hw).changes

        assert ["serving_config.max_context_tokens"] == [
            c.path for c in changes
        ]

    @pytest.mark.parametrize("target", [X8, X8_2])
    def test_fitting_across_gpus_is_idempotent(self, target):
        hw = HardwareProfile.from_target(target)
        once = resolve_for_hardware(on_target(BIG, target), hw).config
        again = resolve_for_hardware(once, hw)

        assert () == again.changes
        assert once == again.config

    def test_a_fitted_plan_keeps_its_gpus_when_more_are_idle(self):
        """A plan that fits is left alone, whatever the machine has."""
        hw = HardwareProfile.from_target(X8)
        small = on_target("Qwen3-VL-2B-Instruct.config.json", X8)
        resolved = resolve_for_hardware(small, hw)

        assert 1 == resolved.config.parallel_config.world_size
        assert attrs.asdict(small.parallel_config) == attrs.asdict(
            resolved.config.parallel_config
        )
