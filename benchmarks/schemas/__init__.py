"""
The same configuration schema in each library the benchmark compares.

Each module is an *adapter*: it defines the schema in its library (or wraps
the library's own class) and offers the same operations under the same
names, so that `benchmarks/run.py` times like with like:

* ``NAME`` (the column title), ``DISTRIBUTION`` (for the version line) and
  ``IMPORT`` (the statement timed as the library's cold import), and
  ``CALLS``, which calls the operations are, in words;
* ``inputs(common)``: the `Inputs` it reads, from the qwen3vl ones (only
  transformers translates them, to its ``config.json`` layout);
* ``default()``, ``from_dict(data)``, ``to_dict(obj)``,
  ``apply_updates(obj, patch)``;
* ``LOADERS`` and ``SAVERS``: format (``"json"``, ``"yaml"``, ``"toml"``)
  to a function of a path (and an object); a format the library has no way
  to read or write is absent;
* ``INVALID``: the exceptions that mean "the input is invalid", and
  ``count_problems(error)``, how many problems one error reports.

The schema modules import neither qwen3vl nor each other, so that a cold
import of one costs only its library and its own definitions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


__all__ = ["ADAPTERS", "Inputs"]

#: The adapter modules, qwen3vl first; the runner imports those it can.
ADAPTERS = (
    "qwen3vl_api",
    "pydantic_models",
    "msgspec_structs",
    "omegaconf_dataclasses",
    "transformers_hf",
)


@dataclass(frozen=True)
class Inputs:
    """What every operation reads: dicts, a patch and files, for one layout."""

    #: A complete, valid configuration as plain data.
    full: dict[str, Any]
    #: A configuration with several problems in several sections.
    invalid: dict[str, Any]
    #: A patch of two fields in one section.
    patch: dict[str, Any]
    #: The complete configuration written in each format, by format name.
    files: dict[str, Path] = field(default_factory=dict)
