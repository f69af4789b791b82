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


__all__ = ["MISSING", "Walk", "is_int", "type_name"]

MISSING: Any = object()


def type_name(value: object) -> str:
    return type(value).__name__


def is_int(value: object) -> TypeGuard[int]:
    return type(value) is int


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
        """Set our `field` to `value`, remembering the key it came from."""
        if value is MISSING:
            return
        self.data[field] = value
        self.origins[field] = origin

    def problem(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))
