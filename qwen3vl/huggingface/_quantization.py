"""
A Hugging Face ``quantization_config``: read into our section, and written back.

Each method spells what our `QuantizationConfig` holds its own way (the
table is `_layouts.QUANTIZATION_KEYS`); every other key of the mapping is
kept, in its order, as the JSON text of ``extra``, so that the export gives
the file's mapping back.  Two methods say their bits through keys that also
say more, and those keys stay in ``extra``, written from the fields on
export: bitsandbytes' ``load_in_4bit`` / ``load_in_8bit`` flags, and the
``num_bits`` and ``group_size`` of each compressed-tensors scheme's weights
(``config_groups``).  On import every scheme must agree with the first: one
bits value and one group size describe the weights.

Strictly private.
"""

from __future__ import annotations

import json

from collections.abc import Mapping
from typing import Any

from qwen3vl._compound import parse_json_object
from qwen3vl._errors import short

from ._layouts import (
    BNB_FLAGS,
    QUANTIZATION_DEFAULTS,
    QUANTIZATION_KEYS,
    QUANTIZATION_METHOD_BITS,
)
from ._walk import MISSING, Walk, same


__all__ = ["QuantizationReader", "quantization_to_hf"]

KEY = "quantization_config"
_GROUPS = "config_groups"


def _nothing(value: Any) -> bool:
    # A key that holds nothing to import: null, or an empty list.
    return value is None or (type(value) is list and not value)


def _unset(value: Any) -> bool:
    # A field at its "not set" value: 0, or an empty tuple.
    return type(value) in (list, tuple, int) and not value


class QuantizationReader(Walk):
    """
    Reads the top-level ``quantization_config`` into the section.

    Strictly private.
    """

    def quantization(self) -> None:
        found = self.part(KEY)
        if found is None:
            return
        method = found.get("quant_method")
        known = tuple(QUANTIZATION_KEYS)
        if type(method) is not str or method not in known:
            self.problem(
                f"{KEY}.quant_method",
                f"expected one of {', '.join(map(repr, known))}"
                f" (got {short(method)}); weights stored another way"
                " cannot be imported",
            )
            return
        self.put(f"{KEY}.method", method, f"{KEY}.quant_method")
        problems = len(self.problems)
        rest = {str(k): v for k, v in found.items() if k != "quant_method"}
        for field, keys in QUANTIZATION_KEYS[method].items():
            self._mapped(method, field, keys, rest)
        if method in QUANTIZATION_METHOD_BITS:
            self.put(
                f"{KEY}.bits",
                QUANTIZATION_METHOD_BITS[method],
                f"{KEY}.quant_method",
            )
        elif method == "bitsandbytes":
            self._flags(rest)
        elif method == "compressed-tensors":
            self._schemes(rest)
        extra = ""
        try:
            extra = json.dumps(rest, allow_nan=False)
        except (TypeError, ValueError, RecursionError):
            # Only a mapping built in Python can hold such values.
            self.problem(KEY, "holds a value that JSON cannot write")
        if len(self.problems) > problems:
            # Said at the file's keys; the section's rules would only say
            # it again about what could not be read.
            del self.data[KEY]
            return
        self.put(f"{KEY}.extra", extra, KEY)
        if rest:
            self.notes.append(
                f"{KEY}: {len(rest)} key(s) beyond what the section's"
                f" fields hold are kept in {KEY}.extra and written back"
                f" on export: {', '.join(rest)}"
            )

    def _mapped(
        self,
        method: str,
        field: str,
        keys: tuple[str, ...],
        rest: dict[str, Any],
    ) -> None:
        taken: tuple[str, Any] | None = None
        for key in keys:
            if key not in rest or _nothing(rest[key]):
                # Kept in extra as the file says it (null, []).
                continue
            value = rest.pop(key)
            if taken is None:
                taken = (key, value)
            elif same(value, taken[1]):
                self.ignored.append(f"{KEY}.{key}")
            else:
                self.problem(
                    f"{KEY}.{key}",
                    f"says {short(value)} where {KEY}.{taken[0]} says"
                    f" {short(taken[1])}; both give {field}, and they must"
                    " agree: make them equal, or remove one",
                )
        if taken is not None:
            self.put(f"{KEY}.{field}", taken[1], f"{KEY}.{taken[0]}")
            if taken[0] != keys[0]:
                self.notes.append(
                    f"{KEY}.{taken[0]} is read as {field}; the export"
                    f" writes it as {keys[0]}, as transformers spells it"
                )
            return
        default = QUANTIZATION_DEFAULTS.get(method, {}).get(field, MISSING)
        if default is not MISSING:
            self.put(f"{KEY}.{field}", default, f"{KEY}.{keys[0]}")
            self.defaulted.append(f"{KEY}.{keys[0]}={short(default)}")

    def _flags(self, rest: Mapping[str, Any]) -> None:
        # bitsandbytes: one of the two widths is switched on, under either
        # spelling (or both, as transformers writes them).
        chosen: dict[int, str] = {}
        problems = len(self.problems)
        for bits, keys in BNB_FLAGS.items():
            values = {k: rest[k] for k in keys if rest.get(k) is not None}
            for key, value in values.items():
                if type(value) is not bool:
                    self.problem(
                        f"{KEY}.{key}",
                        f"expected true or false (got {short(value)})",
                    )
            if len({v for v in values.values() if type(v) is bool}) > 1:
                first, second = values
                self.problem(
                    f"{KEY}.{second}",
                    f"says {short(values[second])} where {KEY}.{first}"
                    f" says {short(values[first])}; they must agree",
                )
            elif any(v is True for v in values.values()):
                chosen[bits] = next(k for k, v in values.items() if v is True)
        if len(self.problems) > problems:
            return
        if len(chosen) != 1:
            self.problem(
                f"{KEY}.load_in_4bit",
                "bitsandbytes needs exactly one of load_in_4bit and"
                f" load_in_8bit true (got {len(chosen)} true)",
            )
            return
        ((bits, key),) = chosen.items()
        self.put(f"{KEY}.bits", bits, f"{KEY}.{key}")

    def _schemes(self, rest: Mapping[str, Any]) -> None:
        # compressed-tensors: each scheme of config_groups quantizes some
        # layers; the weights' bits and group size must be one for all.
        path = f"{KEY}.{_GROUPS}"
        groups = rest.get(_GROUPS)
        first: tuple[str, Any, Any] | None = None
        for name, group in (
            groups.items() if isinstance(groups, Mapping) else ()
        ):
            weights = (
                group.get("weights") if isinstance(group, Mapping) else None
            )
            if not isinstance(weights, Mapping):
                continue
            where = f"{path}.{name}.weights"
            bits = weights.get("num_bits", 8)
            size = weights.get("group_size")
            size = 0 if size is None else size
            if first is None:
                first = (where, bits, size)
                self.put(f"{KEY}.bits", bits, f"{where}.num_bits")
                self.put(f"{KEY}.group_size", size, f"{where}.group_size")
                continue
            for key, value, theirs in (
                ("num_bits", bits, first[1]),
                ("group_size", size, first[2]),
            ):
                if not same(value, theirs):
                    self.problem(
                        f"{where}.{key}",
                        f"is {short(value)} where {first[0]}.{key} is"
                        f" {short(theirs)}: the section holds one bits value"
                        " and one group size for all quantized weights, so"
                        " a checkpoint mixing schemes cannot be imported",
                    )
        if first is None:
            self.problem(
                path,
                "expected a mapping of schemes, one with a weights mapping"
                f" (got {short(groups)}): only checkpoints whose weights are"
                " quantized can be imported",
            )


def quantization_to_hf(section: Mapping[str, Any]) -> dict[str, Any] | None:
    """
    Return the ``quantization_config`` of our section's plain data.

    ``None`` for method ``"none"``.  ``extra`` gives the keys and their
    order; the fields are written over it.
    """
    method = section["method"]
    if method == "none":
        return None
    out = parse_json_object(section["extra"])
    out["quant_method"] = method
    for field, keys in QUANTIZATION_KEYS[method].items():
        value = section[field]
        if _unset(value):
            continue
        out[keys[0]] = (
            list(value) if isinstance(value, tuple | list) else value
        )
        for alias in keys[1:]:
            out.pop(alias, None)
    if method == "bitsandbytes":
        _write_flags(out, section["bits"])
    elif method == "compressed-tensors":
        _write_schemes(out, section["bits"], section["group_size"])
    return out


def _write_flags(out: dict[str, Any], bits: int) -> None:
    # Each flag the file had says whether its width is the one; each
    # spelling the file used names the width that is, and with no flag at
    # all, the plain spelling says both.
    spellings = [
        i
        for i in range(len(BNB_FLAGS[bits]))
        if any(keys[i] in out for keys in BNB_FLAGS.values())
    ]
    for width, keys in BNB_FLAGS.items():
        for i, key in enumerate(keys):
            if key in out or (not spellings and i == 0):
                out[key] = width == bits
    for i in spellings:
        out[BNB_FLAGS[bits][i]] = True


def _write_schemes(out: dict[str, Any], bits: int, group_size: int) -> None:
    size = group_size or None
    groups = out.get(_GROUPS)
    written = False
    if isinstance(groups, dict):
        for group in groups.values():
            weights = group.get("weights") if isinstance(group, dict) else None
            if isinstance(weights, dict):
                weights["num_bits"] = bits
                weights["group_size"] = size
                written = True
    if not written:
        out[_GROUPS] = {
            "group_0": {
                "targets": ["Linear"],
                "weights": {"num_bits": bits, "group_size": size},
            }
        }
