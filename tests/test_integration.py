"""
Tests for qwen3vl.integrations.transformers that need none of its packages.

torch is replaced by a stand-in module that only names its dtypes, so that
the placement, precision and attention rules run in the normal suite;
tests/test_integration_interop.py loads real models in ``nox -s interop``.
"""

from __future__ import annotations

import importlib.machinery
import pathlib
import subprocess
import sys

from types import ModuleType

import pytest

from qwen3vl import (
    ConfigError,
    GiB,
    KiB,
    Qwen3VLConfig,
    apply_updates,
    plan_memory,
)
from qwen3vl._switches import TRANSFORMERS_COUNTERPARTS
from qwen3vl.integrations import transformers as integration

from helpers import (
    EMBEDDINGS,
    LAYER,
    ROOT,
    SERVED,
    VISION,
    cpu_machine,
    gpu_machine,
    on_gpu,
    tiny,
)


OPTIONAL = ("torch", "transformers", "accelerate")


#: The tiny model's modules, as transformers names them.
MODULES = [
    "model.visual",
    "model.language_model.embed_tokens",
    "model.language_model.rotary_emb",
    *(f"model.language_model.layers.{i}" for i in range(4)),
    "model.language_model.norm",
    "lm_head",
]


@pytest.fixture
def fake_torch(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """A stand-in for torch that names its dtypes, and nothing else."""
    fake = ModuleType("torch")
    for name in ("float32", "float16", "bfloat16"):
        setattr(fake, name, f"torch.{name}")
    monkeypatch.setitem(sys.modules, "torch", fake)
    return fake


def install_flash_attn(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the flash_attn package look installed."""
    fake = ModuleType("flash_attn")
    fake.__spec__ = importlib.machinery.ModuleSpec("flash_attn", None)
    monkeypatch.setitem(sys.modules, "flash_attn", fake)


class TestImport:
    def test_importing_needs_none_of_the_packages(self):
        """The module imports, and imports none of them, when they are absent."""
        code = (
            "import sys; "
            f"sys.modules.update(dict.fromkeys({OPTIONAL!r})); "
            "import qwen3vl.integrations.transformers as t; "
            "print(t.unsupported_flags(t.Qwen3VLConfig())[0], sorted("
            f"m for m in {OPTIONAL!r} if sys.modules[m] is not None))"
        )

        out = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        ).stdout

        assert "use_hierarchical_memory_compression []\n" == out

    @pytest.mark.parametrize(
        ("call", "missing"),
        [
            (
                lambda: integration.load_kwargs(tiny(), cpu_machine(GiB)),
                "torch",
            ),
            (
                lambda: integration.to_transformers_config(tiny()),
                "transformers",
            ),
            (
                lambda: integration.build_model(tiny(), cpu_machine(GiB)),
                "transformers",
            ),
        ],
        ids=["load_kwargs", "to_transformers_config", "build_model"],
    )
    def test_a_missing_package_names_the_extra(
        self, monkeypatch, call, missing
    ):
        """Without a package, the error names it and the extra to install."""
        monkeypatch.setitem(sys.modules, missing, None)

        with pytest.raises(ImportError) as info:
            call()

        assert missing == info.value.name
        assert "pip install 'qwen3vl[transformers]'" in str(info.value)

    def test_build_model_needs_accelerate(self, monkeypatch):
        """build_model says so when accelerate alone is missing."""
        monkeypatch.setitem(sys.modules, "transformers", ModuleType("x"))
        monkeypatch.setitem(sys.modules, "accelerate", None)

        with pytest.raises(ImportError, match=r"needs accelerate"):
            integration.build_model(tiny(), cpu_machine(GiB))


class TestUnsupportedFlags:
    def test_the_specification_default_has_every_switch_on(self):
        """The default turns on every switch, so all without one are listed."""
        expected = tuple(
            name
            for name, does in TRANSFORMERS_COUNTERPARTS.items()
            if does is None
        )

        assert expected == integration.unsupported_flags(Qwen3VLConfig())

    def test_switches_turned_off_are_not_listed(self):
        """A switch that is off is not reported."""
        config = apply_updates(
            Qwen3VLConfig(),
            {"optimization_config.use_learned_activation_routing": False},
        )

        assert "use_learned_activation_routing" not in (
            integration.unsupported_flags(config)
        )

    def test_nothing_when_all_are_off(self):
        """A config with those switches off has nothing to report."""
        config = apply_updates(
            Qwen3VLConfig(),
            {
                "optimization_config": dict.fromkeys(
                    integration.unsupported_flags(Qwen3VLConfig()), False
                )
            },
        )

        assert () == integration.unsupported_flags(config)


@pytest.mark.usefixtures("fake_torch")
class TestDtype:
    @pytest.mark.parametrize(
        ("config", "machine", "dtype"),
        [
            (tiny(), cpu_machine(GiB), "torch.float32"),
            (on_gpu((9, 0)), gpu_machine((9, 0)), "torch.bfloat16"),
            (on_gpu((8, 0)), gpu_machine((8, 0)), "torch.bfloat16"),
            (on_gpu((7, 5)), gpu_machine((7, 5)), "torch.float16"),
            (on_gpu((6, 0)), gpu_machine((6, 0)), "torch.float16"),
            (on_gpu((6, 1)), gpu_machine((6, 1)), "torch.float32"),
            (
                on_gpu((9, 0), use_mixed_precision=False),
                gpu_machine((9, 0)),
                "torch.float32",
            ),
        ],
        ids=["cpu", "9.0", "8.0", "7.5", "6.0", "6.1", "no-mixed"],
    )
    def test_dtype_follows_implied_dtype(self, config, machine, dtype):
        """bf16 from 8.0, fp16 on 7.x and 6.0, fp32 on 6.1, CPU, or unmixed."""
        assert dtype == integration.load_kwargs(config, machine)["dtype"]


@pytest.mark.usefixtures("fake_torch")
class TestAttention:
    def test_flash_attention_where_everything_allows_it(self, monkeypatch):
        """Asked for, installed, and a GPU of 8.0: FlashAttention-2."""
        install_flash_attn(monkeypatch)
        config = on_gpu((8, 0), attention_implementation="flash_attention_2")

        kwargs = integration.load_kwargs(config, gpu_machine((8, 0)))

        assert "flash_attention_2" == kwargs["attn_implementation"]

    def test_sdpa_without_the_flash_attn_package(self, monkeypatch):
        """FlashAttention-2 asked for but not installed: sdpa."""
        monkeypatch.setitem(sys.modules, "flash_attn", None)
        config = on_gpu((9, 0), attention_implementation="flash_attention_2")

        kwargs = integration.load_kwargs(config, gpu_machine((9, 0)))

        assert "sdpa" == kwargs["attn_implementation"]

    def test_sdpa_below_ampere(self, monkeypatch):
        """FlashAttention-2 asked for on compute 7.5: sdpa."""
        install_flash_attn(monkeypatch)
        config = on_gpu((7, 5), attention_implementation="flash_attention_2")

        kwargs = integration.load_kwargs(config, gpu_machine((7, 5)))

        assert "sdpa" == kwargs["attn_implementation"]

    def test_sdpa_without_a_gpu(self, monkeypatch):
        """FlashAttention-2 asked for on a machine without a GPU: sdpa."""
        install_flash_attn(monkeypatch)
        config = on_gpu((9, 0), attention_implementation="flash_attention_2")

        kwargs = integration.load_kwargs(config, cpu_machine(GiB))

        assert "sdpa" == kwargs["attn_implementation"]

    def test_sdpa_when_the_config_asks_for_it(self, monkeypatch):
        """sdpa asked for on a GPU that could run FlashAttention-2: sdpa."""
        install_flash_attn(monkeypatch)

        kwargs = integration.load_kwargs(on_gpu((9, 0)), gpu_machine((9, 0)))

        assert "sdpa" == kwargs["attn_implementation"]

    def test_eager_when_the_config_asks_for_it(self):
        """eager asked for: eager, on any machine."""
        config = tiny(gpu_config={"attention_implementation": "eager"})

        kwargs = integration.load_kwargs(config, cpu_machine(GiB))

        assert "eager" == kwargs["attn_implementation"]


@pytest.mark.usefixtures("fake_torch")
class TestPlacement:
    def test_every_module_is_placed_on_a_roomy_gpu(self):
        """All on the GPU: every module maps to device 0, in forward order."""
        kwargs = integration.load_kwargs(on_gpu((9, 0)), gpu_machine((9, 0)))

        assert MODULES == list(kwargs["device_map"])
        assert {0} == set(kwargs["device_map"].values())
        assert "offload_folder" not in kwargs

    def test_the_tiers_become_cpu_and_disk(self):
        """Parts on the CPU tier map to "cpu", those on the SSD to "disk"."""
        # Room for the activations, the KV cache, the vision tower, the embeddings and two
        # layers; the rest goes to disk.
        memory = SERVED + VISION + EMBEDDINGS + 2 * LAYER
        config = tiny(memory_config={"cpu_memory_size": memory})

        kwargs = integration.load_kwargs(
            config, cpu_machine(memory), offload_folder="/offload/qwen3vl"
        )

        assert {
            "model.visual": "cpu",
            "model.language_model.embed_tokens": "cpu",
            "model.language_model.rotary_emb": "cpu",
            "model.language_model.layers.0": "cpu",
            "model.language_model.layers.1": "cpu",
            "model.language_model.layers.2": "disk",
            "model.language_model.layers.3": "disk",
            "model.language_model.norm": "disk",
            "lm_head": "disk",
        } == kwargs["device_map"]
        assert "/offload/qwen3vl" == kwargs["offload_folder"]

    def test_a_tied_output_layer_sits_with_the_embeddings(self):
        """The tied lm_head is the embedding matrix, so it goes where that goes."""
        memory = SERVED + VISION + EMBEDDINGS
        config = tiny(
            tie_word_embeddings=True, memory_config={"cpu_memory_size": memory}
        )

        device_map = integration.load_kwargs(
            config, cpu_machine(memory), offload_folder="/offload"
        )["device_map"]

        assert "cpu" == device_map["lm_head"]
        assert "disk" == device_map["model.language_model.norm"]

    def test_the_rotary_embedding_never_goes_to_disk(self):
        """With everything on disk, the weightless rotary embedding stays on the CPU."""
        config = tiny(memory_config={"cpu_memory_size": SERVED})

        device_map = integration.load_kwargs(
            config, cpu_machine(SERVED), offload_folder="/offload"
        )["device_map"]

        assert "cpu" == device_map["model.language_model.rotary_emb"]
        assert {"disk"} == {
            device
            for module, device in device_map.items()
            if not module.endswith("rotary_emb")
        }

    def test_the_device_map_follows_the_plan(self):
        """Each decoder layer maps to its part's tier in plan_memory."""
        memory = SERVED + VISION + EMBEDDINGS + LAYER
        config, machine = (
            tiny(memory_config={"cpu_memory_size": memory}),
            (cpu_machine(memory)),
        )
        devices = {"cpu": "cpu", "ssd": "disk"}

        device_map = integration.load_kwargs(
            config, machine, offload_folder="/offload"
        )["device_map"]

        assert [
            devices[p.tier]
            for p in plan_memory(config, machine).placements
            if p.part.startswith("layers.")
        ] == [device_map[f"model.language_model.layers.{i}"] for i in range(4)]


@pytest.mark.usefixtures("fake_torch")
class TestBudgets:
    def test_no_gpu_key_without_a_gpu(self):
        """Without a GPU, max_memory has the CPU budget alone (the machine's)."""
        kwargs = integration.load_kwargs(tiny(), cpu_machine(GiB))

        assert {"cpu": GiB} == kwargs["max_memory"]

    def test_gpu_budget_is_less_the_pool_and_the_swap_head_room(self):
        """The GPU key is the plan's budget: memory less the pool, times the threshold."""
        config = on_gpu((9, 0))
        config = apply_updates(
            config,
            {
                "memory_config": {
                    "gpu_memory_size": "1GiB",
                    "memory_pool_size": "256MiB",
                    "cpu_memory_size": "2GiB",
                    "enable_memory_swapping": True,
                    "swap_threshold": 0.5,
                }
            },
        )

        kwargs = integration.load_kwargs(config, gpu_machine((9, 0)))

        assert {0: 384 * 1024**2, "cpu": GiB} == kwargs["max_memory"]


@pytest.mark.usefixtures("fake_torch")
class TestOffloadFolder:
    def test_required_when_the_ssd_tier_is_used(self):
        """A plan that uses the SSD tier needs a folder; the error says so."""
        config = tiny(memory_config={"cpu_memory_size": SERVED})

        with pytest.raises(ConfigError) as info:
            integration.load_kwargs(config, cpu_machine(SERVED))

        assert ["memory_config.ssd_memory_size"] == info.value.paths
        assert "offload_folder" in str(info.value)

    def test_left_out_when_nothing_is_on_disk(self):
        """A folder given for a plan without the SSD tier is not passed on."""
        kwargs = integration.load_kwargs(
            tiny(), cpu_machine(GiB), offload_folder="/offload"
        )

        assert "offload_folder" not in kwargs

    def test_a_path_becomes_a_string(self):
        """A PathLike folder is passed on as a string."""
        config = tiny(memory_config={"cpu_memory_size": SERVED})

        kwargs = integration.load_kwargs(
            config,
            cpu_machine(SERVED),
            offload_folder=pathlib.Path("/offload/x"),
        )

        assert "/offload/x" == kwargs["offload_folder"]


@pytest.mark.usefixtures("fake_torch")
class TestErrors:
    def test_a_model_that_does_not_fit_is_a_config_error(self):
        """An infeasible plan cannot be loaded; the error names the memory section."""
        config = tiny(memory_config={"cpu_memory_size": KiB})

        with pytest.raises(ConfigError) as info:
            integration.load_kwargs(config, cpu_machine(KiB))

        assert ["memory_config"] == info.value.paths
        assert "activations" in str(info.value)

    def test_no_hardware_detects_this_machine(self, monkeypatch):
        """hardware=None plans on the detected machine, as check_config does."""
        memory = SERVED + VISION
        monkeypatch.setattr(
            integration, "detect_hardware", lambda: cpu_machine(memory)
        )

        kwargs = integration.load_kwargs(tiny(), offload_folder="/offload")

        assert {"cpu": memory} == kwargs["max_memory"]
        assert "disk" == kwargs["device_map"]["lm_head"]
