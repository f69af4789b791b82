"""
Merging configuration layers and remembering which layer set each value.

A layer is a partial configuration in the file layout (nested mappings)
with a label that says where it came from.  Layers merge lowest first: a
mapping merges into the section below it, any other value replaces.  The
result remembers, for every dotted path, the layer that set it, so that
errors point at the right file or variable and `load_config_traced` can say
where each value came from.

Works on any config class through `_schema`; imports no concrete class.

Strictly private.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from ._converters import line_of
from ._errors import short
from ._fields import leaf_paths
from ._formats import MAX_DEPTH
from ._update import fold_dotted_keys
from .exceptions import ConfigError, Problem


__all__ = [
    "DEFAULT",
    "Layer",
    "Merged",
    "merge",
]

#: The origin of a value that no layer set.
DEFAULT = "default"


@attrs.frozen
class Layer:
    """
    One source of configuration values.

    Attributes:
        label: The origin reported for its values (``"file:<path>"``,
            ``"env:<VARIABLE>"``, ``"preset:<level>"``, ...).
        data: A partial configuration, nested as in a file.
        source: What problems name as their source (a path, a variable).
        lines: Dotted path to 1-based line, where the format knows it.
        none_resets: Whether ``None`` resets a value to its default (patch
            semantics) instead of being a value.

    Strictly private.
    """

    label: str
    data: Mapping[Any, Any]
    source: str | None = None
    lines: Mapping[str, int] = attrs.field(factory=dict)
    none_resets: bool = False


@attrs.frozen
class Merged:
    """
    The merged data of several layers and where each value came from.

    Strictly private.
    """

    data: dict[str, Any]
    setters: dict[str, Layer]

    def setter(self, path: str) -> Layer | None:
        """Return the layer that set `path` or the nearest enclosing path."""
        while True:
            layer = self.setters.get(path)
            if layer is not None or not path:
                return layer
            path = path.rpartition(".")[0]

    def locate(self, path: str) -> tuple[str | None, int | None]:
        """Return the source and line that a problem at `path` points at."""
        layer = self.setter(path)
        if layer is None:
            return None, None
        return layer.source, line_of(path, layer.lines)

    def origins(self, cls: type) -> dict[str, str]:
        """Map every leaf path of `cls` to the label of the layer that set it."""
        # Exact paths only: a layer that set one key of a section must not
        # claim the section's other keys.
        result = {}
        for path in leaf_paths(cls):
            layer = self.setters.get(path)
            result[path] = DEFAULT if layer is None else layer.label
        return result


def merge(layers: Iterable[Layer]) -> Merged:
    """
    Merge `layers`, lowest first, into one nested mapping.

    Linear in the number of keys: who set what is kept as a tree that
    mirrors the data, so that a value replacing a section forgets the
    section's setters by dropping one branch, not by scanning them all.

    Raises:
        ConfigError: a layer has an unreadable dotted key, sets a value twice,
            or nests deeper than any configuration can.
    """
    merger = _Merger()
    for layer in layers:
        merger.layer = layer
        merger.merge_into(merger.data, merger.setters, layer.data, "", 0)
    if merger.problems:
        raise ConfigError(merger.problems)
    return Merged(merger.data, _flatten(merger.setters))


class _Setter:
    """
    The layer that set one path, and the setters of the paths under it.

    Strictly private.
    """

    __slots__ = ("below", "layer")

    def __init__(self, layer: Layer) -> None:
        self.layer = layer
        self.below: dict[str, _Setter] = {}


def _flatten(tree: dict[str, _Setter]) -> dict[str, Layer]:
    # The tree as dotted path -> layer, parents before their children.
    flat: dict[str, Layer] = {}
    todo = [("", tree)]
    while todo:
        prefix, branch = todo.pop()
        for text, node in branch.items():
            path = f"{prefix}.{text}" if prefix else text
            flat[path] = node.layer
            if node.below:
                todo.append((path, node.below))
    return flat


class _Merger:
    """
    The state of one merge: the data so far and who set what.

    `setters` mirrors `data`: each key's text maps to the `_Setter` of its
    path, whose `below` holds those of the keys under it.

    Strictly private.
    """

    def __init__(self) -> None:
        self.data: dict[str, Any] = {}
        self.setters: dict[str, _Setter] = {}
        self.problems: list[Problem] = []
        self.layer = Layer(DEFAULT, {})

    def merge_into(
        self,
        target: dict[Any, Any],
        setters: dict[str, _Setter],
        patch: Mapping[Any, Any],
        prefix: str,
        depth: int,
    ) -> None:
        layer = self.layer
        if depth > MAX_DEPTH:
            self.problems.append(
                Problem(
                    prefix,
                    f"nested deeper than {MAX_DEPTH} levels",
                    layer.source,
                )
            )
            return
        folded: list[Problem] = []
        for key, value in fold_dotted_keys(patch, folded).items():
            text = key if type(key) is str else short(key)
            if value is None and layer.none_resets:
                target.pop(key, None)
                setters.pop(text, None)  # with everything under it
            elif isinstance(value, Mapping):
                below = target.get(key)
                node = setters.get(text)
                if not isinstance(below, dict):
                    # It replaces a value that was not a section: no setter
                    # of a path under that value is kept.
                    below, node = {}, None
                if node is None:
                    node = setters[text] = _Setter(layer)
                target[key] = below
                node.layer = layer
                path = f"{prefix}.{text}" if prefix else text
                self.merge_into(below, node.below, value, path, depth + 1)
            else:
                target[key] = value
                setters[text] = _Setter(layer)  # with nothing under it
        self.problems.extend(
            attrs.evolve(p.at(prefix), source=layer.source) for p in folded
        )
