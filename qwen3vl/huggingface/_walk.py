"""
Walking one Hugging Face config: the account of every key, and its plumbing.

`Walk` holds what a walk has found so far (our data, the key each field came
from, the keys used, ignored and unmapped); the readers of the text model
(`_text`), of the vision model (`_vision`) and of the whole file
(`_reader`) build on it.

Strictly private.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeGuard

from qwen3vl._errors import short
from qwen3vl.exceptions import Problem


__all__ = ["MISSING", "Walk", "is_int", "same", "type_name"]

MISSING: Any = object()


def type_name(value: object) -> str:
    return type(value).__name__


def is_int(value: object) -> TypeGuard[int]:
    return type(value) is int


def same(a: object, b: object) -> bool:
    """Tell whether two values of a config.json are one value."""
    # 1 and 1.0 are one value in a config.json; True and 1 are not.
    numbers = (int, float)
    if type(a) in numbers and type(b) in numbers:
        return a == b
    return type(a) is type(b) and a == b


class Walk:
    """
    What a walk over one Hugging Face config has found so far.

    Strictly private.
    """

    def __init__(self, root: Mapping[str, Any]) -> None:
        self.root = root
        self.used: set[str] = set()
        self.ignored: list[str] = []
        self.unmapped: dict[str, Any] = {}
        self.data: dict[str, Any] = {}
        self.origins: dict[str, str] = {}
        self.notes: list[str] = []
        self.defaulted: list[str] = []
        self.problems: list[Problem] = []

    # -- plumbing ---------------------------------------------------------

    def part(self, key: str) -> Mapping[str, Any] | None:
        """Return the nested mapping at top-level `key`, or None if absent."""
        self.used.add(key)
        if key not in self.root:
            return None
        value = self.root[key]
        if value is None:
            self.ignored.append(key)
            return None
        if not isinstance(value, Mapping):
            self.problems.append(
                Problem(key, f"expected a mapping (got {type_name(value)})")
            )
            return None
        return value

    def get(
        self,
        part: Mapping[str, Any] | None,
        prefix: str,
        key: str,
        default: Any = MISSING,
    ) -> Any:
        """
        Return the value of `key` in `part`, marking it used.

        A key that is absent or null takes `default` (transformers treats
        null as "not set"); the key is then listed as defaulted.
        """
        path = prefix + key
        if part is not None and key in part:
            self.used.add(path)
            if part[key] is not None:
                return part[key]
            # A null holds nothing to import.
            self.ignored.append(path)
        if default is not MISSING:
            self.defaulted.append(f"{path}={short(default)}")
        return default

    def put(self, field: str, value: Any, origin: str) -> None:
        """
        Set our `field` to `value`, remembering the key it came from.

        A dotted `field` (``"rope_scaling_config.factor"``) is a section's.
        """
        if value is MISSING:
            return
        *sections, name = field.split(".")
        target = self.data
        for section in sections:
            target = target.setdefault(section, {})
        target[name] = value
        self.origins[field] = origin

    def agreeing(
        self,
        field: str,
        copies: list[tuple[Mapping[str, Any] | None, str, str]],
        default: Any = MISSING,
    ) -> Any:
        """
        Set `field` from the first of several copies of one value.

        `copies` holds (part, prefix, key) in the order transformers reads
        them; every copy is used, and copies that disagree with the first
        are a problem that names both.  Returns the value taken.
        """
        found: list[tuple[str, Any]] = []
        for part, prefix, key in copies:
            value = self.get(part, prefix, key)
            if value is not MISSING and all(
                path != prefix + key for path, _ in found
            ):
                found.append((prefix + key, value))
        if not found:
            if default is not MISSING:
                self.defaulted.append(
                    f"{copies[0][1]}{copies[0][2]}={short(default)}"
                )
                self.put(field, default, copies[0][1] + copies[0][2])
            return default
        (path, value), *others = found
        for other, seen in others:
            if same(seen, value):
                self.ignored.append(other)
            else:
                self.problem(
                    other,
                    f"says {short(seen)} where {path} says {short(value)};"
                    f" both give {field}, and they must agree (transformers"
                    f" reads {path}): make them equal, or remove one",
                )
        self.put(field, value, path)
        return value

    def problem(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))
