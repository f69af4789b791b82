"""
Reading the kernel's small text files (``/proc``, ``/sys``) without failing.

A file that is missing, unreadable or not what was expected reads as
``None``: each detector then reports what it could not learn as unknown.

Strictly private.
"""

from __future__ import annotations

import pathlib


__all__ = ["read_int", "read_text"]


def read_text(path: pathlib.Path) -> str | None:
    """Return a text file's content, or ``None`` if it cannot be read."""
    try:
        # Kernel files are ASCII; "replace" keeps a stray byte from making
        # the whole file unreadable.
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None


def read_int(path: pathlib.Path) -> int | None:
    """Return the integer a one-value file holds, or ``None``."""
    text = read_text(path)
    if text is None:
        return None
    try:
        return int(text.strip())
    except ValueError:
        return None
