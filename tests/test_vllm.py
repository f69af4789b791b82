"""
Our parallel rules against vLLM's own code, on the CPU: ``nox -s interop-vllm``.

Every test here is marked ``vllm`` and deselected by default (see
``addopts`` in pyproject.toml); ``nox -s interop-vllm`` installs vLLM and
runs them.  Each real checkpoint of tests/data/hf-configs (and the
transformers testers' configs that we read as they are) is judged by vLLM
for every tensor-parallel size from 1 to 16:

* `TestConfigCheck`: vLLM's config classes, untouched.
  ``EngineArgs(...).create_model_config()`` and
  ``ModelConfig.verify_with_parallel_config`` refuse exactly the sizes whose
  refusal by `splits_evenly` names the text attention heads.
* `TestModelBuild`: vLLM builds the whole model, one GPU's share of it, on
  the meta device, as its worker would; it refuses (an assertion or a
  ValueError in the layer that divides) exactly the sizes we refuse, in a
  layer that one of our reasons names.  vLLM runs on its CPU platform, with
  the process groups its model code reads (tensor, pipeline, data, expert
  and prefill-context parallel) standing in for a real distributed run, and
  with AWQ's kernel choice made as on an H100 (see `as_on_sm90`).
* `TestTextAttention`: vLLM's ``QKVParallelLinear`` alone, at the real
  sizes, judges our two head reasons even where the rest of the model
  refuses first.
* `TestEngineArgs`: what `qwen3vl.integrations.vllm` writes for every real
  checkpoint fitted to every hardware target (memory tiering as the preset
  says, and off): vLLM's ``EngineArgs`` takes it (the model config, the
  parallel check, the whole engine config), builds the model on the first
  and the last pipeline stage, and ``vllm serve``'s own parser reads
  `serve_command` as the same values.  Where `check_config` or
  `engine_args` refuses the plan, the test is skipped and says why.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import os
import shutil
import sys
import warnings

from collections.abc import Iterator
from types import ModuleType, SimpleNamespace
from typing import Any

import attrs
import pytest

from qwen3vl import (
    ConfigError,
    Qwen3VLConfig,
    apply_updates,
    list_presets,
    load_config,
)
from qwen3vl._sections.parallel import tensor_parallel_refusals
from qwen3vl.hardware import (
    HardwareProfile,
    check_config,
    resolve_for_hardware,
)
from qwen3vl.integrations.vllm import engine_args, serve_command

from helpers import DATA, HF_FILES, REFUSED, on_target


pytestmark = pytest.mark.vllm

#: The files our importer reads as they are: every real checkpoint, and the
#: testers' Qwen2-VL and Qwen2.5-VL configs (the Qwen3-VL ones are REFUSED).
CHECKPOINTS = [name for name in HF_FILES if name not in REFUSED]
#: The checkpoints with experts, also judged with expert parallelism.
MOE = [
    "Qwen3-VL-235B-A22B-Instruct.config.json",
    "Qwen3-VL-30B-A3B-Instruct.config.json",
]
TP_SIZES = range(1, 17)
PATH = "parallel_config.tensor_parallel_size"

#: The reason of `tensor_parallel_refusals` that vLLM's config check gives.
TEXT_HEADS = "the attention heads ("

#: What vLLM was building when it refused, by the class of its innermost
#: model-code frame -> the starts of the reasons of ours that name it: a
#: size that does not split, or (AWQ) an input that is not whole groups.
#: vLLM builds the vision tower before the language model, so a model
#: refused for several reasons shows the vision tower's.
LAYERS = [
    (("Vision", "Attention"), ("the vision heads (",), ()),
    (("Vision", "MLP"), ("the vision MLP's intermediate sizes (",), ()),
    (
        ("Attention",),
        (TEXT_HEADS, "the key/value heads ("),
        ("o_proj's input per GPU (",),
    ),
    (
        ("Moe",),
        ("the experts' intermediate sizes (",),
        ("the experts' input per GPU (",),
    ),
    (
        ("MLP",),
        ("the MLP's intermediate sizes (",),
        ("down_proj's input per GPU (",),
    ),
]

#: Where vLLM refuses a split while it builds a layer: (its file under
#: vllm/, the function).  Any other error is a failure of the test itself
#: (a process group these tests do not stand in for, say), not a refusal.
REFUSING = {
    ("distributed/utils.py", "ensure_divisibility"),
    ("model_executor/layers/linear.py", "__init__"),
    ("model_executor/layers/quantization/auto_awq.py", "create_weights"),
}


# -- vLLM -------------------------------------------------------------------


@pytest.fixture(scope="session")
def vllm() -> Iterator[ModuleType]:
    """vLLM itself, on its CPU platform and offline; the session installs it."""
    with pytest.MonkeyPatch.context() as patch:
        # The CPU platform: this machine has no GPU, and vLLM's CUDA
        # platform needs the CUDA driver to import.
        patch.setenv("VLLM_TARGET_DEVICE", "cpu")
        patch.setenv("HF_HUB_OFFLINE", "1")
        patch.setenv("VLLM_LOGGING_LEVEL", "WARNING")
        patch.setenv("VLLM_NO_USAGE_STATS", "1")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            module = importlib.import_module("vllm")
            importlib.import_module("vllm.engine.arg_utils")
            importlib.import_module("vllm.model_executor.model_loader.utils")
        with _kernels_declared():
            yield module


@contextlib.contextmanager
def _kernels_declared() -> Iterator[None]:
    """
    Declare the CPU kernels that vLLM's CUDA wheel lacks and its layers look up.

    Qwen2-VL's vision MLP binds ``torch.ops._C.gelu_quick`` when it is
    built, on the CPU platform as on CUDA; the wheel on the package index
    has CUDA kernels only.  A declaration is enough: a meta-device model
    runs nothing.
    """
    import torch

    library = torch.library.Library("_C", "FRAGMENT")
    for name in ("gelu_quick",):
        if not hasattr(torch.ops._C, name):
            library.define(f"{name}(Tensor(a!) out, Tensor x) -> ()")
    yield
    del library


@pytest.fixture(scope="session")
def folders(tmp_path_factory) -> dict[str, str]:
    """Each checkpoint as vLLM reads it: a folder holding its config.json."""
    root = tmp_path_factory.mktemp("checkpoints")
    found = {}
    for name in CHECKPOINTS:
        folder = root / name.removesuffix(".config.json")
        folder.mkdir()
        shutil.copyfile(DATA / name, folder / "config.json")
        found[name] = str(folder)
    return found


def args_for(folder: str, tp: int, expert_parallel: bool) -> Any:
    """vLLM's EngineArgs for a checkpoint folder split over `tp` GPUs."""
    from vllm.engine.arg_utils import EngineArgs

    return EngineArgs(
        model=folder,
        tensor_parallel_size=tp,
        enable_expert_parallel=expert_parallel,
        skip_tokenizer_init=True,
        # Several GPUs on one node, as `engine_args` writes; vLLM starts
        # nothing before its engine runs.
        distributed_executor_backend="mp" if tp > 1 else None,
    )


def config_check(folder: str, tp: int, expert_parallel: bool) -> str:
    """Return vLLM's config check's refusal of the split, or ''."""
    from vllm.config import ParallelConfig

    model = args_for(folder, tp, expert_parallel).create_model_config()
    try:
        model.verify_with_parallel_config(
            ParallelConfig(
                tensor_parallel_size=tp,
                enable_expert_parallel=expert_parallel,
            )
        )
    except ValueError as e:
        return str(e)
    return ""


# -- building the model -------------------------------------------------------


class Group:
    """
    What vLLM's model code reads of a process group: its size, our rank.

    The first GPU of the group unless told: every GPU of a tensor-parallel
    group builds the same shapes; a pipeline stage is its rank.
    """

    def __init__(self, size: int, rank: int = 0) -> None:
        self.world_size = size
        self.rank = self.rank_in_group = self.local_rank = rank
        self.ranks = list(range(size))
        self.is_first_rank, self.is_last_rank = rank == 0, rank == size - 1
        # torch.distributed.ProcessGroup's size() and rank().
        self.device_group = self.cpu_group = SimpleNamespace(
            size=lambda: size, rank=lambda: rank
        )


def split_over(monkeypatch, parallel: Any, stage: int = 0) -> None:
    """
    Stand in for the process groups of vLLM's ParallelConfig `parallel`, as its workers make them.

    Tensor parallel, pipeline parallel (this GPU in `stage`) and data
    parallel as `parallel` says, no context parallelism; the experts' group
    spans the tensor and data parallel GPUs.
    """
    from vllm.distributed import parallel_state

    tp, dp = parallel.tensor_parallel_size, parallel.data_parallel_size
    for name, group in (
        ("_TP", Group(tp)),
        ("_PP", Group(parallel.pipeline_parallel_size, stage)),
        ("_DP", Group(dp)),
        ("_PCP", Group(1)),
        ("_EP", Group(tp * dp)),
    ):
        monkeypatch.setattr(parallel_state, name, group)


def as_on_sm90(monkeypatch) -> None:
    """
    Let vLLM choose AWQ's method and kernel as on an H100 (compute capability 9.0).

    On its CPU platform vLLM runs AWQ with a CPU kernel that takes any
    split; on a GPU it uses Marlin where each GPU holds whole groups of the
    input, and otherwise the AWQ method whose ``create_weights`` refuses.
    Only the modules that make that choice see a CUDA device; the choice is
    theirs.
    """
    from vllm.platforms.cpu import CpuPlatform
    from vllm.platforms.interface import DeviceCapability, PlatformEnum

    class SM90(CpuPlatform):
        _enum = PlatformEnum.CUDA
        get_device_capability = staticmethod(
            lambda device_id=0: DeviceCapability(9, 0)
        )

    deciders = (
        "vllm.model_executor.layers.quantization.auto_awq",
        "vllm.model_executor.layers.quantization.utils.marlin_utils",
        "vllm.model_executor.kernels.linear",
    )
    kernels = "vllm.model_executor.kernels.linear.mixed_precision."
    for name, module in list(sys.modules.items()):
        if (name in deciders or name.startswith(kernels)) and hasattr(
            module, "current_platform"
        ):
            monkeypatch.setattr(module, "current_platform", SM90())


def build(args: Any, monkeypatch, stage: int = 0):
    """
    Build one GPU's share of the model of vLLM's EngineArgs `args`; return vLLM's refusal.

    The model is built on the meta device, for a GPU of pipeline `stage`.
    The refusal is ``(layer class, vLLM's message)``, or None when the model
    builds.  Whatever raises outside `REFUSING` fails the test.
    """
    import torch

    from vllm.model_executor.model_loader.utils import initialize_model

    as_on_sm90(monkeypatch)
    engine = args.create_engine_config()
    split_over(monkeypatch, engine.parallel_config, stage)
    try:
        with torch.device("meta"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            initialize_model(engine)
    except (AssertionError, ValueError) as e:
        where, layer = _raised_in(e)
        if where not in REFUSING:
            raise
        return layer, f"{type(e).__name__}: {e}"
    return None


def _raised_in(error: BaseException) -> tuple[tuple[str, str], str]:
    """Return where in vLLM `error` was raised, and the model layer being built."""
    where, layer = ("", ""), ""
    tb = error.__traceback__
    while tb is not None:
        frame = tb.tb_frame
        path = frame.f_code.co_filename.replace(os.sep, "/")
        if "/vllm/" in path:
            where = (path.rsplit("/vllm/", 1)[1], frame.f_code.co_name)
            model = frame.f_locals.get("self")
            if "/model_executor/models/" in path and model is not None:
                layer = type(model).__name__
        tb = tb.tb_next
    return where, layer


def reasons_for(layer: str, message: str) -> tuple[str, ...]:
    """Return the starts of our reasons that name what vLLM refused."""
    for words, sizes, groups in LAYERS:
        if all(word in layer for word in words):
            return groups if "quantized weight shape" in message else sizes
    return ()


# -- ours ---------------------------------------------------------------------


@functools.cache
def checkpoint(name: str) -> Qwen3VLConfig:
    """The real checkpoint `name`, as `load_config` imports it."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # keys of config.json we do not map
        return load_config(model=DATA / name, env=False)


def ours(name: str, tp: int, expert_parallel: bool = False) -> list[str]:
    """Return our reasons for refusing to split `name` over `tp` GPUs."""
    config = checkpoint(name)
    values = {
        field.name: getattr(config, field.name)
        for field in attrs.fields(type(config))
    }
    values["parallel_config"] = attrs.evolve(
        config.parallel_config, expert_parallel=expert_parallel
    )
    return tensor_parallel_refusals(values, tp) if tp > 1 else []


def refused_at(name: str, tp: int, expert_parallel: bool = False) -> list[str]:
    """Return the paths of the problems of `name` split over `tp` GPUs."""
    try:
        apply_updates(
            checkpoint(name),
            {
                PATH: tp,
                "parallel_config.expert_parallel": expert_parallel,
            },
        )
    except ConfigError as e:
        return [problem.path for problem in e.problems]
    return []


# -- the tests -----------------------------------------------------------------


@pytest.mark.usefixtures("vllm")
class TestConfigCheck:
    @pytest.mark.parametrize("tp", TP_SIZES)
    @pytest.mark.parametrize("name", CHECKPOINTS)
    def test_refuses_what_our_heads_reason_refuses(self, folders, name, tp):
        """vLLM's config check refuses a split exactly where we say the text heads do not split."""
        refusal = config_check(folders[name], tp, False)
        heads = [r for r in ours(name, tp) if r.startswith(TEXT_HEADS)]

        assert bool(heads) == bool(refusal), (heads, refusal)
        if refusal:
            assert "attention heads" in refusal
            assert PATH in refused_at(name, tp)


@pytest.mark.usefixtures("vllm")
class TestModelBuild:
    @pytest.mark.parametrize("tp", TP_SIZES)
    @pytest.mark.parametrize("name", CHECKPOINTS)
    def test_refuses_what_we_refuse(self, folders, monkeypatch, name, tp):
        """vLLM refuses a split, by its config check or when it builds the model, exactly where we do."""
        self.judge(monkeypatch, folders[name], name, tp, False)

    @pytest.mark.parametrize("tp", TP_SIZES)
    @pytest.mark.parametrize("name", MOE)
    def test_with_expert_parallelism(self, folders, monkeypatch, name, tp):
        """The same with whole experts on each GPU: their sizes are not split."""
        self.judge(monkeypatch, folders[name], name, tp, True)

    @staticmethod
    def judge(monkeypatch, folder, name, tp, expert_parallel):
        reasons = ours(name, tp, expert_parallel)
        refusal = config_check(folder, tp, expert_parallel)
        if refusal:
            assert any(r.startswith(TEXT_HEADS) for r in reasons), refusal
        else:
            built = build(args_for(folder, tp, expert_parallel), monkeypatch)
            assert bool(built) == bool(reasons), (built, reasons)
            if built:
                layer, message = built
                named = reasons_for(layer, message)
                assert named, (layer, message)
                assert any(r.startswith(named) for r in reasons), (
                    layer,
                    message,
                    reasons,
                )
        at = refused_at(name, tp, expert_parallel)
        assert (PATH in at) == bool(reasons), at


@pytest.mark.usefixtures("vllm")
class TestTextAttention:
    @pytest.mark.parametrize("tp", TP_SIZES)
    @pytest.mark.parametrize("name", CHECKPOINTS)
    def test_heads_split_as_vllm_splits_them(self, monkeypatch, name, tp):
        """vLLM's QKVParallelLinear refuses exactly where we name the query or key/value heads."""
        import torch

        from vllm.config import ParallelConfig
        from vllm.model_executor.layers.linear import QKVParallelLinear

        config = checkpoint(name)
        heads = config.num_attention_heads
        split_over(monkeypatch, ParallelConfig(tensor_parallel_size=tp))
        try:
            with torch.device("meta"):
                QKVParallelLinear(
                    config.hidden_size,
                    config.head_dim or config.hidden_size // heads,
                    heads,
                    config.num_key_value_heads or heads,
                    bias=config.attention_bias,
                )
        except AssertionError as e:
            refusal = str(e) or "AssertionError"
        else:
            refusal = ""
        named = [
            r
            for r in ours(name, tp)
            if r.startswith((TEXT_HEADS, "the key/value heads ("))
        ]

        assert bool(named) == bool(refusal), (named, refusal)


# -- what qwen3vl.integrations.vllm writes ---------------------------------------

TARGETS = list_presets().hardware_targets
#: The released checkpoints: the testers' configs are no deployment.
RELEASED = [n for n in CHECKPOINTS if not n.startswith("transformers-tests")]


#: Fitted as the hardware preset says, or with memory tiering off (the RAM
#: and SSD tiers unused), as one serving with vLLM would.
TIERING = {"tiered": True, "untiered": False}


@functools.cache
def fitted(
    name: str, target: str, tiering: str
) -> tuple[Qwen3VLConfig, HardwareProfile]:
    """A real checkpoint fitted to a hardware target, as tests/test_fit.py fits it."""
    hw = HardwareProfile.from_target(target)
    config = apply_updates(
        on_target(name, target),
        {"memory_config.enable_memory_tiering": TIERING[tiering]},
    )
    return resolve_for_hardware(config, hw).config, hw


def written(
    name: str, target: str, tiering: str, folder: str
) -> dict[str, Any]:
    """
    Return `engine_args` of a checkpoint fitted to a target, or skip.

    Skipped where the fitted config still has an error on the target (the
    ones tests/test_fit.py lists: quantized kernels the GPU lacks, models
    larger than the machine), or where `engine_args` refuses the plan (an
    SSD tier, a KV cache in RAM): vLLM has nothing to judge there.
    """
    config, hw = fitted(name, target, tiering)
    errors = [
        f.path for f in check_config(config, hw) if f.severity == "error"
    ]
    if errors:
        pytest.skip(f"check_config refuses it on {target}: {errors}")
    try:
        return engine_args(config, hw, model=folder)
    except ConfigError as e:
        pytest.skip(f"engine_args refuses: {[p.path for p in e.problems]}")


@pytest.mark.usefixtures("vllm")
class TestEngineArgs:
    @pytest.mark.parametrize("tiering", TIERING)
    @pytest.mark.parametrize("target", TARGETS)
    @pytest.mark.parametrize("name", RELEASED)
    def test_vllm_checks_its_config(self, folders, name, target, tiering):
        """vLLM's model config takes the arguments, and its parallel check passes."""
        from vllm.config import ParallelConfig
        from vllm.engine.arg_utils import EngineArgs

        kwargs = written(name, target, tiering, folders[name])
        args = EngineArgs(**kwargs)
        model = args.create_model_config()
        model.verify_with_parallel_config(
            ParallelConfig(
                tensor_parallel_size=args.tensor_parallel_size,
                pipeline_parallel_size=args.pipeline_parallel_size,
                data_parallel_size=args.data_parallel_size,
                enable_expert_parallel=args.enable_expert_parallel,
                distributed_executor_backend=args.distributed_executor_backend,
            )
        )

        assert kwargs["max_model_len"] == model.max_model_len
        assert kwargs["dtype"] == str(model.dtype).removeprefix("torch.")

    @pytest.mark.parametrize("tiering", TIERING)
    @pytest.mark.parametrize("target", TARGETS)
    @pytest.mark.parametrize("name", RELEASED)
    def test_vllm_builds_its_engine_config(
        self, folders, name, target, tiering
    ):
        """vLLM's whole engine config (cache, scheduler, quantization, parallel) takes them."""
        from vllm.engine.arg_utils import EngineArgs

        kwargs = written(name, target, tiering, folders[name])
        engine = EngineArgs(**kwargs).create_engine_config()
        parallel = engine.parallel_config

        assert (
            kwargs["tensor_parallel_size"],
            kwargs["pipeline_parallel_size"],
            kwargs["data_parallel_size"],
        ) == (
            parallel.tensor_parallel_size,
            parallel.pipeline_parallel_size,
            parallel.data_parallel_size,
        )
        assert kwargs["gpu_memory_utilization"] == (
            engine.cache_config.gpu_memory_utilization
        )

    @pytest.mark.parametrize("tiering", TIERING)
    @pytest.mark.parametrize("target", TARGETS)
    @pytest.mark.parametrize("name", RELEASED)
    def test_vllm_builds_the_model_on_every_stage(
        self, folders, monkeypatch, name, target, tiering
    ):
        """One GPU's share of the model builds, on the first and the last pipeline stage."""
        from vllm.engine.arg_utils import EngineArgs

        kwargs = written(name, target, tiering, folders[name])
        stages = kwargs["pipeline_parallel_size"]
        for stage in sorted({0, stages - 1}):
            with monkeypatch.context() as patch:
                assert None is build(EngineArgs(**kwargs), patch, stage)

    @pytest.mark.parametrize("tiering", TIERING)
    @pytest.mark.parametrize("target", TARGETS)
    @pytest.mark.parametrize("name", RELEASED)
    def test_vllm_serve_reads_the_command(
        self, folders, name, target, tiering
    ):
        """``vllm serve``'s own parser reads serve_command as engine_args' values."""
        from vllm.engine.arg_utils import AsyncEngineArgs
        from vllm.entrypoints.cli.serve import ServeSubcommand
        from vllm.utils.argparse_utils import FlexibleArgumentParser

        kwargs = written(name, target, tiering, folders[name])
        config, hw = fitted(name, target, tiering)
        argv = serve_command(config, hw, model=folders[name])
        # As vLLM's `vllm` command parses its arguments and `serve` reads them.
        parser = FlexibleArgumentParser(description="vLLM CLI")
        serve = ServeSubcommand()
        serve.subparser_init(parser.add_subparsers(dest="subparser"))
        parsed = parser.parse_args(argv[1:])
        serve.validate(parsed)
        parsed.model = parsed.model_tag
        args = AsyncEngineArgs.from_cli_args(parsed)

        assert ["vllm", "serve"] == argv[:2]
        assert kwargs == {key: getattr(args, key) for key in kwargs}
