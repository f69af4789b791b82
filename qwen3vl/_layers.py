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

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import attrs

from ._converters import line_of
from ._errors import short
from ._fields import FieldInfo, leaf_paths
from ._formats import MAX_DEPTH
from ._update import fold_dotted_keys
from ._validators import Invalid
from .exceptions import ConfigError, Problem


__all__ = [
    "DEFAULT",
    "Layer",
    "Merged",
    "merge",
]

#: The origin of a value that no layer set.
DEFAULT = "default"

# Values that are surely not mappings, told apart without isinstance's
# slower look at Mapping (200 000 keys are possible).
_PLAIN = frozenset({int, float, str, bool, list, tuple, type(None)})


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
    tree: _Setters

    @property
    def setters(self) -> dict[str, Layer]:
        """Every path that a layer set, with that layer (made on each call)."""
        return self.tree.flatten()

    def set_by(self, path: str) -> Layer | None:
        """Return the layer that set exactly `path`, if one did."""
        return self.tree.find(path)

    def setter(self, path: str) -> Layer | None:
        """Return the layer that set `path` or the nearest enclosing path."""
        while True:
            layer = self.tree.find(path)
            if layer is not None or not path:
                return layer
            path = path.rpartition(".")[0]

    def locate(self, path: str) -> tuple[str | None, int | None]:
        """Return the source and line that a problem at `path` points at."""
        layer = self.setter(path)
        if layer is None:
            return None, None
        return layer.source, line_of(path, layer.lines)

    def overruled(
        self,
        config: object,
        below: Layer,
        checks: Mapping[str, str],
        fields: Mapping[str, FieldInfo],
    ) -> Iterator[tuple[str, Any, Any, Layer]]:
        """
        Yield where a file layer overrules `below` against `checks`.

        `checks` maps dotted leaf paths to ``"same"`` (a file must give the
        value `below` gives) or ``"most"`` (at most that value); `fields`
        holds their field infos, to read `below`'s values.  Each as
        ``(path, the value in config, below's value, the file layer)``, the
        values as files write them; `below` holds nested data (no dotted
        keys).
        """
        for path, check in checks.items():
            theirs: Any = below.data
            for part in path.split("."):
                theirs = (
                    theirs.get(part) if isinstance(theirs, Mapping) else None
                )
            layer = self.tree.find(path)
            validator = fields[path].validator
            if theirs is None or layer is None or validator is None:
                continue
            if not layer.label.startswith("file:"):
                continue
            try:
                theirs = validator.parse(theirs)
            except Invalid:  # pragma: no cover - a preset is valid
                continue
            ours = config
            for part in path.split("."):
                ours = getattr(ours, part)
            if ours > theirs if check == "most" else ours != theirs:
                yield path, validator.dump(ours), validator.dump(theirs), layer

    def origins(self, cls: type) -> dict[str, str]:
        """Map every leaf path of `cls` to the label of the layer that set it."""
        # Exact paths only: a layer that set one key of a section must not
        # claim the section's other keys.
        result = {}
        for path in leaf_paths(cls):
            layer = self.tree.find(path)
            result[path] = DEFAULT if layer is None else layer.label
        return result


def merge(layers: Iterable[Layer]) -> Merged:
    """
    Merge `layers`, lowest first, into one nested mapping.

    Linear in the number of keys: who set what is kept as a tree that
    mirrors the data (`_Setters`), so that a value replacing a section
    forgets the setters of the keys under it by dropping one branch, not by
    scanning them all, and no dotted path is made unless it is asked for.

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
    return Merged(merger.data, merger.setters)


class _Setters:
    """
    Who set the keys of one mapping of the merged data.

    `layers` holds the layer that set each key (by its text), `below` the
    `_Setters` of each key that holds a section.  Forgetting a key forgets
    everything under it in one step.

    Strictly private.
    """

    __slots__ = ("below", "layers")

    def __init__(self) -> None:
        self.layers: dict[str, Layer] = {}
        self.below: dict[str, _Setters] = {}

    def forget(self, text: str) -> None:
        self.layers.pop(text, None)
        self.below.pop(text, None)

    def find(self, path: str) -> Layer | None:
        """Return the layer that set the dotted `path`: ``flatten()[path]``."""
        layer = self.layers.get(path)
        if layer is not None:
            return layer
        # A key's text may hold dots itself (the repr of a key that is not
        # a string), so each dot is tried as the end of this level's text.
        # Each node of the tree is tried once at most: linear in its size.
        dot = path.find(".")
        while dot != -1:
            below = self.below.get(path[:dot])
            if below is not None:
                layer = below.find(path[dot + 1 :])
                if layer is not None:
                    return layer
            dot = path.find(".", dot + 1)
        return None

    def flatten(self) -> dict[str, Layer]:
        """Return who set what as dotted path -> layer."""
        flat = dict(self.layers)
        todo = list(self.below.items())
        while todo:
            prefix, level = todo.pop()
            for text, layer in level.layers.items():
                flat[f"{prefix}.{text}"] = layer
            todo.extend((f"{prefix}.{t}", i) for t, i in level.below.items())
        return flat


class _Merger:
    """
    The state of one merge: the data so far and who set what.

    `setters` mirrors `data` level by level (see `_Setters`).

    Strictly private.
    """

    def __init__(self) -> None:
        self.data: dict[str, Any] = {}
        self.setters = _Setters()
        self.problems: list[Problem] = []
        self.layer = Layer(DEFAULT, {})

    def merge_into(
        self,
        target: dict[Any, Any],
        setters: _Setters,
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
                setters.forget(text)
            elif value.__class__ not in _PLAIN and isinstance(value, Mapping):
                below = target.get(key)
                inner = setters.below.get(text)
                if not isinstance(below, dict):
                    # It replaces a value that was not a section: no setter
                    # of a path under that value is kept.
                    below, inner = {}, None
                if inner is None:
                    inner = setters.below[text] = _Setters()
                target[key] = below
                setters.layers[text] = layer
                path = f"{prefix}.{text}" if prefix else text
                self.merge_into(below, inner, value, path, depth + 1)
            else:
                target[key] = value
                setters.layers[text] = layer
                if setters.below:
                    setters.below.pop(text, None)  # and all under it
        self.problems.extend(
            attrs.evolve(p.at(prefix), source=layer.source) for p in folded
        )
