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
from ._fields import fields_of
from ._formats import MAX_DEPTH
from .exceptions import ConfigError, Problem


__all__ = [
    "DEFAULT",
    "Layer",
    "Merged",
    "fold_dotted_keys",
    "leaf_paths",
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


def leaf_paths(cls: type, prefix: str = "") -> Iterator[str]:
    """Yield the dotted path of every leaf field of `cls`, in schema order."""
    for name, info in fields_of(cls).items():
        path = f"{prefix}.{name}" if prefix else name
        if info.section is not None:
            yield from leaf_paths(info.section, path)
        else:
            yield path


def merge(layers: Iterable[Layer]) -> Merged:
    """
    Merge `layers`, lowest first, into one nested mapping.

    Raises:
        ConfigError: a layer has an unreadable dotted key, sets a value twice,
            or nests deeper than any configuration can.
    """
    merger = _Merger()
    for layer in layers:
        merger.layer = layer
        merger.merge_into(merger.data, layer.data, "", 0)
    if merger.problems:
        raise ConfigError(merger.problems)
    return Merged(merger.data, merger.setters)


class _Merger:
    """
    The state of one merge: the data so far and who set what.

    Strictly private.
    """

    def __init__(self) -> None:
        self.data: dict[str, Any] = {}
        self.setters: dict[str, Layer] = {}
        self.problems: list[Problem] = []
        self.layer = Layer(DEFAULT, {})

    def forget(self, path: str) -> None:
        inner = f"{path}."
        for known in [
            p for p in self.setters if p == path or p.startswith(inner)
        ]:
            del self.setters[known]

    def merge_into(
        self,
        target: dict[Any, Any],
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
            path = f"{prefix}.{text}" if prefix else text
            if value is None and layer.none_resets:
                target.pop(key, None)
                self.forget(path)
            elif isinstance(value, Mapping):
                below = target.get(key)
                if not isinstance(below, dict):
                    below = {}
                    self.forget(path)
                target[key] = below
                self.setters[path] = layer
                self.merge_into(below, value, path, depth + 1)
            else:
                self.forget(path)
                target[key] = value
                self.setters[path] = layer
        self.problems.extend(
            attrs.evolve(p.at(prefix), source=layer.source) for p in folded
        )


def fold_dotted_keys(
    patch: Mapping[Any, Any], problems: list[Problem]
) -> dict[Any, Any]:
    """
    Fold the dotted keys of one level of `patch` into nested mappings.

    ``{"gpu_config.use_tensor_cores": False}`` becomes
    ``{"gpu_config": {"use_tensor_cores": False}}``; a key set both ways is a
    problem.  Only this level is folded; nested mappings fold when they are
    merged in turn.  `patch` is never changed.
    """
    if not any(type(k) is str and "." in k for k in patch):
        return dict(patch)
    result: dict[Any, Any] = {}
    for key, value in patch.items():
        if type(key) is str and "." in key:
            head, rest = key.split(".", 1)
            if not head or not rest:
                problems.append(Problem(key, "empty part in a dotted key"))
                continue
            value = {rest: value}  # noqa: PLW2901
        else:
            head = key
        if head in result:
            try:
                result[head] = _combine(result[head], value, 0)
            except _Conflict as e:
                where = f"{head}.{e.path}" if e.path else head
                problems.append(
                    Problem(
                        where,
                        "set twice in one patch (as a dotted key and a mapping)",
                    )
                )
        else:
            result[head] = value
    return result


class _Conflict(Exception):  # noqa: N818 - an internal signal
    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.path = path


def _combine(a: Any, b: Any, depth: int) -> Any:
    if (
        not isinstance(a, Mapping)
        or not isinstance(b, Mapping)
        or depth > MAX_DEPTH
    ):
        raise _Conflict("")
    merged = dict(a)
    for key, value in b.items():
        if key in merged:
            try:
                merged[key] = _combine(merged[key], value, depth + 1)
            except _Conflict as e:
                raise _Conflict(
                    f"{key}.{e.path}" if e.path else str(key)
                ) from None
        else:
            merged[key] = value
    return merged
