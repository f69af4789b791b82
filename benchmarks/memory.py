"""
Predicted against measured memory: the plan's parts beside a real prefill.

For a few small Qwen3-VL models, contexts and batches, with and without an
image, each measurement runs in a fresh process:

1. import torch, transformers and qwen3vl, build the model once and throw
   it away (transformers imports its modules on first use, torch starts
   its thread pools), and read the resident memory (``VmRSS`` in
   ``/proc/self/status``);
2. build the model with transformers at the plan's dtype (random weights,
   ``AutoModelForImageTextToText.from_config``) and read it again: the
   weights as the operating system sees them;
3. run a short warm-up pass (it pages in the kernels' code), make the
   inputs (token ids, attention mask and, with an image, one image per
   sequence as the Qwen-VL processors give it), reset the high-water mark
   (``echo 5 > /proc/self/clear_refs``) and run one prefill forward pass
   over B sequences of N tokens as ``generate`` runs it (``use_cache=True,
   logits_to_keep=1``, no gradients);
4. read the high-water mark (``VmHWM``): the forward pass's peak is that
   less the memory before it.

Freed heap memory is handed back (``malloc_trim``) before each reading.
Each case runs twice, in two processes: with glibc's allocator as it is
(what a serving process sees), and with ``MALLOC_MMAP_THRESHOLD_=131072``,
which maps every tensor of 128 KiB or more on its own and unmaps it when
it is freed, so that the peak is that of the live tensors themselves (what
the plan's formula counts, and what ``torch.cuda.max_memory_allocated``
reads on a GPU).  With ``--device cuda`` one process reads
``torch.cuda.max_memory_reserved`` (the caching allocator's view) and
``torch.cuda.max_memory_allocated`` (the tensors') instead.

The prediction is `qwen3vl.hardware.plan_memory` for the same config, its
``serving_config`` set to the context, the sequences and the image that
run: the bytes of its ``"activations"`` and ``"kv_cache"`` parts and of
its weights, at the plan's dtype (fp32 without a GPU, bf16 on a GPU of
compute capability 8.0 or later).  The plan reserves KV cache plus
activations for the forward pass; the ratios are the measured peak over
that reservation (at most 1: the plan holds).  The activation formula is
`qwen3vl.hardware.estimate_memory`'s; this benchmark is what corrected
it (issue 16), from transformers' modeling code.

Run it with ``nox -s bench-memory`` (it needs torch, transformers and,
on the CPU, Linux); ``-- --quick`` runs two cases, ``-- --device cuda``
runs on a GPU.
"""

# A script run by path that prints its table and runs itself in fresh
# subprocesses.
# ruff: noqa: INP001, T201, S603

from __future__ import annotations

import argparse
import contextlib
import ctypes
import gc
import json
import os
import pathlib
import platform
import subprocess
import sys
import time
import warnings

from typing import Any

from qwen3vl import GPUConfig, Qwen3VLConfig, ServingConfig
from qwen3vl.hardware import GPUInfo, HardwareProfile, plan_memory


MiB = 2**20
#: Bytes of one value at each compute dtype a plan can imply.

#: Model sizes.  M and L have Qwen3-VL's proportions (MLP 3 x hidden,
#: vision MLP 4 x the vision width, half as many key/value heads); S has
#: queries twice as wide as hidden and a narrow MLP, so that its attention,
#: not its MLP, is the larger step (as in no released model).
SIZES: dict[str, dict[str, Any]] = {
    "S": {
        "hidden_size": 256,
        "num_hidden_layers": 4,
        "num_attention_heads": 8,
        "num_key_value_heads": 2,
        "head_dim": 64,
        "intermediate_size": 512,
        "vocab_size": 8192,
        "vision_hidden_size": 128,
        "vision_num_hidden_layers": 2,
        "vision_num_attention_heads": 2,
        "vision_intermediate_size": 512,
        "vision_deepstack_visual_indexes": (0,),
    },
    "M": {
        "hidden_size": 512,
        "num_hidden_layers": 4,
        "num_attention_heads": 8,
        "num_key_value_heads": 4,
        "head_dim": 64,
        "intermediate_size": 1536,
        "vocab_size": 16384,
        "vision_hidden_size": 256,
        "vision_num_hidden_layers": 3,
        "vision_num_attention_heads": 4,
        "vision_intermediate_size": 1024,
        "vision_deepstack_visual_indexes": (0, 1),
    },
    "L": {
        "hidden_size": 1024,
        "num_hidden_layers": 2,
        "num_attention_heads": 16,
        "num_key_value_heads": 8,
        "head_dim": 64,
        "intermediate_size": 3072,
        "vocab_size": 32768,
        "vision_hidden_size": 512,
        "vision_num_hidden_layers": 2,
        "vision_num_attention_heads": 8,
        "vision_intermediate_size": 2048,
        "vision_deepstack_visual_indexes": (0,),
    },
}

#: (size, context tokens N, sequences B, image side in pixels or 0,
#: attention implementation).
CASES: list[tuple[str, int, int, int, str]] = [
    ("S", 1024, 1, 896, "sdpa"),
    ("S", 4096, 2, 0, "sdpa"),
    ("M", 2048, 2, 0, "sdpa"),
    ("M", 2048, 2, 448, "sdpa"),
    ("M", 1024, 2, 0, "eager"),
    ("L", 2048, 1, 0, "sdpa"),
    ("L", 1024, 1, 896, "sdpa"),
]
QUICK = [CASES[0], CASES[2]]

#: The glibc setting that maps each tensor on its own (see the docstring).
TENSORS_ONLY = {"MALLOC_MMAP_THRESHOLD_": str(128 * 1024)}


def config_for(
    size: str,
    context: int,
    batch: int,
    image_side: int,
    attention: str = "sdpa",
) -> Qwen3VLConfig:
    """
    Return the config of model `size` serving `batch` x `context` tokens.

    With `image_side`, each prompt holds one image of that many pixels
    squared; without, none (``max_images_per_prompt = 0``).  `attention`
    is transformers' attention implementation.
    """
    vocab = SIZES[size]["vocab_size"]
    side = image_side or 448
    return Qwen3VLConfig(
        preserve_full_capacity=False,
        max_position_embeddings=max(8192, context),
        mrope_section=(12, 10, 10),
        vision_image_size=side,
        vision_patch_size=16,
        vision_num_position_embeddings=2304,
        bos_token_id=vocab - 6,
        eos_token_id=vocab - 5,
        image_token_id=vocab - 4,
        video_token_id=vocab - 3,
        vision_start_token_id=vocab - 2,
        vision_end_token_id=vocab - 1,
        gpu_config=GPUConfig(attention_implementation=attention),
        serving_config=ServingConfig(
            max_context_tokens=context,
            max_concurrent_sequences=batch,
            max_images_per_prompt=1 if image_side else 0,
            max_image_pixels=side * side,
        ),
        **SIZES[size],
    )


def hardware_for(gpu: dict[str, Any] | None) -> HardwareProfile:
    """The machine the plan is made for: no GPU, or the one measured."""
    if gpu is None:
        return HardwareProfile(gpus=())
    return HardwareProfile(
        gpus=(
            GPUInfo(
                name=gpu["name"],
                compute_capability=tuple(gpu["capability"]),
                memory_bytes=gpu["memory"],
            ),
        )
    )


def predicted(
    config: Qwen3VLConfig, hardware: HardwareProfile
) -> dict[str, Any]:
    """The plan's dtype and bytes: weights, KV cache, activations."""
    plan = plan_memory(config, hardware)
    parts = {p.part: p.bytes for p in plan.placements}
    activations = parts.pop("activations")
    kv_cache = parts.pop("kv_cache")
    return {
        "dtype": plan.dtype,
        "weights": sum(parts.values()),
        "kv_cache": kv_cache,
        "activations": activations,
    }


def token_layout(
    context: int, image_tokens: int, offset: int = 4
) -> list[int]:
    """
    Return each position's kind: 0 text, 1 image placeholder.

    An image, if any, follows `offset` text tokens and a vision start
    token, and a vision end token follows it (both text kinds), as a chat
    template places it.

    Raises:
        ValueError: the image and its two tokens do not fit in `context`.
    """
    if image_tokens == 0:
        return [0] * context
    if offset + image_tokens + 2 > context:
        msg = f"{image_tokens} image tokens do not fit in {context}"
        raise ValueError(msg)
    before = [0] * (offset + 1)
    return (
        before
        + [1] * image_tokens
        + [0] * (context - len(before) - image_tokens)
    )


# -- the measurement, in a fresh process ---------------------------------


def _status() -> dict[str, int]:
    """VmRSS and VmHWM of this process, in bytes."""
    values = {}
    for line in pathlib.Path("/proc/self/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in {"VmRSS", "VmHWM"}:
            values[key] = int(rest.split()[0]) * 1024
    return values


def _trim() -> None:
    """Collect, and hand freed heap memory back to the system (glibc)."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _reset_peak() -> None:
    """Reset VmHWM to the current VmRSS (Linux 4.0 and later)."""
    pathlib.Path("/proc/self/clear_refs").write_text("5")


def _inputs(
    torch: Any,
    config: Qwen3VLConfig,
    shape: tuple[int, int, int],
    device: str,
) -> dict[str, Any]:
    """Token ids, mask and images of `shape`: (sequences, tokens, side)."""
    batch, context, side = shape
    grid = side // config.vision_patch_size
    merge = config.vision_spatial_merge_size
    kinds = torch.tensor(token_layout(context, grid * grid // merge**2))
    generator = torch.Generator().manual_seed(0)
    ids = torch.randint(
        0, config.vocab_size - 6, (batch, context), generator=generator
    )
    image = kinds == 1
    ids[:, image] = config.image_token_id
    inputs: dict[str, Any] = {
        "input_ids": ids,
        "attention_mask": torch.ones_like(ids),
    }
    if side:
        first = int(image.nonzero()[0])
        ids[:, first - 1] = config.vision_start_token_id
        ids[:, first + int(image.sum())] = config.vision_end_token_id
        patch = (
            config.vision_in_channels
            * config.vision_temporal_patch_size
            * config.vision_patch_size**2
        )
        inputs |= {
            "pixel_values": torch.randn(
                batch * grid * grid, patch, generator=generator
            ),
            "image_grid_thw": torch.tensor([[1, grid, grid]] * batch),
            "mm_token_type_ids": kinds.expand(batch, -1).to(torch.int32),
        }
    return {k: v.to(device) for k, v in inputs.items()}


def measure(case: dict[str, Any]) -> dict[str, Any]:
    """Build the case's model, run its prefill, return the memory it took."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import torch  # noqa: PLC0415
        import transformers  # noqa: PLC0415

        from qwen3vl.integrations.transformers import (  # noqa: PLC0415
            to_transformers_config,
        )
    device = case["device"]
    cuda = device == "cuda"
    config = config_for(
        case["size"],
        case["context"],
        case["batch"],
        case["image"],
        case["attention"],
    )
    dtype = {
        "fp32": torch.float32,
        "bf16": torch.bfloat16,
        "fp16": torch.float16,
    }[case["dtype"]]

    def reading() -> int:
        if cuda:
            torch.cuda.synchronize()
            torch.cuda.empty_cache()
            return int(torch.cuda.memory_allocated())
        _trim()
        return _status()["VmRSS"]

    def build(where: str) -> Any:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            hf = to_transformers_config(config)
            with torch.device(where):
                return transformers.AutoModelForImageTextToText.from_config(
                    hf, dtype=dtype, attn_implementation=case["attention"]
                ).eval()

    def prefill(inputs: dict[str, Any]) -> Any:
        with torch.no_grad():
            return model(**inputs, use_cache=True, logits_to_keep=1)

    # The first build imports the model's modules and starts the thread
    # pools: a throwaway one before the baseline pays for that.
    build(device)
    torch.manual_seed(0)
    before = reading()
    model = build(device)
    built = reading()
    image = case["image"]
    prefill(_inputs(torch, config, (1, 64, 64 if image else 0), device))
    shape = (case["batch"], case["context"], image)
    inputs = _inputs(torch, config, shape, device)
    start = reading()
    if cuda:
        torch.cuda.reset_peak_memory_stats()
    else:
        _reset_peak()
    began = time.perf_counter()
    out = prefill(inputs)
    seconds = time.perf_counter() - began
    if cuda:
        torch.cuda.synchronize()
        peak = int(torch.cuda.max_memory_reserved()) - start
        tensors = int(torch.cuda.max_memory_allocated()) - start
    else:
        peak = tensors = _status()["VmHWM"] - start
    return {
        "weights": built - before,
        "weights_exact": sum(
            t.numel() * t.element_size()
            for t in (*model.parameters(), *model.buffers())
        ),
        "kv_exact": sum(
            t.numel() * t.element_size()
            for layer in out.past_key_values.layers
            for t in (layer.keys, layer.values)
        ),
        "peak": peak,
        "tensors": tensors,
        "seconds": seconds,
    }


def run_case(case: dict[str, Any]) -> dict[str, Any]:
    """Measure `case` in fresh processes: the allocator as is, and tensors only."""

    def child(env: dict[str, str]) -> dict[str, Any]:
        done = subprocess.run(
            [sys.executable, __file__, "--child", json.dumps(case)],
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, **env},
        )
        if done.returncode:
            raise RuntimeError(done.stderr)
        result: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
        return result

    got = child({})
    if case["device"] == "cpu":
        got["tensors"] = child(TENSORS_ONLY)["tensors"]
    return got


# -- the table -------------------------------------------------------------


def mib(n: float) -> str:
    """`n` bytes in MiB, one decimal."""
    return f"{n / MiB:,.1f}"


HEADER = (
    "| model | N | B | image | attention "
    "| weights | KV cache | activations | total "
    "| weights | peak | peak, tensors "
    "| peak / (KV + act.) | tensors / (KV + act.) |\n"
    "|---|---:|---:|---|---"
    "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
)


def row(
    case: dict[str, Any], plan: dict[str, Any], got: dict[str, Any]
) -> str:
    """One Markdown table row of a case."""
    reserved = plan["kv_cache"] + plan["activations"]
    cells = [
        case["size"],
        f"{case['context']:,}",
        str(case["batch"]),
        f"{case['image']}²" if case["image"] else "-",
        case["attention"],
        mib(plan["weights"]),
        mib(plan["kv_cache"]),
        mib(plan["activations"]),
        mib(plan["weights"] + reserved),
        mib(got["weights"]),
        mib(got["peak"]),
        mib(got["tensors"]),
        f"{got['peak'] / reserved:.2f}",
        f"{got['tensors'] / reserved:.2f}",
    ]
    return "| " + " | ".join(cells) + " |"


def _gpu(torch: Any) -> dict[str, Any]:
    props = torch.cuda.get_device_properties(0)
    return {
        "name": props.name,
        "capability": [props.major, props.minor],
        "memory": props.total_memory,
    }


def _environment(gpu: dict[str, Any] | None) -> str:
    import torch  # noqa: PLC0415
    import transformers  # noqa: PLC0415

    where = (
        f"{gpu['name']}"
        if gpu
        else f"{platform.machine()}, {os.cpu_count()} CPUs, "
        f"{torch.get_num_threads()} torch threads"
    )
    return (
        f"{where}; Python {platform.python_version()}, "
        f"torch {torch.__version__}, transformers {transformers.__version__}"
    )


def main() -> int:
    """Measure each case in fresh processes; print the Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--device", choices=["cpu", "cuda"], default="cpu")
    parser.add_argument("--quick", action="store_true", help="two cases")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(json.loads(args.child))))
        return 0
    gpu = None
    if args.device == "cuda":
        import torch  # noqa: PLC0415

        if not torch.cuda.is_available():
            print("--device cuda: torch sees no GPU")
            return 1
        gpu = _gpu(torch)
    hardware = hardware_for(gpu)
    print(f"environment: {_environment(gpu)}\n")
    print(HEADER, flush=True)
    for size, context, batch, image, attention in (
        QUICK if args.quick else CASES
    ):
        config = config_for(size, context, batch, image, attention)
        plan = predicted(config, hardware)
        case = {
            "size": size,
            "context": context,
            "batch": batch,
            "image": image,
            "attention": attention,
            "device": args.device,
            "dtype": plan["dtype"],
        }
        try:
            got = run_case(case)
        except RuntimeError as error:
            print(error, file=sys.stderr)
            return 1
        print(row(case, plan, got), flush=True)
        print(
            f"  {size} N={context} B={batch} image={image} {attention}: "
            f"a pass {got['seconds']:.1f} s at {plan['dtype']}; weights "
            f"{got['weights_exact']:,} B, KV cache {got['kv_exact']:,} B "
            f"(planned {plan['kv_cache']:,} B)",
            file=sys.stderr,
        )
    print("\nMiB; each figure from a fresh process")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
