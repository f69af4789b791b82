"""
Every usage example of the specification, as written there.

The only change is the import line: the specification imports from
``src.qwen3_vl.core.config``; the package is ``qwen3vl``.
"""

from __future__ import annotations

import pytest

from qwen3vl import (
    ConfigError,
    CPUConfig,
    GPUConfig,
    OptimizationConfig,
    Qwen3VLConfig,
)


class TestBasicUsage:
    def test_default_configuration(self, capsys):
        """The default config prints 32 layers and 32 heads."""
        config = Qwen3VLConfig()
        print(  # noqa: T201 - the example prints
            f"Config: {config.num_hidden_layers} layers, {config.num_attention_heads} heads"
        )

        assert "Config: 32 layers, 32 heads\n" == capsys.readouterr().out


class TestLoadingFromFile:
    @pytest.mark.parametrize("name", ["config.json", "config.yaml"])
    def test_load_json_and_yaml(self, tmp_path, name):
        """from_file reads the JSON and YAML files that save_to_file wrote."""
        path = tmp_path / name
        Qwen3VLConfig().save_to_file(path)

        config = Qwen3VLConfig.from_file(str(path))

        assert Qwen3VLConfig() == config


class TestOptimizationLevels:
    def test_minimal_config(self):
        """The minimal example builds and turns the named switches off."""
        minimal_config = Qwen3VLConfig(
            optimization_config=OptimizationConfig(
                use_memory_pooling=False,
                use_sparsity=False,
                use_moe=False,
                # ... other optimizations disabled
            ),
            optimization_level="minimal",
        )

        assert "minimal" == minimal_config.optimization_level
        assert not minimal_config.optimization_config.use_sparsity
        assert not minimal_config.optimization_config.use_moe

    def test_aggressive_config(self):
        """The aggressive example builds with its sparsity and MoE values."""
        aggressive_config = Qwen3VLConfig(
            optimization_config=OptimizationConfig(
                use_memory_pooling=True,
                use_sparsity=True,
                sparsity_ratio=0.6,
                use_moe=True,
                moe_num_experts=4,
                moe_top_k=2,
                # ... other optimizations enabled
            ),
            optimization_level="aggressive",
        )

        assert 0.6 == aggressive_config.optimization_config.sparsity_ratio
        assert "aggressive" == aggressive_config.optimization_level


class TestHardwareSpecific:
    def test_hardware_specific_configuration(self):
        """The SM61 / i5-10210U example builds with its figures."""
        config = Qwen3VLConfig(
            gpu_config=GPUConfig(
                gpu_compute_capability=(6, 1),  # SM61
                memory_bandwidth_gbps=320.0,
                # ... other GPU-specific optimizations
            ),
            cpu_config=CPUConfig(
                num_threads=4,
                l3_cache_size=6 * 1024 * 1024,  # 6MB
                # ... other CPU-specific optimizations
            ),
            hardware_target="intel_i5_10210u_nvidia_sm61_nvme",
        )

        assert (6, 1) == config.gpu_config.gpu_compute_capability
        assert 6 * 1024 * 1024 == config.cpu_config.l3_cache_size


class TestSerialization:
    def test_save_and_restore(self, tmp_path, monkeypatch):
        """The serialization example saves JSON and YAML and restores a dict."""
        monkeypatch.chdir(tmp_path)
        config = Qwen3VLConfig()

        # Save configuration to file
        config.save_to_file("config.json")
        config.save_to_file("config.yaml")

        # Load configuration from dictionary
        config_dict = config.to_dict()
        restored_config = Qwen3VLConfig.from_dict(config_dict)

        assert config == restored_config
        assert config == Qwen3VLConfig.from_file("config.json")
        assert config == Qwen3VLConfig.from_file("config.yaml")


class TestRuntimeUpdates:
    UPDATES = {  # noqa: RUF012 - read-only test data
        "num_hidden_layers": 16,
        "num_attention_heads": 16,
        "optimization_config": {"use_sparsity": True, "sparsity_ratio": 0.4},
    }

    def test_example_as_written_is_refused_by_the_capacity_guard(self):
        """As written, the update shrinks the model, which the guard refuses."""
        config = Qwen3VLConfig()
        updates = self.UPDATES

        updated_config_dict = {**config.to_dict(), **updates}

        with pytest.raises(ConfigError) as info:
            Qwen3VLConfig.from_dict(updated_config_dict)

        assert ["num_attention_heads", "num_hidden_layers"] == info.value.paths
        assert "preserve_full_capacity" in str(info.value)

    def test_example_with_the_guard_off(self):
        """With preserve_full_capacity off, the update works as intended."""
        config = Qwen3VLConfig(preserve_full_capacity=False)
        updates = self.UPDATES

        updated_config_dict = {**config.to_dict(), **updates}
        updated_config = Qwen3VLConfig.from_dict(updated_config_dict)

        assert 16 == updated_config.num_hidden_layers
        assert 16 == updated_config.num_attention_heads
        assert 0.4 == updated_config.optimization_config.sparsity_ratio
        # The shallow merge replaced the whole section: keys it did not name
        # are back at their defaults, which here are the same values.
        assert updated_config.optimization_config.use_moe
