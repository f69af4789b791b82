"""
What quantized weights need of the GPU: each method's kernels, on load or stored.

Strictly private.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from qwen3vl._compound import parse_json_object
from qwen3vl._sections import QuantizationConfig, Qwen3VLConfig
from qwen3vl._sections.serving import OnlineQuantization

from ._finding import Finding, Rule, cc_text, where
from ._plan import compute_capability
from ._profile import HardwareProfile


__all__ = ["ONLINE_MINIMUM", "QUANTIZATION_MINIMUM", "RULES", "online_runs"]

#: The least compute capability at which vLLM runs each method, from the
#: ``get_min_capability()`` of its config in
#: vllm/model_executor/layers/quantization/: Fp8Config (fp8.py),
#: AWQConfig (awq.py), GPTQConfig (gptq.py), BitsAndBytesConfig
#: (bitsandbytes.py), CompressedTensorsConfig (compressed_tensors/).  The
#: FP8 weights of compressed-tensors run as CompressedTensorsW8A8Fp8 (89)
#: or as the weight-only, Marlin CompressedTensorsW8A16Fp8 (80): as fp8.
QUANTIZATION_MINIMUM: dict[str, tuple[int, int]] = {
    "gptq": (6, 0),
    "bitsandbytes": (7, 0),
    "compressed-tensors": (7, 0),
    "awq": (7, 5),
    "fp8": (8, 0),
}

#: FP8 arithmetic: below it vLLM's Fp8LinearMethod runs Marlin, weight-only
#: (``has_device_capability(89)``); transformers' quantizer_finegrained_fp8
#: dequantizes the checkpoint to bf16 and quantizer_compressed_tensors
#: leaves its FP8 matmul kernels unused.
FP8_COMPUTE = (8, 9)

#: vLLM's faster kernels from compute 8.0, and the bits they take:
#: AWQMarlinConfig (awq_marlin.py), GPTQMarlinConfig (gptq_marlin.py,
#: symmetric only).  Below 8.0 the plain AWQ or GPTQ kernel runs.
MARLIN = {"awq": "AWQ-Marlin", "gptq": "GPTQ-Marlin"}


def _float8(q: QuantizationConfig, extra: Mapping[str, Any]) -> bool:
    # fp8, or compressed-tensors whose config_groups hold 8-bit float
    # weights (8 is compressed-tensors' default num_bits).
    groups = extra.get("config_groups")
    return q.method == "fp8" or (
        q.method == "compressed-tensors"
        and isinstance(groups, dict)
        and any(
            isinstance(group, dict)
            and isinstance(group.get("weights"), dict)
            and group["weights"].get("type") == "float"
            and group["weights"].get("num_bits", 8) == 8
            for group in groups.values()
        )
    )


def _quantization(c: Qwen3VLConfig, hw: HardwareProfile) -> Iterator[Finding]:
    # Quantized weights need their method's kernels; below the kernels'
    # compute capability the checkpoint does not load, or loads slower.
    q = c.quantization_config
    if q.method == "none":
        return
    extra = parse_json_object(q.extra)
    fp8 = _float8(q, extra)
    name = q.method.upper() if q.method in MARLIN else q.method
    kind = "FP8" if fp8 else f"{q.bits}-bit"
    weights = "FP8 weights" if q.method == "fp8" else f"{name} {kind} weights"
    least = (8, 0) if fp8 else QUANTIZATION_MINIMUM[q.method]
    cc = compute_capability(c, hw)
    if cc is None or cc < least:
        have = (
            "there is no GPU"
            if cc is None
            else f"{where(hw)} has {cc_text(cc)}"
        )
        others = ", ".join(
            f"{method} from {cc_text(m)}"
            for method, m in QUANTIZATION_MINIMUM.items()
            if cc is not None and m <= cc
        )
        yield Finding(
            "error",
            "quantization_config.method",
            f"{weights} need a CUDA GPU of compute capability {cc_text(least)} or"
            f" newer in vLLM; {have}"
            + (
                "; transformers dequantizes them to bf16"
                if q.method == "fp8"
                else ""
            ),
            f"use a GPU of compute capability {cc_text(least)} or newer, or an"
            " unquantized checkpoint"
            + (f" or one quantized for this GPU ({others})" if others else ""),
        )
    elif fp8 and cc < FP8_COMPUTE:
        yield Finding(
            "warning",
            "quantization_config.method",
            f"compute capability {cc_text(cc)} has no FP8 arithmetic (it needs"
            f" {cc_text(FP8_COMPUTE)}), so the {weights} are weight-only: vLLM"
            " runs them through Marlin, 16-bit arithmetic on FP8 weights; "
            + (
                "transformers does not run FP8 below 8.9 and dequantizes the"
                " weights to bf16 (twice the stored size)"
                if q.method == "fp8"
                else "transformers' FP8 kernels need 8.9 too"
            ),
            f"expect 16-bit speed; compute capability {cc_text(FP8_COMPUTE)} or"
            " newer runs FP8 itself",
        )
    elif (
        q.method in MARLIN
        and cc < (8, 0)
        and q.bits in (4, 8)
        and extra.get("sym") is not False
    ):
        yield Finding(
            "info",
            "quantization_config.method",
            f"vLLM's faster {MARLIN[q.method]} kernel needs compute"
            f" capability 8.0; {where(hw)} has {cc_text(cc)}, so the plain"
            f" {name} kernel runs (float16 activations only)",
            "nothing to change; compute capability 8.0 or newer runs"
            f" {MARLIN[q.method]}",
        )


#: The least compute capability each online quantization runs at, from
#: bitsandbytes' installation guide (LLM.int8() 7.5, NF4 6.0) and vLLM's
#: Fp8Config (8.0; weight-only Marlin below 8.9).
ONLINE_MINIMUM: dict[OnlineQuantization, tuple[int, int]] = {
    "int8": (7, 5),
    "nf4": (6, 0),
    "fp8": (8, 0),
}


def online_runs(cc: tuple[int, int] | None) -> list[OnlineQuantization]:
    """Return the quantizations on load that a GPU of compute capability `cc` runs."""
    return [
        m for m, at in ONLINE_MINIMUM.items() if cc is not None and at <= cc
    ]


def _online(c: Qwen3VLConfig, hw: HardwareProfile) -> Iterator[Finding]:
    # Quantizing on load runs the method's CUDA kernels on every forward.
    online = c.serving_config.online_quantization
    if online == "none":
        return
    least = ONLINE_MINIMUM[online]
    cc = compute_capability(c, hw)
    if cc is not None and cc >= least:
        return
    have = (
        "there is no GPU" if cc is None else f"{where(hw)} has {cc_text(cc)}"
    )
    runs = online_runs(cc)
    yield Finding(
        "error",
        "serving_config.online_quantization",
        f"quantizing to {online} on load needs a CUDA GPU of compute"
        f" capability {cc_text(least)} or newer; {have}",
        "set online_quantization to "
        + " or ".join(repr(m) for m in ["none", *runs])
        + ", or use a checkpoint quantized for this machine",
    )


RULES: tuple[Rule, ...] = (_quantization, _online)
