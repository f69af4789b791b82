"""
Hugging Face: ``config.json`` read into our configuration, and written back.

* `import_hf_config` imports a ``config.json`` (a mapping, a model folder or
  a cached model id) and reports what became of every key in an `HFImport`;
  keys that no field holds also raise an `UnmappedKeyWarning`;
* `Qwen3VLConfig.from_pretrained` and `Qwen3VLConfig.to_hf_dict` use the
  modules inside: `_layouts` (the layouts of every Qwen-VL family and the
  spellings of each quantization method, as data), `_reader` (reading a
  ``config.json``, with `_walk`, `_text`, `_rope`, `_vision`,
  `_quantization` and `_account`), `_writer` (writing the family's layout,
  with `_rope` and `_quantization`) and `_cache` (a model folder or the local
  cache, never the network).

Import the public names from `qwen3vl`.
"""

from ._pretrained import import_hf_config
from ._reader import HFImport, UnmappedKeyWarning


__all__ = [
    "HFImport",
    "UnmappedKeyWarning",
    "import_hf_config",
]
