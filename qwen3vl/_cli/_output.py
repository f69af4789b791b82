"""
How the commands write: standard output that never ends in a traceback,
``error:`` lines, colour, wrapping, JSON, and values as files write them.

Strictly private.
"""

from __future__ import annotations

import json
import os
import sys
import textwrap

from typing import IO, Any


__all__ = [
    "EXIT_FINDINGS",
    "EXIT_OK",
    "EXIT_USAGE",
    "WIDTH",
    "Out",
    "Unwritable",
    "as_json",
    "at_path",
    "error",
    "paint",
    "show_warning",
    "shown",
    "wrap",
]

WIDTH = 80
EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2

_COLOURS = {"error": "31", "warning": "33", "info": "36", "bold": "1"}


class Unwritable(Exception):  # noqa: N818 - private, never escapes main
    """Standard output refused a write (the `OSError` is its cause)."""


class Out:
    """
    A text stream as the commands write to it.

    A character that the stream's encoding lacks is written as a backslash
    escape (as Python writes standard error) instead of raising; JSON
    output checks `can_encode` first and escapes itself, the JSON way.  A
    write or flush that fails raises `Unwritable`, which `main` turns
    into exit code 1 without a traceback.
    """

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream
        self.encoding: str = getattr(stream, "encoding", None) or "utf-8"

    def can_encode(self, text: str) -> bool:
        try:
            text.encode(self.encoding)
        except UnicodeEncodeError:
            return False
        return True

    def write(self, text: str) -> None:
        try:
            try:
                self._stream.write(text)
            except UnicodeEncodeError:
                # A text stream encodes the whole text before it keeps any
                # of it, so nothing was written.
                escaped = text.encode(self.encoding, "backslashreplace")
                self._stream.write(escaped.decode(self.encoding))
        except OSError as e:
            raise Unwritable(e) from e

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError as e:
            raise Unwritable(e) from e

    def isatty(self) -> bool:
        try:
            return self._stream.isatty()
        except (OSError, ValueError):
            return False


def error(text: str, severity: str = "error") -> None:
    """Write one ``error:`` line on standard error, if anyone can read it."""
    if sys.stderr is None:
        return
    err = Out(sys.stderr)
    try:
        err.write(f"{paint(severity, severity, err)}: {text}\n")
        err.flush()
    except Unwritable:
        pass


def show_warning(  # noqa: PLR0913, PLR0917 - warnings.showwarning's
    message: Warning | str,
    category: type[Warning],  # noqa: ARG001
    filename: str,  # noqa: ARG001
    lineno: int,  # noqa: ARG001
    file: IO[str] | None = None,  # noqa: ARG001
    line: str | None = None,  # noqa: ARG001
) -> None:
    """Write a warning as one ``warning:`` line, not as Python shows it."""
    error(" ".join(str(message).split()), "warning")


def paint(text: str, colour: str, stream: Out | IO[str]) -> str:
    """Return `text` in `colour` for a terminal, else as it is."""
    # Colour only for a person at a terminal, and never against NO_COLOR
    # (https://no-color.org).
    if os.environ.get("NO_COLOR") or not stream.isatty():
        return text
    return f"\033[{_COLOURS[colour]}m{text}\033[0m"


def wrap(text: str, indent: str = "    ") -> str:
    """Fill `text` to the width of the output, every line indented."""
    return textwrap.fill(
        text, WIDTH, initial_indent=indent, subsequent_indent=indent
    )


def as_json(data: Any, out: Out) -> str:
    """Return `data` as indented JSON that `out` can write, with a newline."""
    text = json.dumps(data, indent=2, ensure_ascii=False, default=str)
    if not out.can_encode(text):
        # \u escapes keep it valid JSON with the same meaning; the stream's
        # backslash escapes would not be JSON.
        text = json.dumps(data, indent=2, default=str)
    return text + "\n"


def at_path(data: Any, path: str) -> Any:
    """Return the value at dotted `path` of nested mappings."""
    for part in path.split("."):
        data = data[part]
    return data


def shown(value: Any) -> str:
    """
    Return a value as `show` writes it, on one line.

    `value` is file data (`to_file_data`): sizes are already ``"64MiB"``,
    pairs and tuples lists, so the JSON spelling is the files' own.
    """
    return json.dumps(value, ensure_ascii=False)
