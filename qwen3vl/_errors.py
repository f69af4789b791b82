"""
How problems are worded: short reprs, offending values, close matches.

The foundation of every message: it imports nothing from the package, so
that validators, the converter and every layer above word values alike.

Strictly private.
"""

from __future__ import annotations

import functools
import reprlib

from collections.abc import Mapping, Sequence


__all__ = [
    "SUGGEST_LIMIT",
    "SUGGESTIONS_PER_ERROR",
    "UNKNOWN_KEY",
    "as_written",
    "closest",
    "given",
    "short",
    "unknown_key_message",
]

#: Longer words are junk, not typos, and get no suggestion: difflib's cost
#: grows with their length.
SUGGEST_LIMIT = 100

#: How many unknown keys (or variables) of one error get a "did you mean"
#: searched for; the rest are plain "unknown key".  Each search runs
#: difflib over the schema's names, and 200 000 unknown keys would spend
#: a minute on suggestions nobody reads.
SUGGESTIONS_PER_ERROR = 20

#: The message of an unknown key past the first `SUGGESTIONS_PER_ERROR`.
UNKNOWN_KEY = "unknown key"


# Bounded: a hostile value (a huge or 100 000-deep list) must not make the
# error message itself slow or raise RecursionError.
class _ShortRepr(reprlib.Repr):
    def repr_int(self, x: int, level: int) -> str:
        # repr() of an int over 4300 digits raises ValueError; a message
        # about such a value must still be a message.
        if x.bit_length() > 512:
            digits = int(x.bit_length() * 0.30103) + 1
            return f"<integer of about {digits} digits>"
        return super().repr_int(x, level)


_SHORT = _ShortRepr()
_SHORT.maxlevel = 3
_SHORT.maxlist = _SHORT.maxtuple = 6
_SHORT.maxdict = 4
_SHORT.maxstring = _SHORT.maxother = _SHORT.maxlong = 60


def short(value: object) -> str:
    """Return a repr of `value` that is short and safe for any value."""
    if value.__class__ in _PLAIN and (
        value.__class__ is not int or value.bit_length() <= 512
    ):
        # What reprlib returns for a scalar whose repr is short enough: the
        # repr itself (most wrong values are such), at a tenth of the cost.
        text = repr(value)
        if len(text) <= _SHORT.maxstring:
            return text
    return _SHORT.repr(value)


_PLAIN = frozenset({int, float, bool, str, type(None)})


def as_written(value: object) -> str:
    """
    Return a valid setting's value as a file would spell it, for messages.

    Booleans as ``true``/``false`` and tuples as lists, as JSON, YAML and
    TOML write them; anything else as `short` gives it.
    """
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, tuple):
        return short(list(value))
    return short(value)


def closest(
    word: str, candidates: Sequence[str], cutoff: float = 0.6
) -> str | None:
    """
    Return the first of ``difflib.get_close_matches(word, candidates, n=1, cutoff=cutoff)``, or None.

    The same answer, found sooner: candidates are tried nearest in length
    first, and each of difflib's cheap upper bounds (lengths, then letters)
    is held against the best score so far instead of the cutoff alone, so
    that the costly `SequenceMatcher.ratio` runs on a few names, not all.
    A `word` longer than `SUGGEST_LIMIT` characters gets None at once.
    """
    if len(word) > SUGGEST_LIMIT:
        return None
    from difflib import SequenceMatcher  # noqa: PLC0415 - messages only

    matcher = SequenceMatcher()
    matcher.set_seq2(word)
    size = len(word)
    best_score, best = cutoff, None
    for x in _by_length(tuple(candidates), size):
        total = size + len(x)
        bound = 2.0 * min(size, len(x)) / total if total else 1.0
        # get_close_matches keeps the largest (score, name) pair: a name
        # that can at best tie the leader must also sort after it.
        if bound < best_score or (
            bound == best_score and best is not None and x < best
        ):
            continue
        matcher.set_seq1(x)
        quick = matcher.quick_ratio()
        if quick < best_score or (
            quick == best_score and best is not None and x < best
        ):
            continue
        score = matcher.ratio()
        if score >= best_score and (
            best is None or score > best_score or x > best
        ):
            best_score, best = score, x
    return best


@functools.lru_cache(maxsize=256)
def _by_length(candidates: tuple[str, ...], size: int) -> list[str]:
    # The names of a schema, in the order `closest` tries them.
    return sorted(candidates, key=lambda x: abs(len(x) - size))


_TYPE_NAMES: dict[type, str] = {
    bool: "a boolean",
    int: "an integer",
    float: "a float",
    str: "a string",
    list: "a list",
    tuple: "a tuple",
    dict: "a mapping",
    type(None): "null",
}


def given(value: object) -> str:
    """Describe an offending `value` for a message: its repr and its type."""
    text = short(value)
    kind = _TYPE_NAMES.get(type(value), type(value).__name__)
    return f"got {text}, {kind}"


def unknown_key_message(
    key: object,
    path: str,
    local: Sequence[str],
    homes: Mapping[str, Sequence[str]],
    *,
    suggest: bool = True,
) -> str:
    """
    Word an unknown `key` of the section at `path`, with the best hint.

    `local` holds the names of that section; `homes` maps every field name
    of the whole config to the section paths that hold it ("" is the top
    level).  A key that belongs to another section says so (a look-up, so
    always); otherwise, if `suggest`, the nearest name, in this section
    first, is searched for and suggested.
    """
    if type(key) is not str:
        return f"keys must be strings ({given(key)})"
    elsewhere = [p for p in homes.get(key) or () if p != path]
    if elsewhere:
        places = " or ".join(p or "the top level" for p in elsewhere)
        return f"unknown key {short(key)}; it belongs in {places}"
    if not suggest:
        return UNKNOWN_KEY  # one string for all: the path names the key
    message = f"unknown key {short(key)}"
    if len(key) > SUGGEST_LIMIT:
        return message  # junk, not a typo: difflib's cost grows with length
    near = closest(key, local, cutoff=0.7)
    if near is not None:
        return f"{message}; did you mean {near!r}?"
    everywhere = {
        name: paths for name, paths in homes.items() if name not in local
    }
    near = closest(key, tuple(everywhere), cutoff=0.75)
    if near is not None:
        full = ".".join(filter(None, (everywhere[near][0], near)))
        return f"{message}; did you mean {full!r}?"
    return message
