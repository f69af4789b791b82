"""
`apply_updates`: runtime changes as JSON Merge Patches that return new configs.

Strictly private.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from ._converters import finish, replace, reset_value
from ._errors import given
from ._fields import UnknownKey, fields_of, is_config_class, rules_of
from ._formats import MAX_DEPTH
from ._validators import Invalid
from .exceptions import ConfigError, Problem


__all__ = ["apply_updates", "fold_dotted_keys"]

C = TypeVar("C")

PATCH_SOURCE = "patch"


def apply_updates(config: C, patch: Mapping[str, Any]) -> C:
    """
    Return a new config: `config` with `patch` applied as a JSON Merge Patch.

    The rules (RFC 7396, adapted to a schema):

    * a mapping merges into the section it names, key by key;
    * any other value replaces the field (a list replaces as a whole);
    * ``None`` (JSON ``null``) resets a field, or a whole section, to its
      default;
    * a dotted key (``"gpu_config.use_tensor_cores"``) is the same as the
      nested mapping it spells;
    * values are read as file values are: ``"6GiB"`` works for sizes.

    The result is fully validated.  Sections the patch does not touch are the
    very same objects as in `config`; `config` and `patch` are never changed.
    It works on the root config and on any section.

    Raises:
        ConfigError: with every problem in the patch; nothing has changed.

    .. versionadded:: 0.1.0
    """
    cls = type(config)
    if not is_config_class(cls):
        msg = f"apply_updates needs a config object, not {cls.__name__}"
        raise TypeError(msg)
    if not isinstance(patch, Mapping):
        problem = Problem("", f"expected a mapping patch ({given(patch)})")
        raise finish([problem], cls, source=PATCH_SOURCE)
    try:
        return _apply(config, patch)
    except ConfigError as e:
        raise finish(e.problems, cls, source=PATCH_SOURCE) from None


def _apply(obj: C, patch: Mapping[Any, Any]) -> C:
    cls = type(obj)
    table = fields_of(cls)
    problems: list[Problem] = []
    changes: dict[str, Any] = {}
    for key, value in fold_dotted_keys(patch, problems).items():
        info = table.get(key) if type(key) is str else None
        if info is None:
            problems.append(UnknownKey("", "unknown key", key=key))
        elif value is None:
            try:
                changes[key] = reset_value(cls, key)
            except ConfigError as e:
                problems.extend(e.problems)
        elif info.validator is not None:
            try:
                changes[key] = info.validator.parse(value)
            except Invalid as e:
                problems.append(Problem(key, e.message))
        elif isinstance(value, Mapping):
            try:
                changes[key] = _apply(getattr(obj, key), value)
            except ConfigError as e:
                problems.extend(p.at(key) for p in e.problems)
        else:
            problems.append(
                Problem(
                    key,
                    f"expected a mapping of settings or null ({given(value)})",
                )
            )
    # `obj` was valid, so only the rules that read a changed field can fail
    # now; those that read a field with a problem are left out.
    bad = {p.path.split(".", 1)[0] for p in problems}
    if changes:
        values = {
            name: changes[name] if name in changes else getattr(obj, name)
            for name in table
        }
        for r in rules_of(cls):
            if bad.isdisjoint(r.fields) and not changes.keys().isdisjoint(
                r.fields
            ):
                problems.extend(r.check(values))
    if problems:
        raise ConfigError(problems)
    if not changes:
        return obj
    return replace(obj, changes)


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
