"""
Crash-safe saves: SIGKILL mid-save, failing system calls, unwritable values.

The kill test forks a child that saves two configs over one file, in turn,
as fast as it can, and kills it with SIGKILL at a random moment.  The child
notes in shared memory which save it is in and which system call of
`write_atomic` it has entered or left, so that after each kill the test
knows what the file must hold: the previous version up to the ``rename``,
the new one after it, either while inside it; never anything else.  It
also checks that the file loads and keeps its permission bits.

A SIGKILL between creating the temporary file and renaming it leaves that
file behind (``.NAME.<hex>.tmp``): the process dies before its cleanup can
run.  The target is intact all the same; the test checks that a temporary
file is left exactly when the kill came in that window, counts them, and
removes them before the next round.  Failures that Python does see (an
error from a system call) leave no temporary file: `TestFailingCalls`.

The failures ``tests/test_formats.py`` already injects (ENOSPC from the
first write, from fsync and from the rename, and an interrupt in fsync)
are not repeated here.  The kill loops are marked ``crash`` and run in
``nox -s robustness``; the injected failures run everywhere.
"""

from __future__ import annotations

import collections
import contextlib
import errno
import mmap
import os
import pathlib
import random
import resource
import signal
import stat
import struct
import sys
import time
import traceback
import warnings

from collections.abc import Callable, Iterator
from typing import Any

import attrs
import pytest
import qwen3vl._formats as formats_module
import tomli_w
import yaml

from qwen3vl import ConfigError, Qwen3VLConfig
from qwen3vl._converters import to_file_data
from qwen3vl._formats import dumps

from helpers import SUFFIXES, by_format


#: Kills per format in ``nox -s robustness`` and behind the ``slow`` marker.
KILLS = 200
SLOW_KILLS = 2000
MODE = 0o640

OLD = Qwen3VLConfig()
NEW = Qwen3VLConfig.from_dict(
    {
        "num_hidden_layers": 48,
        "hardware_target": "crash.test-box",
        "optimization_level": "aggressive",
        "memory_config": {"gpu_memory_size": "80GiB", "swap_threshold": 0.5},
        "gpu_config": {
            "gpu_compute_capability": [9, 0],
            "use_tensor_cores": False,
        },
    }
)
VERSIONS = (OLD, NEW)


def canonical(cfg: Qwen3VLConfig, fmt: str) -> bytes:
    """The bytes `save_to_file` writes for `cfg` in `fmt`."""
    return dumps(to_file_data(cfg), fmt).encode()


def names_in(folder: pathlib.Path) -> list[str]:
    """The sorted names of the entries in `folder`."""
    return sorted(entry.name for entry in folder.iterdir())


def temps_of(path: pathlib.Path) -> list[pathlib.Path]:
    """The temporary files `write_atomic` makes for `path`."""
    return sorted(path.parent.glob(f".{path.name}.*.tmp"))


# -- the kill test --------------------------------------------------------

# The system calls of one save, in order, as (function, how many times it
# was called in this save so far).  fchmod is made only over an existing
# file; a long text could take several writes.
_STEPS = {
    ("open", 1): "open temp",
    ("write", 0): "write",
    ("fchmod", 1): "fchmod",
    ("fsync", 1): "fsync temp",
    ("close", 1): "close temp",
    ("replace", 1): "rename",
    ("open", 2): "open folder",
    ("fsync", 2): "fsync folder",
    ("close", 2): "close folder",
}
_ORDER = list(dict.fromkeys(_STEPS.values()))
_RENAME = _ORDER.index("rename")
# Where a save is: 0 before its first call (Python: building the text),
# 2k+1 inside call k of _ORDER, 2k+2 just after it; 62 when it returned.
_STARTED, _RETURNED = 0, 62


def _phase_name(save: int, code: int) -> str:
    if save == 0:
        return "before the first save"
    if code == _STARTED:
        return "before the temp file"
    if code == _RETURNED:
        return "save returned"
    k, after = divmod(code - 1, 2)
    return f"{'after' if after else 'in'} {_ORDER[k]}"


class _Progress:
    """Where the child is, in memory it shares with the parent: one word."""

    # On this project's machines a SIGKILL now and then leaves a zero in the
    # first word the killed child stored to shared memory, with no code
    # writing one; it happens without qwen3vl too (a child storing only
    # non-zero values, killed 3000 times: 7 zeros, always in the first
    # copy of three).  So the word is stored three times, one cache line
    # apart, and read from the first copy that is not zero.  A later copy
    # can only lag by one step, and a step is stored before its system call
    # starts, so the lag never claims a call had happened when it had not.
    _COPIES = (0, 64, 128)

    def __init__(self) -> None:
        # Anonymous shared memory survives fork and is seen by both sides;
        # one aligned 8-byte word is written in one store.
        self.memory = mmap.mmap(-1, mmap.PAGESIZE)

    def set(self, save: int, code: int) -> None:
        for offset in self._COPIES:
            struct.pack_into("Q", self.memory, offset, save * 64 + code)

    def get(self) -> tuple[int, int]:
        copies = (
            struct.unpack_from("Q", self.memory, o)[0] for o in self._COPIES
        )
        word = next((w for w in copies if w), 0)
        return divmod(word, 64)


def _child(
    path: pathlib.Path, first: int, progress: _Progress
) -> None:  # pragma: no cover - runs in the forked child
    """Save versions first, 1 - first, first, ... until killed."""
    calls: collections.Counter[str] = collections.Counter()
    save = 0

    def watched(name: str, real: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            calls[name] += 1
            step = _STEPS[name, 0 if name == "write" else calls[name]]
            k = _ORDER.index(step)
            progress.set(save, 2 * k + 1)
            result = real(*args, **kwargs)
            progress.set(save, 2 * k + 2)
            return result

        return call

    # Only this process is changed: it is a copy, and it never returns.
    for name in ("open", "write", "fchmod", "fsync", "close", "replace"):
        setattr(os, name, watched(name, getattr(os, name)))
    deadline = time.monotonic() + 30  # a parent that never kills
    while time.monotonic() < deadline:
        save += 1
        calls.clear()
        progress.set(save, _STARTED)
        VERSIONS[(first + save - 1) % 2].save_to_file(path)
        progress.set(save, _RETURNED)


@attrs.define
class KillFigures:
    """What the kills of one format found."""

    kills: int = 0
    old: int = 0
    new: int = 0
    absent: int = 0
    saves_completed: int = 0
    temps_left: int = 0
    temps_looser_than_target: int = 0
    #: After the kills inside the rename: files that held the version
    #: before that save, and the one it wrote.
    in_rename: list[int] = attrs.field(factory=lambda: [0, 0])
    phases: collections.Counter[str] = attrs.field(factory=collections.Counter)

    def line(self, fmt: str) -> str:
        """One line for the test log."""
        phases = ", ".join(f"{n} {p}" for p, n in sorted(self.phases.items()))
        return (
            f"{fmt}: {self.kills} kills, file old {self.old} / new "
            f"{self.new} / absent {self.absent}, {self.saves_completed} "
            f"saves completed, {self.temps_left} temp files left "
            f"({self.temps_looser_than_target} with looser permissions "
            f"than the target); the {sum(self.in_rename)} kills inside the "
            f"rename left the previous version {self.in_rename[0]} times, "
            f"the one being saved {self.in_rename[1]} times; "
            f"kills by phase: {phases}"
        )


def _fork(
    path: pathlib.Path, first: int, progress: _Progress, umask: int
) -> int:
    with warnings.catch_warnings():
        # Python 3.12+ warns about fork in a process with threads; the child
        # only saves and never returns to the test.
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 70
        try:
            os.umask(umask)
            _child(path, first, progress)
            code = 0
        except BaseException:  # noqa: BLE001 - the parent sees the code
            traceback.print_exc()
        finally:
            os._exit(code)
    return pid


def _expected(code: int) -> set[str]:
    """What the target may hold after a kill at `code` of a save."""
    rename_in = 2 * _RENAME + 1
    if code < rename_in:
        return {"before"}
    if code == rename_in:
        return {"before", "after"}
    return {"after"}


def _temps_expected(code: int) -> set[int]:
    """How many temporary files a kill at `code` of a save may leave."""
    open_in, rename_in = 1, 2 * _RENAME + 1
    if code in (open_in, rename_in):
        return {0, 1}  # the call may or may not have taken effect
    if open_in < code < rename_in:
        return {1}
    return {0}


@attrs.define
class _Killer:
    """A file, the child that saves over it, and what each kill left."""

    path: pathlib.Path
    texts: list[bytes]
    exists: bool
    figures: KillFigures = attrs.field(factory=KillFigures)
    progress: _Progress = attrs.field(factory=_Progress)
    umask: int = 0o022
    current: int = 0  # the version the file holds (when there is one)

    @property
    def mode(self) -> int:
        """An existing file keeps its mode; a new one: 0o666 less the umask."""
        return MODE if self.exists else 0o666 & ~self.umask

    def kill(self, delay: float) -> tuple[int, int]:
        """Start a saving child, kill it after `delay`; where was it?"""
        if self.exists:
            self.path.chmod(MODE)
        else:
            self.path.unlink(missing_ok=True)
        self.progress.set(0, _RETURNED)
        pid = _fork(self.path, 1 - self.current, self.progress, self.umask)
        # The delay counts from the child's first save, not from the fork,
        # which takes longer than a save: the kills fall among the saves.
        started = time.monotonic()
        while self.progress.get()[0] == 0 and time.monotonic() - started < 5:
            time.sleep(0.0001)
        time.sleep(delay)
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        assert os.WIFSIGNALED(status), f"child ended by itself: {status:#x}"
        assert signal.SIGKILL == os.WTERMSIG(status)
        return self.progress.get()

    def expected(self, save: int, code: int) -> set[int]:
        """The versions the file may hold after a kill at `code` of `save`."""
        # Save n (from 1) writes version (first + n - 1) % 2, first being
        # 1 - current, over the version of save n - 1; -1: no file.
        before = (1 - self.current + save) % 2
        if not self.exists and save == 1:
            before = -1
        after = (2 - self.current + save) % 2
        if save == 0:  # killed before the child began: nothing changed
            after = self.current if self.exists else -1
        sides = {"before": before, "after": after}
        return {sides[side] for side in _expected(code)}

    def check(self, save: int, code: int) -> None:
        """Check the folder after a kill at `code` of `save`; count it."""
        figures, path = self.figures, self.path
        phase = _phase_name(save, code)
        figures.kills += 1
        figures.phases[phase] += 1
        figures.saves_completed += save if code == _RETURNED else save - 1
        expected = self.expected(save, code)

        temps = temps_of(path)
        assert len(temps) in _temps_expected(code), (phase, temps)
        figures.temps_left += len(temps)
        for temp in temps:
            if stat.S_IMODE(temp.stat().st_mode) & ~self.mode:
                figures.temps_looser_than_target += 1
            temp.unlink()

        if not path.exists():
            assert -1 in expected, phase
            assert [] == names_in(path.parent)
            figures.absent += 1
            return
        assert [path.name] == names_in(path.parent)
        data = path.read_bytes()
        assert data in self.texts, f"torn file after a kill {phase}"
        held = self.texts.index(data)
        assert held in expected, (phase, held, expected)
        assert self.mode == stat.S_IMODE(path.stat().st_mode), phase
        assert VERSIONS[held] == Qwen3VLConfig.from_file(path)
        if held:
            figures.new += 1
        else:
            figures.old += 1
        if 1 < len(expected):  # killed inside the rename: which side?
            (after,) = self.expected(save, _RETURNED)
            figures.in_rename[held == after] += 1
        self.current = held


def kill_saves(
    folder: pathlib.Path, fmt: str, kills: int, *, exists: bool, seed: int
) -> KillFigures:
    """Kill a saving child `kills` times; check the file after each kill."""
    path = folder / f"config{SUFFIXES[fmt]}"
    texts = [canonical(cfg, fmt) for cfg in VERSIONS]
    # How long one save takes here, so that the kills spread over a few.
    began = time.perf_counter()
    for cfg in VERSIONS * 3:
        cfg.save_to_file(path)
    window = 3 * (time.perf_counter() - began) / 6
    killer = _Killer(path, texts, exists, current=1)
    rng = random.Random(seed)  # noqa: S311 - moments to kill, not secrets
    for _ in range(kills):
        killer.check(*killer.kill(rng.uniform(0, window)))
    return killer.figures


def _report(request: pytest.FixtureRequest, line: str) -> None:
    """With ``-v``, print the figures past pytest's capture, for the record."""
    if request.config.get_verbosity() > 0:
        capture = request.getfixturevalue("capsys")
        with capture.disabled():
            sys.stdout.write(f"\n[crash safety] {line}\n")


@pytest.mark.crash
class TestKilledMidSave:
    @by_format
    def test_file_is_old_or_new_after_sigkill(
        self, tmp_path: pathlib.Path, fmt: str, request: pytest.FixtureRequest
    ) -> None:
        """After each of 200 SIGKILLs the file is the old or the new text."""
        figures = kill_saves(tmp_path, fmt, KILLS, exists=True, seed=7)
        _report(request, figures.line(fmt))
        assert KILLS == figures.old + figures.new
        assert figures.new > 0

    @by_format
    def test_new_file_is_absent_or_whole_after_sigkill(
        self, tmp_path: pathlib.Path, fmt: str, request: pytest.FixtureRequest
    ) -> None:
        """A first save killed at any moment leaves no file or a whole one."""
        figures = kill_saves(tmp_path, fmt, KILLS // 4, exists=False, seed=11)
        _report(request, "new file, " + figures.line(fmt))
        assert KILLS // 4 == figures.absent + figures.old + figures.new

    @pytest.mark.slow
    @by_format
    def test_many_kills(
        self, tmp_path: pathlib.Path, fmt: str, request: pytest.FixtureRequest
    ) -> None:
        """The same, 2000 kills per format."""
        figures = kill_saves(tmp_path, fmt, SLOW_KILLS, exists=True, seed=13)
        _report(request, "slow, " + figures.line(fmt))
        assert SLOW_KILLS == figures.old + figures.new


# -- failing system calls -------------------------------------------------


@contextlib.contextmanager
def failing(
    monkeypatch: pytest.MonkeyPatch, name: str, error: int, *, after: int = 0
) -> Iterator[list[int]]:
    """Make `os.<name>` fail with `error` from its `after`+1-th call on."""
    real = getattr(os, name)
    calls = [0]

    def call(*args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        if calls[0] > after:
            if name == "close":
                real(*args, **kwargs)
            raise OSError(error, os.strerror(error))
        if name == "write":
            fd, data = args
            return real(fd, bytes(data[: max(1, len(data) // 2)]))
        return real(*args, **kwargs)

    monkeypatch.setattr(formats_module.os, name, call)
    yield calls
    monkeypatch.undo()


@pytest.fixture
def saved(tmp_path: pathlib.Path, request: pytest.FixtureRequest) -> Any:
    """An old config saved in the format of the test, with mode 0o640."""
    fmt = request.node.callspec.params["fmt"]
    path = tmp_path / f"config{SUFFIXES[fmt]}"
    OLD.save_to_file(path)
    path.chmod(MODE)
    info = path.stat()
    return path, path.read_bytes(), info.st_ino


def assert_untouched(saved: Any) -> None:
    """The old file is there, the same bytes, inode and mode, and alone."""
    path, data, inode = saved
    assert data == path.read_bytes()
    assert inode == path.stat().st_ino
    assert MODE == stat.S_IMODE(path.stat().st_mode)
    assert [path.name] == names_in(path.parent)


class TestFailingCalls:
    @by_format
    @pytest.mark.parametrize(
        "failure",
        [
            # The temporary file cannot be made.
            pytest.param(("open", errno.EMFILE, 0), id="open-EMFILE"),
            pytest.param(("open", errno.EACCES, 0), id="open-EACCES"),
            # Half the text written, then the disk is full or over quota.
            pytest.param(("write", errno.ENOSPC, 1), id="write-half-ENOSPC"),
            pytest.param(("write", errno.EDQUOT, 1), id="write-half-EDQUOT"),
            pytest.param(("fchmod", errno.EPERM, 0), id="fchmod-EPERM"),
            # Closed, then an error reported, as NFS does on close.
            pytest.param(("close", errno.EIO, 0), id="close-EIO"),
        ],
    )
    def test_failure_leaves_the_old_file_and_no_temp(
        self,
        monkeypatch: pytest.MonkeyPatch,
        saved: Any,
        fmt: str,
        failure: tuple[str, int, int],
    ) -> None:
        """A system call failing mid-save keeps the old file; no temp remains."""
        path = saved[0]
        name, error, after = failure
        with (
            failing(monkeypatch, name, error, after=after) as calls,
            pytest.raises(OSError) as caught,
        ):
            NEW.save_to_file(path)
        assert after < calls[0]
        assert error == caught.value.errno
        assert not isinstance(caught.value, ConfigError)
        assert_untouched(saved)
        assert OLD == Qwen3VLConfig.from_file(path)

    @by_format
    def test_file_size_limit_of_the_kernel(self, saved: Any, fmt: str) -> None:
        """A real EFBIG from the kernel (RLIMIT_FSIZE) mid-write keeps the old file."""
        path = saved[0]
        limit = len(canonical(NEW, fmt)) // 2
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
        if pid == 0:  # pragma: no cover - the child
            code = 70
            try:
                signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
                resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
                NEW.save_to_file(path)
                code = 0
            except OSError as e:
                code = 10 if e.errno == errno.EFBIG else 71
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        assert os.WIFEXITED(status)
        assert 10 == os.WEXITSTATUS(status)  # the save raised EFBIG
        assert_untouched(saved)

    @by_format
    def test_folder_fsync_error_after_the_rename(
        self, monkeypatch: pytest.MonkeyPatch, saved: Any, fmt: str
    ) -> None:
        """An EIO syncing the folder is raised; the file is already the new one."""
        path = saved[0]
        real_fsync = os.fsync

        def fsync(fd: int) -> None:
            if stat.S_ISDIR(os.fstat(fd).st_mode):
                raise OSError(errno.EIO, os.strerror(errno.EIO))
            real_fsync(fd)

        monkeypatch.setattr(formats_module.os, "fsync", fsync)
        with pytest.raises(OSError) as caught:
            NEW.save_to_file(path)
        monkeypatch.undo()
        assert errno.EIO == caught.value.errno
        # The rename has happened: whole new file, its mode kept, no temp.
        assert canonical(NEW, fmt) == path.read_bytes()
        assert MODE == stat.S_IMODE(path.stat().st_mode)
        assert [path.name] == names_in(path.parent)


# -- values that cannot be written ----------------------------------------


class _Unwritable:
    """A value no serializer knows."""


# Each format's own serializer refuses these: JSON has no NaN, TOML no
# null, and the YAML safe dumper writes no arbitrary objects.
_REFUSED: dict[str, tuple[str | None, str, Any, type[Exception]]] = {
    "json": (
        "power_management_config",
        "thermal_constraint",
        float("nan"),
        ValueError,
    ),
    "toml": (None, "hardware_target", None, TypeError),
    "yaml": (None, "hardware_target", _Unwritable(), yaml.YAMLError),
}


def forced(fmt: str) -> Qwen3VLConfig:
    """A config holding a value `fmt` cannot write, set past validation."""
    cfg = Qwen3VLConfig()
    section, name, value, _ = _REFUSED[fmt]
    holder = cfg
    if section is not None:
        # A copy: the default section instance is shared by every config
        # that keeps it, and must stay valid for the tests that follow.
        holder = attrs.evolve(getattr(cfg, section))
        object.__setattr__(cfg, section, holder)
    object.__setattr__(holder, name, value)
    return cfg


def folder_state(folder: pathlib.Path) -> list[tuple[str, bytes, int, int]]:
    """Each entry's name, bytes, inode and modification time."""
    return [
        (p.name, p.read_bytes(), p.stat().st_ino, p.stat().st_mtime_ns)
        for p in sorted(folder.iterdir())
    ]


class TestUnwritableValues:
    @by_format
    def test_refused_by_the_serializer_before_the_disk(
        self, monkeypatch: pytest.MonkeyPatch, saved: Any, fmt: str
    ) -> None:
        """A value the format cannot hold fails before any file is opened."""
        path = saved[0]
        before = folder_state(path.parent)
        opened: list[Any] = []
        real_open = os.open
        monkeypatch.setattr(
            formats_module.os,
            "open",
            lambda *a, **k: opened.append(a) or real_open(*a, **k),
        )
        refusal = _REFUSED[fmt][3]
        with pytest.raises(refusal):
            forced(fmt).save_to_file(path)
        monkeypatch.undo()
        assert [] == opened
        assert before == folder_state(path.parent)
        assert_untouched(saved)

    @by_format
    def test_failing_writer_touches_nothing(
        self, monkeypatch: pytest.MonkeyPatch, saved: Any, fmt: str
    ) -> None:
        """If building the text fails, write_atomic is never called."""
        path = saved[0]
        before = folder_state(path.parent)
        written: list[Any] = []
        monkeypatch.setattr(
            formats_module, "write_atomic", lambda *a: written.append(a)
        )

        def refuse(*_args: Any, **_kwargs: Any) -> str:
            raise TypeError("cannot write this value")

        monkeypatch.setattr(tomli_w, "dumps", refuse)
        monkeypatch.setattr(formats_module, "_dump_json", refuse)
        monkeypatch.setattr(formats_module, "_dump_yaml", refuse)
        with pytest.raises(TypeError, match="cannot write this value"):
            NEW.save_to_file(path)
        monkeypatch.undo()
        assert [] == written
        assert before == folder_state(path.parent)
        assert_untouched(saved)
