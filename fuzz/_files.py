# ruff: noqa: INP001 - scripts run from this folder, not a package
"""
What the ``from_file`` targets share: a reader that serves the fuzz bytes.

``from_file`` runs as it is (suffix, decoding, parsing, the old-layout
upgrade, validation); only the lowest step, reading the bytes from disk, is
replaced, so that each input costs no disk I/O.  The file-system checks
that step makes (FIFOs, folders, the size limit) are covered by
``tests/test_formats.py``.
"""

from __future__ import annotations

from collections.abc import Callable

import _harness


with _harness.instrumented():
    import _inputs

    from qwen3vl import Qwen3VLConfig, _formats

_served: dict[str, bytes] = {}
# The one private name the fuzzing reaches for, on purpose.
_real_read_bytes = _formats._read_bytes  # noqa: SLF001


def _read_bytes(path: str) -> bytes:
    if path in _served:
        return _served[path]
    return _real_read_bytes(path)


_formats._read_bytes = _read_bytes  # noqa: SLF001


def serve(path: str, data: bytes) -> None:
    """Make reading the file at `path` give `data`."""
    _served[path] = data


def forget() -> None:
    """Serve no file any more."""
    _served.clear()


def target(fmt: str) -> Callable[[bytes], object]:
    """A target that loads `data` as a file of format `fmt`."""
    name = f"fuzz.{fmt}"

    def one_input(data: bytes) -> object:
        serve(name, data)
        return Qwen3VLConfig.from_file(name)

    return one_input


def run(fmt: str) -> None:
    """Fuzz ``from_file`` for `fmt`, seeded with canonical files."""
    _harness.main(
        f"from_file_{fmt}",
        target(fmt),
        seeds=_inputs.canonical_files(fmt),
        dictionary=_inputs.file_tokens(fmt),
        max_len=16384,
    )
