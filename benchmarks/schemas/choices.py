"""
The names qwen3vl accepts, written once for the other schemas.

Copies of ``qwen3vl._sections.architecture.ACTIVATIONS``, the model
families, checkpoint dtypes, rope types, quantization methods, KV cache
dtypes and quantizations on load, and the pattern of a module name, not imports of them: the other libraries' schemas
must not pay for importing qwen3vl.  `benchmarks/run.py` refuses to run when
a copy differs.
"""

from __future__ import annotations


__all__ = [
    "ACTIVATIONS",
    "DTYPES",
    "FAMILIES",
    "KV_CACHE_DTYPES",
    "MODULE_NAME",
    "ONLINE_QUANTIZATIONS",
    "QUANTIZATION_METHODS",
    "ROPE_TYPES",
]

#: ``qwen3vl._sections.families.FAMILIES``.
FAMILIES = ("qwen3_vl", "qwen2_5_vl", "qwen2_vl")
#: The checkpoint dtypes of the root's ``dtype``.
DTYPES = ("bfloat16", "float16", "float32")
#: ``qwen3vl._sections.rope.ROPE_TYPES``.
ROPE_TYPES = ("default", "linear", "dynamic", "yarn", "longrope", "llama3")
#: ``qwen3vl._sections.quantization.QUANTIZATION_METHODS``.
QUANTIZATION_METHODS = (
    "none",
    "fp8",
    "awq",
    "gptq",
    "bitsandbytes",
    "compressed-tensors",
)
#: ``qwen3vl._sections.serving.KV_CACHE_DTYPES``.
KV_CACHE_DTYPES = ("auto", "fp16", "bf16", "fp32", "fp8_e4m3", "fp8_e5m2")
#: ``qwen3vl._sections.serving.ONLINE_QUANTIZATIONS``.
ONLINE_QUANTIZATIONS = ("none", "int8", "nf4", "fp8")
#: One module name or pattern (qwen3vl's ``name_tuple``), unanchored:
#: printable ASCII without spaces or commas.
MODULE_NAME = r"[!-+\--~]{1,512}"

ACTIVATIONS = (
    "gelu",
    "gelu_10",
    "gelu_accurate",
    "gelu_fast",
    "gelu_new",
    "gelu_python",
    "gelu_python_tanh",
    "gelu_pytorch_tanh",
    "hardswish",
    "laplace",
    "leaky_relu",
    "linear",
    "mish",
    "prelu",
    "quick_gelu",
    "relu",
    "relu2",
    "relu6",
    "sigmoid",
    "silu",
    "sqrtsoftplus",
    "swish",
    "tanh",
    "xielu",
)
