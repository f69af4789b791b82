"""
The activation names qwen3vl accepts, written once for the other schemas.

A copy of ``qwen3vl._sections.architecture.ACTIVATIONS``, not an import of it: the
other libraries' schemas must not pay for importing qwen3vl.
`benchmarks/run.py` refuses to run when the two differ.
"""

from __future__ import annotations


__all__ = ["ACTIVATIONS"]

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
