"""
`ConfigStore`: the runtime holder of a configuration that threads share.

Readers never lock: the store keeps one immutable ``(config, version)`` pair
and swaps it whole, so any read sees a valid config and the version that
goes with it.  Writers serialise on a lock, so a read-modify-write
(`ConfigStore.update` with a function) never loses a concurrent update.
The version changes exactly when the config changes.

Strictly private: import `ConfigStore` from `qwen3vl`.
"""

from __future__ import annotations

import collections
import contextlib
import logging
import threading

from collections.abc import Callable, Iterator, Mapping
from typing import Any, Generic, TypeVar

from ._diff import diff
from ._update import apply_updates


__all__ = ["ConfigStore", "Subscriber"]

C = TypeVar("C")

#: Called after a change with the old config, the new one and the dotted
#: paths that differ.
Subscriber = Callable[[Any, Any, tuple[str, ...]], object]

_log = logging.getLogger("qwen3vl")


class ConfigStore(Generic[C]):
    """
    A shared, versioned, validated configuration that changes atomically.

    Every change makes a new validated config (the old ones are immutable,
    so readers holding one are never disturbed), bumps `version` by one and
    keeps the previous config in a bounded `history`.  The version changes
    exactly when the config changes: an `update`, `compare_and_set` or
    `rollback` that leaves a config equal to the current one makes no new
    version, no history entry and no call to the subscribers.

    Args:
        config: The initial configuration (any config class).
        history: How many previous configs to keep for `rollback`.

    .. versionadded:: 0.1.0
    """

    def __init__(self, config: C, *, history: int = 32) -> None:
        if history < 0:
            msg = f"history must be >= 0 (got {history})"
            raise ValueError(msg)
        # One tuple, swapped whole: a reader gets a consistent pair without
        # taking the lock (attribute reads are atomic).
        self._state: tuple[C, int] = (config, 0)
        # Re-entrant, so that an update function may read `history` or
        # subscribe; `_changing` refuses a nested change instead.
        self._lock = threading.RLock()
        self._changer: int | None = None
        self._history: collections.deque[tuple[int, C]] = collections.deque(
            maxlen=history
        )
        self._subscribers: list[Subscriber] = []

    def __repr__(self) -> str:
        config, version = self._state
        return f"<ConfigStore version={version} {type(config).__name__}>"

    @property
    def current(self) -> C:
        """The current configuration."""
        return self._state[0]

    @property
    def version(self) -> int:
        """The number of changes so far; 0 for the initial configuration."""
        return self._state[1]

    def snapshot(self) -> tuple[C, int]:
        """Return the current configuration and its version, as one pair."""
        return self._state

    @property
    def history(self) -> tuple[tuple[int, C], ...]:
        """The previous ``(version, config)`` pairs, oldest first (bounded)."""
        with self._lock:
            return tuple(self._history)

    def update(
        self, change: Mapping[str, Any] | Callable[[C], Mapping[str, Any] | C]
    ) -> C:
        """
        Apply a patch, or a function of the current config, atomically.

        A mapping is applied with `apply_updates`.  A function is called under
        the lock with the current config and returns a patch or a whole new
        config, so that a read-modify-write loses nothing to a concurrent
        writer.  A change that leaves the config equal makes no new version.

        The function may read the store, but must not change it: its result
        is computed from the config it was given, so it would silently
        undo a change made in the middle of it.  `update`,
        `compare_and_set` or `rollback` called from inside it raise
        `RuntimeError` at once; unless the function catches it, the outer
        `update` raises it too and changes nothing.  Make the whole change
        one result, or change the store from a subscriber, which runs after
        the swap.

        Raises:
            ConfigError: the patch or the new config is invalid; nothing
                changed.
            RuntimeError: called from inside an update function of this
                store.

        .. versionadded:: 0.1.0
        """
        with self._changing("update"):
            old, version = self._state
            result = change(old) if callable(change) else change
            if isinstance(result, Mapping):
                new = apply_updates(old, result)
            elif type(result) is type(old):
                new = result
            else:
                msg = (
                    "an update function must return a patch or a "
                    f"{type(old).__name__} (got {type(result).__name__})"
                )
                raise TypeError(msg)
            if new == old:
                return old
            self._swap(old, new, version)
        self._notify(old, new)
        return new

    def compare_and_set(self, expected_version: int, config: C) -> bool:
        """
        Replace the config only if nothing changed since `expected_version`.

        A `config` equal to the current one changes nothing, so it makes no
        new version (as with `update`), though the call succeeds.

        Returns:
            Whether the version matched, so that the store now holds
            `config` (or one equal to it).

        Raises:
            TypeError: `config` is not of the store's class.
            RuntimeError: called from inside an update function of this
                store.

        .. versionadded:: 0.1.0
        """
        with self._changing("compare_and_set"):
            old, version = self._state
            if version != expected_version:
                return False
            if type(config) is not type(old):
                msg = f"expected a {type(old).__name__} (got {type(config).__name__})"
                raise TypeError(msg)
            if config == old:
                return True
            self._swap(old, config, version)
        self._notify(old, config)
        return True

    def rollback(self, steps: int = 1) -> C:
        """
        Go back `steps` changes; the rollback is itself a new version.

        The `steps` entries leave the history.  Should the config it goes
        back to equal the current one (a change that was later undone by
        hand), the current config stays, with its version.

        Raises:
            ValueError: the history does not reach that far back.
            RuntimeError: called from inside an update function of this
                store.

        .. versionadded:: 0.1.0
        """
        with self._changing("rollback"):
            if not 1 <= steps <= len(self._history):
                msg = (
                    f"cannot roll back {steps} step(s): the history holds "
                    f"{len(self._history)}"
                )
                raise ValueError(msg)
            old, version = self._state
            target = self._history[-steps][1]
            for _ in range(steps):
                self._history.pop()
            if target == old:
                return old
            self._state = (target, version + 1)
        self._notify(old, target)
        return target

    def subscribe(self, callback: Subscriber) -> Callable[[], None]:
        """
        Call `callback(old, new, changed_paths)` after every change.

        Callbacks run after the swap, outside the lock, in the thread that
        made the change, in the order they subscribed; they may read and
        change the store.  A callback that raises does not undo the change,
        and every later callback is still called:

        * an `Exception` is logged on the ``qwen3vl`` logger, and the change
          returns as usual;
        * any other `BaseException` (`KeyboardInterrupt`, `SystemExit`) is
          a request to stop, not a bug to log: it is raised again from the
          change once every callback has been called (the first of them, if
          several; the others are logged).  The change is complete by then.

        Returns:
            A function that unsubscribes `callback`.

        .. versionadded:: 0.1.0
        """
        with self._lock:
            self._subscribers.append(callback)

        def unsubscribe() -> None:
            with self._lock:
                if callback in self._subscribers:
                    self._subscribers.remove(callback)

        return unsubscribe

    @contextlib.contextmanager
    def _changing(self, name: str) -> Iterator[None]:
        # The lock, for a change.  The lock is re-entrant, so a thread that
        # finds `_changer` set while holding it is the one that set it: it
        # is inside an update function.
        with self._lock:
            if self._changer is not None:
                msg = (
                    f"ConfigStore.{name} was called from inside an update "
                    "function of the same store; the function must return "
                    "the whole change instead (its result would undo the "
                    "nested one)"
                )
                raise RuntimeError(msg)
            self._changer = threading.get_ident()
            try:
                yield
            finally:
                self._changer = None

    def _swap(self, old: C, new: C, version: int) -> None:
        # Called with the lock held.
        self._history.append((version, old))
        self._state = (new, version + 1)

    def _notify(self, old: C, new: C) -> None:
        with self._lock:
            subscribers = tuple(self._subscribers)
        if not subscribers:
            return
        changed = tuple(path for path, _, _ in diff(old, new))
        stop: BaseException | None = None
        for callback in subscribers:
            try:
                callback(old, new, changed)
            except Exception:  # noqa: BLE001 - any subscriber bug is logged
                # A broken subscriber must not break the writer, nor hide
                # the change from the subscribers after it.
                _log.exception("a ConfigStore subscriber failed: %r", callback)
            except BaseException as e:  # noqa: BLE001 - raised again below
                # KeyboardInterrupt, SystemExit: honoured, but only once
                # every subscriber has seen the change, so that none is
                # left out of step with the store.
                if stop is None:
                    stop = e
                else:
                    _log.error(
                        "a ConfigStore subscriber raised %r after %r",
                        e,
                        stop,
                        exc_info=e,
                    )
        if stop is not None:
            try:
                raise stop
            finally:
                stop = None  # no reference cycle through the traceback
