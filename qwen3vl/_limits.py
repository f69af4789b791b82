"""
The limits on what a config file may be and hold, and how a file is refused.

A configuration has about a hundred settings, nests four levels deep, and
its longest list (a layer index list) holds at most 1024 numbers.  The
limits sit far above that and far below what could make reading slow:

* `MAX_FILE_BYTES`: the file's size;
* `MAX_DEPTH`: the levels of nesting;
* `MAX_ITEMS`: the keys plus the list items of one document, all levels
  together.  Each reader counts them while it parses, before it builds
  what it has counted, so that a 4 MiB file of two million list items is
  refused after ten thousand of them.  `load_config`'s overrides, a
  mapping or a list built in Python, are held to the same count
  (`holds_too_many`).

Shared by the file formats (`_formats`, `_yaml`, `_prescan`); strictly
private.
"""

from __future__ import annotations

from collections.abc import Mapping

from .exceptions import ConfigError, Problem


__all__ = [
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "MAX_ITEMS",
    "file_error",
    "holds_too_many",
    "too_deep",
    "too_many",
]

MAX_FILE_BYTES = 4 * 1024 * 1024
MAX_DEPTH = 32
MAX_ITEMS = 10_000


def file_error(
    message: str, source: str | None, line: int | None = None
) -> ConfigError:
    """Return the error for a file as a whole: path ``""``, the file, a line."""
    return ConfigError([Problem("", message, source, line)])


def too_deep(source: str | None, line: int | None = None) -> ConfigError:
    """Return the error for a document nested deeper than `MAX_DEPTH`."""
    return file_error(f"nested deeper than {MAX_DEPTH} levels", source, line)


def too_many(source: str | None, line: int | None = None) -> ConfigError:
    """Return the error for a document of more than `MAX_ITEMS` items."""
    return file_error(
        f"holds more than {MAX_ITEMS} keys and list items, the limit for "
        "a config file",
        source,
        line,
    )


def holds_too_many(value: object) -> bool:
    """Tell whether `value` holds more than `MAX_ITEMS` keys and list items, all levels together."""
    # Iterative and stopped at the limit, so that the count costs at most
    # MAX_ITEMS steps however wide `value` is; levels past MAX_DEPTH are
    # not counted, so that a deep nest or a cycle is left to the depth
    # check, which names it better.
    count = 0
    stack = [(value, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            continue
        if isinstance(node, Mapping):
            children = list(node.values())
        elif isinstance(node, list | tuple):
            children = list(node)
        else:
            continue
        count += len(children)
        if count > MAX_ITEMS:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False
