"""
RoPE in a Hugging Face config: the rope dict read, and written back.

The released files write ``rope_scaling`` (the old ones say ``type``, and
``"mrope"`` for plain multimodal RoPE) beside ``rope_theta``; transformers 5
writes one ``rope_parameters`` mapping.  Both read into `rope_theta`,
`mrope_section`, `mrope_interleaved` and the ``rope_scaling_config``
section (the rope type and the parameters it reads).

Strictly private.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from qwen3vl._errors import short
from qwen3vl._sections.rope import ROPE_PARAMETERS, RopeScalingConfig

from ._layouts import (
    PLAIN_ROPE_TYPES,
    QWEN3,
    ROPE_DEFAULTS,
    ROPE_REQUIRED,
    SCALED_ROPE_ORIGINAL,
)
from ._walk import MISSING, Walk, same, type_name


__all__ = ["RopeReader", "rope_to_hf"]

SECTION = "rope_scaling_config"

#: Each parameter's default: what "not set" or "not read" looks like.
_DEFAULTS: dict[str, Any] = {
    f.name: f.default
    for f in attrs.fields(RopeScalingConfig)
    if f.name != "rope_type"
}


class RopeReader(Walk):
    """
    Reads the rope dict of the text part, and the theta beside it.

    Strictly private.
    """

    def rope(
        self,
        text: Mapping[str, Any] | None,
        prefix: str,
        defaults: Mapping[str, Any],
    ) -> None:
        params = self._rope_dict(text, prefix)
        theta = self.get(text, prefix, "rope_theta")
        kind_path, kind = self._rope_type(params)
        path, value = params.pop("rope_theta", ("", MISSING))
        if value is MISSING:
            path, value = prefix + "rope_theta", theta
        elif theta is not MISSING:
            # Beside the rope dict's own theta, transformers ignores it.
            self.ignored.append(prefix + "rope_theta")
            if theta != value:
                self.notes.append(
                    f"{prefix}rope_theta ({short(theta)}) differs from"
                    f" {path} ({short(value)}); the latter is used, as"
                    " in transformers"
                )
        if value is MISSING:
            value = defaults["rope_theta"]
            self.defaulted.append(f"{path}={value!r}")
        self.put("rope_theta", value, path)
        for name in ("mrope_section", "mrope_interleaved"):
            path, value = params.pop(name, ("", MISSING))
            if value is MISSING:
                value = defaults[name]
                path = f"{prefix}rope_scaling.{name}"
                self.defaulted.append(f"{path}={value!r}")
            self.put(name, value, path)
        self._parameters(kind, kind_path, params)

    def _rope_dict(
        self, text: Mapping[str, Any] | None, prefix: str
    ) -> dict[str, tuple[str, Any]]:
        # transformers 5 takes rope_scaling whole when it holds anything,
        # and rope_parameters only otherwise.
        found: list[tuple[str, Mapping[str, Any]]] = []
        for key in ("rope_scaling", "rope_parameters"):
            value = self.get(text, prefix, key)
            if value is MISSING:
                continue
            if not isinstance(value, Mapping):
                self.problem(
                    prefix + key,
                    f"expected a mapping (got {type_name(value)})",
                )
            elif value:
                found.append((prefix + key, value))
            else:
                self.ignored.append(prefix + key)
        if not found:
            return {}
        (path, chosen), *others = found
        for other_path, other in others:
            for name, value in other.items():
                # What rope_scaling restates is ignored; the rest is lost.
                if name in chosen and same(chosen[name], value):
                    self.ignored.append(f"{other_path}.{name}")
                else:
                    self.unmapped[f"{other_path}.{name}"] = value
            self.notes.append(
                f"{other_path} is not read: {path} is, as in transformers"
            )
        params: dict[str, tuple[str, Any]] = {}
        for name, value in chosen.items():
            where = f"{path}.{name}"
            if value is None:
                # A null parameter is not set.
                self.ignored.append(where)
            else:
                params[str(name)] = (where, value)
        return params

    def _rope_type(
        self, params: dict[str, tuple[str, Any]]
    ) -> tuple[str, Any]:
        kind_path, kind = params.pop("rope_type", ("", MISSING))
        legacy_path, legacy = params.pop("type", ("", MISSING))
        if kind is MISSING:
            kind_path, kind = legacy_path, legacy
        elif legacy is not MISSING:
            # The old spelling beside the new one; transformers reads the new.
            if _plain(legacy) == _plain(kind):
                self.ignored.append(legacy_path)
            else:
                self.unmapped[legacy_path] = legacy
        if kind is MISSING:
            return "", "default"
        # "mrope" is how Qwen2-VL's files say plain multimodal RoPE.
        kind = _plain(kind)
        self.put(f"{SECTION}.rope_type", kind, kind_path)
        return kind_path, kind

    def _parameters(
        self,
        kind: Any,
        kind_path: str,
        params: dict[str, tuple[str, Any]],
    ) -> None:
        reads = ROPE_PARAMETERS.get(kind, ()) if type(kind) is str else ()
        for name, (path, value) in params.items():
            if name in reads:
                self.put(f"{SECTION}.{name}", value, path)
            elif name in _DEFAULTS and same(value, _DEFAULTS[name]):
                # A parameter the type does not read, at its default.
                self.ignored.append(path)
            else:
                # Another type's parameter (transformers ignores it too),
                # or a key no parameter holds.
                self.unmapped[path] = value
        if kind in SCALED_ROPE_ORIGINAL and (
            "original_max_position_embeddings" not in params
        ):
            # transformers 5 takes the context the model has as the one it
            # was trained for.
            length = self.data.get("max_position_embeddings")
            self.put(
                f"{SECTION}.original_max_position_embeddings",
                length,
                self.origins.get("max_position_embeddings", kind_path),
            )
            rope_dict = kind_path.rsplit(".", 1)[0]
            self.defaulted.append(
                f"{rope_dict}.original_max_position_embeddings"
                f"={short(length)} (max_position_embeddings)"
            )


def _plain(kind: Any) -> Any:
    return "default" if kind in PLAIN_ROPE_TYPES else kind


def _is_set(value: Any) -> bool:
    # 0, 0.0 and () mean "not set" in RopeScalingConfig; False does not.
    if type(value) in (int, float):
        return bool(value)
    if isinstance(value, (list, tuple)):
        return bool(value)
    return True


def rope_parameters(data: Mapping[str, Any]) -> dict[str, Any]:
    """
    Return the rope type and the parameters it reads, as transformers says.

    Parameters not set, or at the default transformers gives them, are left
    out; those transformers requires are always written.
    """
    rope = data[SECTION]
    kind = rope["rope_type"]
    out: dict[str, Any] = {}
    required = ROPE_REQUIRED.get(kind, ())
    for name in ROPE_PARAMETERS[kind]:
        value = rope[name]
        if isinstance(value, tuple):
            value = list(value)
        if name in required:
            out[name] = value
        elif name == "factor":
            # LongRoPE derives its factor from the two lengths when absent.
            if value != 1.0:
                out[name] = value
        elif _is_set(value) and not (
            name in ROPE_DEFAULTS and same(value, ROPE_DEFAULTS[name])
        ):
            out[name] = value
    return out


def rope_to_hf(data: Mapping[str, Any], layout: str) -> dict[str, Any]:
    """
    Return the ``rope_scaling`` dict of `layout` for our plain data.

    Qwen3-VL's (sorted, as released) names ``rope_type`` and always says
    whether the sections interleave (vLLM reads it); the Qwen2 layouts say
    ``type``, ``"mrope"`` for plain RoPE, as their released files do.
    """
    params = rope_parameters(data)
    kind = data[SECTION]["rope_type"]
    sections = list(data["mrope_section"])
    if layout in QWEN3:
        return dict(
            sorted(
                {
                    **params,
                    "mrope_interleaved": data["mrope_interleaved"],
                    "mrope_section": sections,
                    "rope_type": kind,
                }.items()
            )
        )
    return {
        "type": "mrope" if kind == "default" else kind,
        "mrope_section": sections,
        **params,
    }
