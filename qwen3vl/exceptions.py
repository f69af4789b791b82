"""
Every error that qwen3vl raises for bad input.

The tree is small on purpose::

    ValueError
     └── ConfigError          one bad input, with every Problem found in it

A `ConfigError` is the only exception that bad input (a dict, a file, a
patch, a constructor call) can raise.  It never stops at the first mistake:
`ConfigError.problems` lists each one with its dotted path, what was
expected, what was given and, where known, the file and line it came from.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import operator

from collections.abc import Callable, Iterable
from typing import Any, Self

import attrs


__all__ = ["ConfigError", "Problem"]

#: How many problems the message of a `ConfigError` lists; `problems`
#: holds them all.
_LISTED = 100


@attrs.frozen
class Problem:
    """
    One thing wrong with one value of a configuration.

    Attributes:
        path: The dotted path of the value (``"gpu_config.use_tensor_cores"``);
            ``""`` for the input as a whole (for example a file that does not
            parse).
        message: What is wrong, naming what was expected and what was given.
        source: Where the value came from (a file name), when known.
        line: The 1-based line in `source`, when known.

    .. versionadded:: 0.1.0
    """

    path: str
    message: str
    source: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = ""
        if self.source is not None:
            where = (
                f" [{self.source}:{self.line}]"
                if self.line is not None
                else f" [{self.source}]"
            )
        head = f"{self.path}: " if self.path else ""
        return f"{head}{self.message}{where}"

    def at(self, prefix: str) -> Problem:
        """Return this problem moved under the dotted `prefix`."""
        if not prefix:
            return self
        path = f"{prefix}.{self.path}" if self.path else prefix
        return attrs.evolve(self, path=path)


class ConfigError(ValueError):
    """
    A configuration input was invalid; `problems` says every way in which.

    It is a `ValueError`, so ``except ValueError`` in existing code keeps
    working.

    Example::

        try:
            config = Qwen3VLConfig.from_file("deploy.yaml")
        except ConfigError as e:
            for problem in e.problems:
                print(problem.path, problem.message)

    .. versionadded:: 0.1.0
    """

    def __init__(self, problems: Iterable[Problem] | str) -> None:
        if isinstance(problems, str):
            problems = [Problem("", problems)]
        found = tuple(problems)
        if not found:
            msg = "ConfigError needs at least one Problem"
            raise TypeError(msg)
        super().__init__()
        self._found = found
        self._wording: Callable[[tuple[Problem, ...]], Iterable[Problem]]
        self._wording = _as_given
        self._problems: tuple[Problem, ...] | None = None

    @classmethod
    def _deferred(
        cls,
        problems: Iterable[Problem],
        wording: Callable[[tuple[Problem, ...]], Iterable[Problem]],
    ) -> Self:
        # `wording` turns the problems as collected into the ones reported
        # (suggestions for unknown keys, file names and lines), when the
        # error is first read: a caller that only catches it never pays for
        # difflib, as CPython words its own "Did you mean" only on display.
        error = cls(problems)
        error._wording = wording
        return error

    @property
    def problems(self) -> tuple[Problem, ...]:
        """Every problem, sorted by path."""
        if self._problems is None:
            # Sorted by path so that the report reads top-down like the
            # file, and equal inputs give equal reports.
            worded = self._wording(self._found)
            self._problems = _in_order(worded)
        return self._problems

    def __str__(self) -> str:
        problems = self.problems
        if len(problems) == 1:
            return str(problems[0])
        lines = [f"{len(problems)} problems in the configuration:"]
        lines.extend(f"  {p}" for p in problems[:_LISTED])
        if len(problems) > _LISTED:
            more = len(problems) - _LISTED
            lines.append(
                f"  ... and {more} more (all in ConfigError.problems)"
            )
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r})"

    # The message is made when first read (see `_deferred`), so `args` is
    # too; it holds the message as a ValueError's would.
    @property
    def args(self) -> tuple[Any, ...]:
        """The message, as the only item: what ``ValueError(message)`` holds."""
        return (str(self),)

    @args.setter
    def args(self, value: tuple[Any, ...]) -> None:  # noqa: ARG002 - refused whatever it is
        msg = "a ConfigError's message is made from its problems"
        raise AttributeError(msg)

    def __reduce__(
        self,
    ) -> tuple[type[ConfigError], tuple[tuple[Problem, ...]]]:
        # Lets the error cross process boundaries (multiprocessing, pickle).
        return (type(self), (self.problems,))

    @property
    def paths(self) -> list[str]:
        """The dotted paths of all problems, in report order."""
        return [p.path for p in self.problems]


def _as_given(problems: tuple[Problem, ...]) -> tuple[Problem, ...]:
    return problems


def _in_order(problems: Iterable[Problem]) -> tuple[Problem, ...]:
    # By path, then line (none first), then message: stable sorts, last key
    # first, which need no tuple per problem (200 000 problems are possible).
    ordered = sorted(problems, key=operator.attrgetter("message"))
    ordered.sort(key=_line)
    ordered.sort(key=operator.attrgetter("path"))
    return tuple(ordered)


def _line(problem: Problem) -> int:
    return problem.line or 0
