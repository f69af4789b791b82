"""
The JSON Schema (draft 2020-12) of configuration files, built from a class.

`json_schema` walks any config class through `fields_of`: each field's
validator gives the types, bounds, enums and patterns of its values, the
field's metadata its description, and its default is written as files write
it.  Each nested section class becomes one entry of ``$defs``.  No object
takes keys the class does not know (``additionalProperties: false``).

The schema describes the current layout only: the older layouts that
`_compat` still upgrades (flat keys, renamed keys, no or an old
``config_version``) are not in it.  It is never stricter than loading, but
it cannot say everything loading checks (docs/schema.md lists what):
cross-field rules, the bounds and whole bytes of a size written with a
unit, the order of an increasing list, ``3.0`` as an integer.

`config_schema`, the public name, is `json_schema` of `Qwen3VLConfig`: the
schema of configuration files, for editors.

Strictly private: import `config_schema` from `qwen3vl`.
"""

from __future__ import annotations

from typing import Any

from ._fields import fields_of
from ._sections import Qwen3VLConfig


__all__ = ["DIALECT", "SCHEMA_BASE", "config_schema", "json_schema"]

DIALECT = "https://json-schema.org/draft/2020-12/schema"

#: Where schema ids live.  ``.invalid`` is reserved (RFC 2606) and never
#: resolves: the id names the schema, nothing is to be fetched from it.
SCHEMA_BASE = "https://qwen3vl.invalid/schema/"

_VERSION_FIELD = "config_version"


def json_schema(cls: type) -> dict[str, Any]:
    """
    Return the JSON Schema of files (and dicts) that hold a `cls` config.

    The result is a new dict on every call, safe to change.  Its ``$id``
    names the layout version for a class with a ``config_version`` field
    (``.../config-1.json``) and the class otherwise
    (``.../MemoryConfig.json``).

    Raises:
        TypeError: two different section classes share a name, so that
            their ``$defs`` entries would collide.
    """
    defs: dict[str, dict[str, Any]] = {}
    seen: dict[str, type] = {}
    body = _object(cls, defs, seen)
    schema: dict[str, Any] = {
        "$schema": DIALECT,
        "$id": f"{SCHEMA_BASE}{_slug(cls)}.json",
        **body,
    }
    if defs:
        schema["$defs"] = defs
    return schema


def config_schema() -> dict[str, Any]:
    """
    Return the JSON Schema (draft 2020-12) of a configuration file.

    It describes the current layout of a `Qwen3VLConfig` file, JSON, YAML or
    TOML alike: every key with its type, range, allowed values, default and
    description, and no unknown keys.  Save it as JSON and point an editor
    at it (docs/schema.md shows how).  A file the schema refuses does not
    load; a file it accepts can still break a rule across fields, which only
    loading checks.  The dict is new on every call.

    .. versionadded:: 0.1.0
    """
    return json_schema(Qwen3VLConfig)


def _slug(cls: type) -> str:
    version = fields_of(cls).get(_VERSION_FIELD)
    if version is not None and type(version.default) is int:
        return f"config-{version.default}"
    return cls.__name__


def _summary(cls: type) -> str:
    """Return the first line of `cls`'s docstring, or ``""``."""
    import inspect  # noqa: PLC0415 - slow to import; schemas are rare

    doc = inspect.getdoc(cls) or ""
    return doc.strip().split("\n", 1)[0].strip()


def _object(
    cls: type, defs: dict[str, dict[str, Any]], seen: dict[str, type]
) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    for name, info in fields_of(cls).items():
        prop: dict[str, Any] = {}
        if info.description:
            prop["description"] = info.description
        if info.section is not None:
            prop["$ref"] = _define(info.section, defs, seen)
        elif info.validator is not None:
            prop.update(info.validator.json_schema())
            prop["default"] = info.validator.dump(info.make_default())
        else:  # pragma: no cover - `fields_of` classes use setting/section
            msg = f"{cls.__name__}.{name} has neither validator nor section"
            raise TypeError(msg)
        properties[name] = prop
    schema: dict[str, Any] = {"title": cls.__name__}
    summary = _summary(cls)
    if summary:
        schema["description"] = summary
    schema["type"] = "object"
    schema["properties"] = properties
    schema["additionalProperties"] = False
    return schema


def _define(
    cls: type, defs: dict[str, dict[str, Any]], seen: dict[str, type]
) -> str:
    """Add `cls` to `defs` once; return the reference to its entry."""
    name = cls.__name__
    if seen.get(name, cls) is not cls:
        msg = (
            f"two section classes are both named {name!r}: "
            f"{seen[name].__module__} and {cls.__module__}"
        )
        raise TypeError(msg)
    if name not in seen:
        seen[name] = cls
        # Reserve the slot first, so that $defs keep the order sections
        # appear in even when one section holds another.
        defs[name] = {}
        defs[name] = _object(cls, defs, seen)
    return f"#/$defs/{name}"
