"""
Importing a Hugging Face ``config.json`` with a report of every key.

`Qwen3VLConfig.from_pretrained` gives the configuration alone; this module's
`import_hf_config` gives the report too: which layout was read, which keys
were ignored as metadata, which keys no field holds, and what was decided.

Strictly private: import the names from `qwen3vl`.
"""

from __future__ import annotations

import os

from collections.abc import Mapping
from typing import Any

from qwen3vl._formats import read_document
from qwen3vl._sections import Qwen3VLConfig
from qwen3vl.exceptions import ConfigError, Problem

from ._cache import locate
from ._reader import HFImport, import_hf


__all__ = ["import_hf_config"]


def import_hf_config(
    config: Mapping[str, Any] | str | os.PathLike[str],
) -> HFImport[Qwen3VLConfig]:
    """
    Import a Hugging Face model configuration, and report what became of it.

    Args:
        config: A ``config.json`` already parsed into a mapping, or a model
            folder or model id found as `Qwen3VLConfig.from_pretrained`
            finds it (a folder or cached snapshot must hold a Hugging Face
            ``config.json``, not a configuration of ours).

    Returns:
        An `HFImport` with the validated config (every setting that is not
        architecture at its default), the layout read, the keys ignored as
        metadata, the unmapped keys with their values, and notes.

    Warns:
        UnmappedKeyWarning: some keys have no field and were not imported.

    Raises:
        ConfigError: the configuration was not found, or is invalid; each
            problem names the Hugging Face key it came from.

    .. versionadded:: 0.1.0
    """
    if isinstance(config, Mapping):
        # stacklevel 3: the warning names the caller of this function.
        return import_hf(Qwen3VLConfig, config, stacklevel=3)
    found = locate(config)
    if found.kind != "hf":
        raise ConfigError(
            [
                Problem(
                    "",
                    "holds a configuration of ours, not a Hugging Face"
                    " config.json; read it with Qwen3VLConfig.from_pretrained"
                    " or from_file",
                    found.path,
                )
            ]
        )
    data, _, source = read_document(found.path)
    return import_hf(Qwen3VLConfig, data, source=source, stacklevel=3)
