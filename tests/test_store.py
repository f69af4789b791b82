"""Tests for ConfigStore: atomic, versioned runtime updates shared by threads."""

from __future__ import annotations

import logging
import sys
import threading
import time

from collections.abc import Callable
from typing import Any

import pytest

from qwen3vl import (
    ConfigError,
    ConfigStore,
    GPUConfig,
    Qwen3VLConfig,
    apply_updates,
)


THREADS = 8
UPDATES = 2000


class TestBasics:
    def test_initial_state(self):
        """A new store holds its config at version 0."""
        config = Qwen3VLConfig()
        store = ConfigStore(config)

        assert config is store.current
        assert 0 == store.version
        assert (config, 0) == store.snapshot()
        assert () == store.history

    def test_update_with_a_patch(self):
        """A patch makes a new validated config and a new version."""
        store = ConfigStore(Qwen3VLConfig())

        new = store.update({"gpu_config.use_tensor_cores": False})

        assert not new.gpu_config.use_tensor_cores
        assert (new, 1) == store.snapshot()

    def test_update_with_a_function(self):
        """A function gets the current config and returns a patch or a config."""
        store = ConfigStore(Qwen3VLConfig())

        store.update(lambda c: {"vocab_size": c.vocab_size + 1})
        store.update(lambda c: apply_updates(c, {"hidden_size": 2048}))

        assert 152065 == store.current.vocab_size
        assert 2048 == store.current.hidden_size
        assert 2 == store.version

    def test_invalid_update_changes_nothing(self):
        """A bad patch raises ConfigError and keeps the old config and version."""
        store = ConfigStore(Qwen3VLConfig())
        before = store.snapshot()

        with pytest.raises(ConfigError):
            store.update({"vocab_size": 0})

        assert before == store.snapshot()

    def test_function_returning_junk_is_a_type_error(self):
        """An update function must return a patch or a config of the same class."""
        store = ConfigStore(Qwen3VLConfig())

        with pytest.raises(
            TypeError, match="must return a patch or a Qwen3VLConfig"
        ):
            store.update(lambda c: GPUConfig())

    def test_no_change_makes_no_version(self):
        """An update that changes nothing keeps the version."""
        store = ConfigStore(Qwen3VLConfig())

        store.update({"vocab_size": 152064})

        assert 0 == store.version

    def test_works_on_a_section(self):
        """A store may hold a single section."""
        store = ConfigStore(GPUConfig())

        store.update({"use_tensor_cores": False})

        assert not store.current.use_tensor_cores


class TestCompareAndSet:
    def test_succeeds_at_the_expected_version(self):
        """compare_and_set replaces the config when the version matches."""
        store = ConfigStore(Qwen3VLConfig())
        config, version = store.snapshot()

        assert store.compare_and_set(
            version, apply_updates(config, {"vocab_size": 7})
        )
        assert (7, 1) == (store.current.vocab_size, store.version)

    def test_fails_after_a_concurrent_change(self):
        """A stale version is refused and nothing changes."""
        store = ConfigStore(Qwen3VLConfig())
        config, version = store.snapshot()
        store.update({"vocab_size": 5})

        assert not store.compare_and_set(
            version, apply_updates(config, {"vocab_size": 7})
        )
        assert 5 == store.current.vocab_size

    def test_refuses_another_class(self):
        """compare_and_set takes only a config of the store's class."""
        store = ConfigStore(Qwen3VLConfig())

        with pytest.raises(TypeError):
            store.compare_and_set(0, GPUConfig())  # type: ignore[arg-type]

    def test_an_equal_config_makes_no_version(self):
        """As with update, the version changes only when the config does."""
        store = ConfigStore(Qwen3VLConfig())
        seen = []
        store.subscribe(lambda old, new, paths: seen.append(paths))
        before = store.current

        assert store.compare_and_set(0, Qwen3VLConfig())

        assert (before, 0) == store.snapshot()
        assert before is store.current
        assert () == store.history
        assert [] == seen

    def test_an_equal_config_at_a_stale_version_fails(self):
        """An equal config does not excuse a stale version."""
        store = ConfigStore(Qwen3VLConfig())
        store.update({"vocab_size": 5})

        assert not store.compare_and_set(0, store.current)
        assert 1 == store.version


class TestVersions:
    @pytest.mark.parametrize(
        "change",
        [
            lambda s: s.update({"vocab_size": 152064}),
            lambda s: s.update(lambda c: {}),
            lambda s: s.update(lambda c: c),
            lambda s: s.update(lambda c: Qwen3VLConfig()),
            lambda s: s.compare_and_set(s.version, Qwen3VLConfig()),
        ],
        ids=["patch", "empty patch", "same", "equal", "compare_and_set"],
    )
    def test_no_change_no_version(self, change):
        """Every way of setting an equal config keeps version and history."""
        store = ConfigStore(Qwen3VLConfig())
        store.update({"vocab_size": 7})
        store.update({"vocab_size": 152064})
        before = (store.snapshot(), store.history)

        change(store)

        assert before == (store.snapshot(), store.history)

    def test_the_version_counts_the_changes(self):
        """Each change that alters the config adds exactly one version."""
        store = ConfigStore(Qwen3VLConfig())
        store.update({"vocab_size": 7})
        store.compare_and_set(
            1, apply_updates(store.current, {"vocab_size": 8})
        )
        store.rollback()

        assert 3 == store.version
        assert [0] == [v for v, _ in store.history]

    def test_rollback_to_an_equal_config_keeps_the_version(self):
        """Going back to a config equal to the current one is no change."""
        store = ConfigStore(Qwen3VLConfig())
        store.update({"vocab_size": 7})
        store.update({"vocab_size": 152064})
        seen = []
        store.subscribe(lambda old, new, paths: seen.append(paths))
        current = store.current

        assert current is store.rollback(2)

        assert (current, 2) == store.snapshot()
        assert () == store.history
        assert [] == seen


class TestHistory:
    def test_history_is_bounded(self):
        """Only the last `history` configs are kept."""
        store = ConfigStore(Qwen3VLConfig(), history=3)
        for size in range(1, 6):
            store.update({"vocab_size": size})

        assert [2, 3, 4] == [c.vocab_size for _, c in store.history]
        assert [2, 3, 4] == [v for v, _ in store.history]

    def test_rollback(self):
        """rollback(n) restores the config n changes back, as a new version."""
        store = ConfigStore(Qwen3VLConfig())
        store.update({"vocab_size": 1})
        store.update({"vocab_size": 2})
        store.update({"vocab_size": 3})

        restored = store.rollback(2)

        assert 1 == restored.vocab_size
        assert 4 == store.version
        assert [152064] == [c.vocab_size for _, c in store.history]

    def test_rollback_beyond_history(self):
        """Rolling back further than the history reaches is refused."""
        store = ConfigStore(Qwen3VLConfig())
        store.update({"vocab_size": 1})

        with pytest.raises(ValueError, match="history holds 1"):
            store.rollback(2)

    def test_negative_history_is_refused(self):
        """The history size must be a count."""
        with pytest.raises(ValueError):
            ConfigStore(Qwen3VLConfig(), history=-1)


def _within(seconds: float, call: Callable[[], Any]) -> Any:
    """Return call()'s result, or its exception, failing if it hangs."""
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["result"] = call()
        except BaseException as e:  # noqa: BLE001 - handed back to the test
            box["error"] = e

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), (
        f"still running after {seconds} s: a deadlock"
    )
    if "error" in box:
        raise box["error"]
    return box["result"]


NESTED = {
    "update": lambda s: s.update({"vocab_size": 5}),
    "update with a function": lambda s: s.update(lambda c: {"vocab_size": 5}),
    "compare_and_set": lambda s: s.compare_and_set(
        s.version, apply_updates(s.current, {"vocab_size": 5})
    ),
    "rollback": lambda s: s.rollback(),
}


class TestNestedUpdates:
    @pytest.mark.parametrize("nested", NESTED.values(), ids=NESTED.keys())
    def test_a_change_inside_an_update_function_is_refused(self, nested):
        """A nested change raises RuntimeError at once; nothing changes."""
        store = ConfigStore(Qwen3VLConfig())
        store.update({"vocab_size": 3})
        before = (store.snapshot(), store.history)

        def change(config):
            nested(store)
            return {"vocab_size": config.vocab_size + 1}

        with pytest.raises(RuntimeError, match="inside an update function"):
            _within(5, lambda: store.update(change))

        assert before == (store.snapshot(), store.history)

    def test_the_store_works_after_a_refusal(self):
        """The refusal leaves the lock free for the next change."""
        store = ConfigStore(Qwen3VLConfig())

        def change(config):
            store.update({"vocab_size": 5})

        with pytest.raises(RuntimeError):
            _within(5, lambda: store.update(change))
        _within(5, lambda: store.update({"vocab_size": 6}))
        _within(5, store.rollback)

        assert (152064, 2) == (store.current.vocab_size, store.version)

    def test_a_caught_refusal_lets_the_outer_update_finish(self):
        """A function that catches the refusal still makes its own change."""
        store = ConfigStore(Qwen3VLConfig())

        def change(config):
            with pytest.raises(RuntimeError):
                store.update({"vocab_size": 5})
            return {"vocab_size": 6}

        _within(5, lambda: store.update(change))

        assert (6, 1) == (store.current.vocab_size, store.version)

    def test_an_update_function_may_read_the_store(self):
        """Reading, history included, and subscribing work from the inside."""
        store = ConfigStore(Qwen3VLConfig())
        store.update({"vocab_size": 3})
        seen = []

        def change(config):
            seen.append((store.snapshot(), store.history))
            store.subscribe(lambda old, new, paths: seen.append(paths))
            return {"vocab_size": 4}

        _within(5, lambda: store.update(change))

        assert [
            ((Qwen3VLConfig(vocab_size=3), 1), ((0, Qwen3VLConfig()),)),
            ("vocab_size",),
        ] == seen

    def test_other_threads_are_not_refused(self):
        """Only the thread inside the function is refused; others wait."""
        store = ConfigStore(Qwen3VLConfig())
        other_done: list[bool] = []

        def other() -> None:
            store.update(lambda c: {"vocab_size": c.vocab_size + 1})
            other_done.append(True)

        def change(config):
            thread.start()
            time.sleep(0.05)  # the other thread is now waiting on the lock
            assert [] == other_done
            return {"vocab_size": 10}

        thread = threading.Thread(target=other)
        _within(5, lambda: store.update(change))
        thread.join(5)

        assert [True] == other_done
        assert (11, 2) == (store.current.vocab_size, store.version)


class TestSubscribers:
    def test_called_with_old_new_and_changed_paths(self):
        """A subscriber sees the old config, the new one and what changed."""
        store = ConfigStore(Qwen3VLConfig())
        seen = []
        store.subscribe(lambda old, new, paths: seen.append((old, new, paths)))

        new = store.update(
            {"vocab_size": 9, "gpu_config.use_tensor_cores": False}
        )

        ((old, got, paths),) = seen
        assert Qwen3VLConfig() == old
        assert new is got
        assert ("vocab_size", "gpu_config.use_tensor_cores") == paths

    def test_failing_subscriber_does_not_undo_the_update(self, caplog):
        """A subscriber that raises is logged; the change and the others stand."""
        store = ConfigStore(Qwen3VLConfig())
        later = []

        def broken(old, new, paths):
            raise RuntimeError("boom")

        store.subscribe(broken)
        store.subscribe(lambda old, new, paths: later.append(paths))
        with caplog.at_level(logging.ERROR, logger="qwen3vl"):
            store.update({"vocab_size": 9})

        assert 9 == store.current.vocab_size
        assert [("vocab_size",)] == later
        assert "subscriber failed" in caplog.text
        assert "boom" in caplog.text

    @pytest.mark.parametrize(
        "stop", [KeyboardInterrupt, SystemExit, GeneratorExit]
    )
    def test_a_stop_is_raised_after_every_subscriber_ran(self, stop, caplog):
        """KeyboardInterrupt or SystemExit in a subscriber: all run, then it."""
        store = ConfigStore(Qwen3VLConfig())
        calls = []

        def stopping(old, new, paths):
            calls.append("stopping")
            raise stop

        def broken(old, new, paths):
            calls.append("broken")
            raise RuntimeError("boom")

        stop_stopping = store.subscribe(stopping)
        store.subscribe(broken)
        store.subscribe(lambda old, new, paths: calls.append("later"))
        with (
            caplog.at_level(logging.ERROR, logger="qwen3vl"),
            pytest.raises(stop),
        ):
            _within(5, lambda: store.update({"vocab_size": 9}))

        assert ["stopping", "broken", "later"] == calls
        assert (9, 1) == (store.current.vocab_size, store.version)
        assert "boom" in caplog.text
        # The store is free: the change was complete when the stop came.
        stop_stopping()
        _within(5, lambda: store.update({"vocab_size": 10}))
        assert 10 == store.current.vocab_size

    def test_the_first_stop_wins_and_the_others_are_logged(self, caplog):
        """Several stops: the first is raised, the later ones logged."""
        store = ConfigStore(Qwen3VLConfig())

        def interrupt(old, new, paths):
            raise KeyboardInterrupt

        def leave(old, new, paths):
            raise SystemExit(3)

        store.subscribe(interrupt)
        store.subscribe(leave)
        with (
            caplog.at_level(logging.ERROR, logger="qwen3vl"),
            pytest.raises(KeyboardInterrupt),
        ):
            store.update({"vocab_size": 9})

        assert "SystemExit(3)" in caplog.text
        assert 9 == store.current.vocab_size

    def test_a_stop_from_compare_and_set_and_rollback(self):
        """Every kind of change contains its subscribers the same way."""
        store = ConfigStore(Qwen3VLConfig())
        later = []

        def interrupt(old, new, paths):
            raise KeyboardInterrupt

        store.subscribe(interrupt)
        store.subscribe(lambda old, new, paths: later.append(paths))
        with pytest.raises(KeyboardInterrupt):
            store.compare_and_set(
                0, apply_updates(store.current, {"vocab_size": 9})
            )
        with pytest.raises(KeyboardInterrupt):
            store.rollback()

        assert [("vocab_size",), ("vocab_size",)] == later
        assert (152064, 2) == (store.current.vocab_size, store.version)

    def test_subscribers_run_outside_the_lock(self):
        """A subscriber may read the store, and even update it."""
        store = ConfigStore(Qwen3VLConfig())
        seen = []

        def reader(old, new, paths):
            seen.append(store.snapshot()[1])
            if new.vocab_size == 1:
                store.update({"vocab_size": 2})

        store.subscribe(reader)
        store.update({"vocab_size": 1})

        assert 2 == store.current.vocab_size
        assert [1, 2] == seen

    def test_unsubscribe(self):
        """The returned function stops the calls."""
        store = ConfigStore(Qwen3VLConfig())
        seen = []
        stop = store.subscribe(lambda old, new, paths: seen.append(paths))

        stop()
        stop()
        store.update({"vocab_size": 3})

        assert [] == seen

    def test_rollback_notifies(self):
        """A rollback is a change that subscribers see."""
        store = ConfigStore(Qwen3VLConfig())
        store.update({"vocab_size": 3})
        seen = []
        store.subscribe(lambda old, new, paths: seen.append(paths))

        store.rollback()

        assert [("vocab_size",)] == seen


class _NaiveHolder:
    """The usual global-variable holder: read, change, write back, no lock."""

    def __init__(self, config: Qwen3VLConfig) -> None:
        self.config = config

    def increment(self) -> None:
        config = self.config
        time.sleep(0)  # let other threads run between the read and the write
        self.config = apply_updates(
            config, {"vocab_size": config.vocab_size + 1}
        )


class TestConcurrency:
    def _hammer(self, increment, read) -> list[str]:
        """Run THREADS writers of UPDATES increments with readers checking."""
        problems: list[str] = []
        done = threading.Event()

        def writer() -> None:
            for _ in range(UPDATES):
                increment()

        def reader() -> None:
            last = -1
            while not done.is_set():
                config, version = read()
                if version < last:
                    problems.append(f"version went back: {last} -> {version}")
                last = version
                try:
                    config.validate()
                except ConfigError as e:  # pragma: no cover - a failure
                    problems.append(str(e))

        readers = [threading.Thread(target=reader) for _ in range(2)]
        writers = [threading.Thread(target=writer) for _ in range(THREADS)]
        for t in readers + writers:
            t.start()
        for t in writers:
            t.join()
        done.set()
        for t in readers:
            t.join()
        return problems

    def test_no_lost_updates_and_every_snapshot_valid(self, monkeypatch):
        """8 threads x 2000 updates: all counted, versions rising, all valid."""
        monkeypatch.setattr(sys, "getswitchinterval", sys.getswitchinterval)
        old_interval = sys.getswitchinterval()
        sys.setswitchinterval(1e-5)  # switch threads often, to provoke races
        try:
            start = Qwen3VLConfig(vocab_size=1)
            store = ConfigStore(start, history=4)
            problems = self._hammer(
                lambda: store.update(
                    lambda c: {"vocab_size": c.vocab_size + 1}
                ),
                store.snapshot,
            )

            naive = _NaiveHolder(start)
            self._hammer(naive.increment, lambda: (naive.config, 0))
        finally:
            sys.setswitchinterval(old_interval)

        expected = 1 + THREADS * UPDATES
        assert [] == problems
        assert expected == store.current.vocab_size
        assert THREADS * UPDATES == store.version
        # The same test sees lost updates when there is no lock, so it could
        # see them in the store too.
        assert expected > naive.config.vocab_size
