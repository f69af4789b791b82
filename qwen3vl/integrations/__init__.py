"""
Integrations: a `qwen3vl` configuration driving the libraries that run the model.

* `qwen3vl.integrations.transformers`: transformers' Qwen3-VL classes, placed
  over GPU, CPU and disk by accelerate (``pip install 'qwen3vl[transformers]'``).

Each integration imports its libraries only when one of its functions is
called, so that importing it never needs them.

.. versionadded:: 0.1.0
"""
