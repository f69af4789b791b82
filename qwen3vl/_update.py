"""
`apply_updates`: runtime changes as JSON Merge Patches that return new configs.

Strictly private.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from ._codegen import RuleValues, compiled, reset_value
from ._converters import finish
from ._errors import given
from ._fields import UnknownKey, fields_of, is_config_class, rules_of
from ._layers import fold_dotted_keys
from ._validators import Invalid
from .exceptions import ConfigError, Problem


__all__ = ["apply_updates"]

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
    generated = compiled(cls)
    problems: list[Problem] = []
    changes: dict[str, Any] = {}
    for key, value in fold_dotted_keys(patch, problems).items():
        info = table.get(key) if type(key) is str else None
        if info is None:
            problems.append(UnknownKey("", "unknown key", key=key))
        elif value is None:
            changes[key] = reset_value(cls, key)
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
    rules = rules_of(cls)
    touched = sorted(
        {i for name in changes for i in generated.rules_reading[name]}
    )
    values = RuleValues(obj, changes)
    for index in touched:
        if bad.isdisjoint(rules[index].fields):
            problems.extend(rules[index].check(values))
    if problems:
        raise ConfigError(problems)
    if not changes:
        return obj
    # Every changed value is validated above and the untouched ones were
    # valid already: the copy needs no second validation.
    new: C = generated.replace(obj, changes)
    return new
