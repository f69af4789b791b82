"""
`check_config`: what a configuration asks of a machine that it cannot give.

Each rule is a function of the config and a `HardwareProfile` that yields
`Finding`\\ s.  A rule skips what the profile does not know.  Rules whose
finding has a safe fix say so in `Finding.fix`, which `resolve_for_hardware`
applies.

Strictly private: import the names from `qwen3vl.hardware`.
"""

from __future__ import annotations

from collections.abc import Iterator

from qwen3vl._sections import Qwen3VLConfig
from qwen3vl._switches import without_counterpart
from qwen3vl._units import GiB, show_size

from ._detect import detect_hardware
from ._finding import ORDER, Finding, Rule, Severity, cc_text, where
from ._fit import RULES as FIT_RULES
from ._kernels import RULES as KERNEL_RULES
from ._plan import compute_capability
from ._profile import HardwareProfile


__all__ = ["Finding", "Severity", "check_config"]

_RULES: list[Rule] = []


def _rule(check: Rule) -> Rule:
    _RULES.append(check)
    return check


@_rule
def _no_gpu(c: Qwen3VLConfig, hw: HardwareProfile) -> Iterator[Finding]:
    # A machine without a GPU cannot hold a GPU tier or run GPU kernels.
    if hw.gpus != () or c.memory_config.gpu_memory_size == 0:
        return
    yield Finding(
        "error",
        "memory_config.gpu_memory_size",
        f"the config gives the GPU {show_size(c.memory_config.gpu_memory_size)}"
        " but the machine has no GPU",
        "run on the CPU: the cpu_only hardware preset sets this",
        {
            "memory_config.gpu_memory_size": 0,
            "memory_config.memory_pool_size": 0,
            "gpu_config.enable_gpu_optimizations": False,
            "gpu_config.use_tensor_cores": False,
            "gpu_config.use_mixed_precision": False,
            "gpu_config.attention_implementation": "sdpa",
            "optimization_config.use_flash_attention_2": False,
        },
    )


@_rule
def _capability_differs(
    c: Qwen3VLConfig, hw: HardwareProfile
) -> Iterator[Finding]:
    # The config's figures should describe the machine it runs on.
    gpu = hw.gpu
    if gpu is None or gpu.compute_capability is None:
        return
    said = c.gpu_config.gpu_compute_capability
    if said != gpu.compute_capability:
        yield Finding(
            "warning",
            "gpu_config.gpu_compute_capability",
            f"the config says compute capability {cc_text(said)}; the GPU"
            f" ({gpu.name}) has {cc_text(gpu.compute_capability)}",
            f"set gpu_compute_capability to {list(gpu.compute_capability)}",
            {"gpu_config.gpu_compute_capability": gpu.compute_capability},
        )


@_rule
def _tensor_cores(c: Qwen3VLConfig, hw: HardwareProfile) -> Iterator[Finding]:
    # Tensor cores arrived with Volta (7.0); below, the flag asks for
    # kernels that do not exist.
    cc = compute_capability(c, hw)
    if cc is not None and c.gpu_config.use_tensor_cores and cc < (7, 0):
        yield Finding(
            "error",
            "gpu_config.use_tensor_cores",
            f"tensor cores need compute capability 7.0 or newer;"
            f" {where(hw)} has {cc_text(cc)}",
            "set use_tensor_cores to false",
            {"gpu_config.use_tensor_cores": False},
        )


@_rule
def _precision(c: Qwen3VLConfig, hw: HardwareProfile) -> Iterator[Finding]:
    cc = compute_capability(c, hw)
    if cc is None or not c.gpu_config.use_mixed_precision:
        return
    if cc[0] == 6 and cc[1] >= 1:
        # Consumer Pascal (6.1) runs fp16 arithmetic at 1/64 of fp32 speed.
        yield Finding(
            "error",
            "gpu_config.use_mixed_precision",
            f"compute capability {cc_text(cc)} runs fp16 at a small fraction"
            " (1/64) of fp32 speed, so mixed precision slows the model down",
            "set use_mixed_precision to false (fp32)",
            {"gpu_config.use_mixed_precision": False},
        )
    elif cc < (8, 0):
        yield Finding(
            "info",
            "gpu_config.use_mixed_precision",
            f"bf16 needs compute capability 8.0; {where(hw)} has {cc_text(cc)},"
            " so mixed precision uses fp16",
            "nothing to change; fp16 is the right half precision here",
        )


@_rule
def _flash_attention(
    c: Qwen3VLConfig, hw: HardwareProfile
) -> Iterator[Finding]:
    # FlashAttention-2 supports Ampere (8.0) and newer, on CUDA only.
    cc = compute_capability(c, hw)
    if cc is not None and cc >= (8, 0):
        return
    have = "no GPU" if cc is None else f"compute capability {cc_text(cc)}"
    if c.gpu_config.attention_implementation == "flash_attention_2":
        yield Finding(
            "error",
            "gpu_config.attention_implementation",
            f"FlashAttention-2 needs a CUDA GPU of compute capability 8.0 or"
            f" newer; there is {have}",
            "use 'sdpa' (PyTorch's memory-efficient attention runs from 5.0"
            " and on the CPU)",
            {"gpu_config.attention_implementation": "sdpa"},
        )
    if c.optimization_config.use_flash_attention_2:
        yield Finding(
            "error",
            "optimization_config.use_flash_attention_2",
            f"FlashAttention-2 needs compute capability 8.0 or newer; there"
            f" is {have}",
            "set use_flash_attention_2 to false",
            {"optimization_config.use_flash_attention_2": False},
        )


@_rule
def _flash_attention_agrees(
    c: Qwen3VLConfig, _: HardwareProfile
) -> Iterator[Finding]:
    # Two settings say the same thing; when they differ, one is ignored.
    switch = c.optimization_config.use_flash_attention_2
    kernel = c.gpu_config.attention_implementation
    if switch != (kernel == "flash_attention_2"):
        yield Finding(
            "warning",
            "optimization_config.use_flash_attention_2",
            f"use_flash_attention_2 is {str(switch).lower()} but"
            f" gpu_config.attention_implementation is {kernel!r}",
            "make them agree; attention_implementation decides the kernel",
            {
                "optimization_config.use_flash_attention_2": kernel
                == "flash_attention_2"
            },
        )


@_rule
def _simd(c: Qwen3VLConfig, hw: HardwareProfile) -> Iterator[Finding]:
    wanted = c.cpu_config.simd_instruction_set
    has = hw.has_simd(wanted)
    if has is False:
        yield Finding(
            "error",
            "cpu_config.simd_instruction_set",
            f"the CPU has no {wanted}; its widest set is {hw.simd}",
            f"set simd_instruction_set to {hw.simd!r}",
            {"cpu_config.simd_instruction_set": hw.simd},
        )
    elif has and hw.simd != wanted and c.cpu_config.enable_simd_optimizations:
        yield Finding(
            "info",
            "cpu_config.simd_instruction_set",
            f"the CPU has {hw.simd}, wider than the configured {wanted}",
            f"set simd_instruction_set to {hw.simd!r} for wider vectors",
        )


@_rule
def _threads(c: Qwen3VLConfig, hw: HardwareProfile) -> Iterator[Finding]:
    # More threads than CPUs only adds switching; they run, slower.
    cpus = hw.logical_cpus
    if cpus is None:
        return
    cpu = c.cpu_config
    if cpu.num_threads > cpus:
        yield Finding(
            "warning",
            "cpu_config.num_threads",
            f"{cpu.num_threads} threads but this process may use {cpus} CPUs",
            f"set num_threads to at most {cpus}",
        )
    if cpu.num_workers > cpus:
        yield Finding(
            "warning",
            "cpu_config.num_workers",
            f"{cpu.num_workers} workers but this process may use {cpus} CPUs",
            f"set num_workers to at most {cpus}",
        )


@_rule
def _memory_sizes(c: Qwen3VLConfig, hw: HardwareProfile) -> Iterator[Finding]:
    # A tier larger than the hardware is memory the plan counts on in vain.
    memory = c.memory_config
    gpu = hw.gpu
    if (
        gpu is not None
        and gpu.memory_bytes is not None
        and memory.gpu_memory_size > gpu.memory_bytes
    ):
        yield Finding(
            "error",
            "memory_config.gpu_memory_size",
            f"{show_size(memory.gpu_memory_size)} configured; the GPU has"
            f" {show_size(gpu.memory_bytes)}",
            f"set gpu_memory_size to at most {show_size(gpu.memory_bytes)}",
            {
                "memory_config.gpu_memory_size": gpu.memory_bytes,
                "memory_config.memory_pool_size": min(
                    memory.memory_pool_size, gpu.memory_bytes
                ),
            },
        )
    total = hw.memory_total_bytes
    if total is not None and memory.cpu_memory_size > total:
        yield Finding(
            "error",
            "memory_config.cpu_memory_size",
            f"{show_size(memory.cpu_memory_size)} configured; the machine"
            f" has {show_size(total)} for this process",
            f"set cpu_memory_size to at most {show_size(total)}",
            {"memory_config.cpu_memory_size": total},
        )
    elif (
        hw.memory_available_bytes is not None
        and memory.cpu_memory_size > hw.memory_available_bytes
    ):
        yield Finding(
            "warning",
            "memory_config.cpu_memory_size",
            f"{show_size(memory.cpu_memory_size)} configured; only"
            f" {show_size(hw.memory_available_bytes)} is free now",
            "free memory, or lower cpu_memory_size",
        )
    disk = hw.disk
    if (
        disk is not None
        and disk.free_bytes is not None
        and memory.ssd_memory_size > disk.free_bytes
    ):
        fix = {"memory_config.ssd_memory_size": disk.free_bytes}
        yield Finding(
            "error",
            "memory_config.ssd_memory_size",
            f"{show_size(memory.ssd_memory_size)} configured; the offload"
            f" disk has {show_size(disk.free_bytes)} free",
            f"set ssd_memory_size to at most {show_size(disk.free_bytes)}",
            fix if disk.free_bytes > 0 else {},
        )


#: Real GPUs by (compute capability, memory GiB): their bandwidths in GB/s.
#: Enough to tell a consistent GPU section from an impossible one.
KNOWN_GPUS: dict[
    tuple[tuple[int, int], int], tuple[tuple[str, float], ...]
] = {
    ((6, 1), 3): (("GeForce GTX 1060 3GB", 192.0),),
    ((6, 1), 4): (("GeForce GTX 1050 Ti", 112.0),),
    ((6, 1), 6): (("GeForce GTX 1060 6GB", 192.0),),
    ((6, 1), 8): (("GeForce GTX 1070", 256.0), ("GeForce GTX 1080", 320.0)),
    ((6, 1), 11): (("GeForce GTX 1080 Ti", 484.0),),
    ((7, 0), 16): (("Tesla V100 16GB", 900.0),),
    ((7, 0), 32): (("Tesla V100 32GB", 900.0),),
    ((7, 5), 16): (("Tesla T4", 320.0),),
    ((8, 0), 40): (("A100 40GB", 1555.0),),
    ((8, 0), 80): (("A100 80GB", 2039.0),),
    ((8, 6), 24): (("GeForce RTX 3090", 936.2), ("A10", 600.0)),
    ((8, 9), 24): (("GeForce RTX 4090", 1008.0), ("L4", 300.0)),
    ((9, 0), 80): (("H100 SXM", 3352.0), ("H100 PCIe", 2039.0)),
}


@_rule
def _gpu_consistent(
    c: Qwen3VLConfig, hw: HardwareProfile
) -> Iterator[Finding]:
    # Figures copied from different cards make every estimate wrong.
    if hw.gpus == ():
        return  # no GPU: the no-GPU finding covers the section
    gpu = c.gpu_config
    said = gpu.memory_bandwidth_gbps
    real = hw.gpu
    if (
        real is not None
        and real.memory_bandwidth_gbps is not None
        and abs(said - real.memory_bandwidth_gbps)
        > 0.1 * real.memory_bandwidth_gbps
    ):
        yield Finding(
            "warning",
            "gpu_config.memory_bandwidth_gbps",
            f"{said:g} GB/s configured; the GPU ({real.name}) has"
            f" {real.memory_bandwidth_gbps:g} GB/s",
            f"set memory_bandwidth_gbps to {real.memory_bandwidth_gbps:g}",
            {"gpu_config.memory_bandwidth_gbps": real.memory_bandwidth_gbps},
        )
        return
    if (
        real is not None
        and real.memory_bandwidth_gbps is not None
        and hw.source == "detected"
    ):
        return  # a measured GPU agrees; the catalogue cannot know better
    gib = round(c.memory_config.gpu_memory_size / GiB)
    cards = KNOWN_GPUS.get((gpu.gpu_compute_capability, gib))
    if cards and not any(abs(said - bw) <= 0.1 * bw for _, bw in cards):
        known = ", ".join(f"{name}: {bw:g} GB/s" for name, bw in cards)
        yield Finding(
            "warning",
            "gpu_config.memory_bandwidth_gbps",
            f"no GPU of compute capability {cc_text(gpu.gpu_compute_capability)}"
            f" with {gib} GB has {said:g} GB/s ({known})",
            "use the bandwidth of the card you have",
        )


@_rule
def _moe_on_dense(c: Qwen3VLConfig, _: HardwareProfile) -> Iterator[Finding]:
    # The switch follows the model: transformers and vLLM pick the MoE model
    # classes by num_experts, so on a dense model use_moe changes nothing.
    # An error here failed every balanced and aggressive preset (issue 16).
    if c.num_experts == 0 and c.optimization_config.use_moe:
        yield Finding(
            "info",
            "optimization_config.use_moe",
            "use_moe is true and the model is dense (num_experts is 0):"
            " there are no experts to route to, so it changes nothing",
            "nothing to change; it takes effect with a mixture-of-experts"
            " checkpoint",
        )


@_rule
def _mrope_interleaved(
    c: Qwen3VLConfig, _: HardwareProfile
) -> Iterator[Finding]:
    # transformers' Qwen3-VL rotary embedding (modeling_qwen3_vl.py,
    # recomposition_frequencies) always interleaves the sections; only
    # vLLM's get_rope reads rope_scaling["mrope_interleaved"].
    if c.model_family == "qwen3_vl" and not c.mrope_interleaved:
        yield Finding(
            "info",
            "mrope_interleaved",
            "mrope_interleaved is false, but transformers' Qwen3-VL always"
            " interleaves the rotary sections: only vLLM reads the flag",
            "set mrope_interleaved to true, as Qwen3-VL checkpoints have it;"
            " false describes the model only to vLLM",
        )


@_rule
def _no_transformers_counterpart(
    c: Qwen3VLConfig, _: HardwareProfile
) -> Iterator[Finding]:
    # transformers runs the model without these; say so rather than let a
    # switch that does nothing look as if it did something.
    for flag in without_counterpart(c.optimization_config):
        yield Finding(
            "info",
            f"optimization_config.{flag}",
            f"{flag} is on, but transformers has no counterpart: a model"
            " it loads runs without it",
            f"set {flag} to false, or leave it for a runtime that"
            " implements it; transformers ignores it",
        )


def check_config(
    config: Qwen3VLConfig, hardware: HardwareProfile | None = None
) -> list[Finding]:
    """
    Return what `config` asks of the machine that it cannot give.

    `hardware` is the machine (``None`` detects this one;
    `HardwareProfile.from_target` describes another).  Findings come errors
    first, then warnings, then infos, each group by path.

    .. versionadded:: 0.1.0
    """
    profile = detect_hardware() if hardware is None else hardware
    findings = [
        f
        for rule in (*_RULES, *KERNEL_RULES, *FIT_RULES)
        for f in rule(config, profile)
    ]
    return sorted(findings, key=lambda f: (ORDER[f.severity], f.path))
