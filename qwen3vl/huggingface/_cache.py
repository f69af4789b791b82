"""
Finding a pretrained model's configuration on this machine, never online.

`locate` takes a folder or a Hugging Face model id.  A folder is used as it
is; a model id is looked up in the local Hugging Face cache, in the layout
``huggingface_hub`` writes::

    <cache>/models--Qwen--Qwen3-VL-8B-Instruct/
        refs/main                    the commit that "main" points to
        snapshots/<commit>/config.json -> ../../blobs/<hash>
        blobs/<hash>

In a folder, a configuration of ours (`OWN_NAMES`) is preferred to a Hugging
Face ``config.json``, and a ``config.json`` that holds a configuration of ours
(`is_own_config`) is read as ours.  `locate_model` finds both files, for
``load_config(model=...)``.  Nothing is ever downloaded.

Strictly private.
"""

from __future__ import annotations

import contextlib
import errno
import os
import pathlib
import re
import stat

from collections.abc import Mapping
from typing import Literal

import attrs

from qwen3vl._errors import given, short
from qwen3vl._formats import read_document
from qwen3vl.exceptions import ConfigError, Problem


__all__ = [
    "HF_CONFIG",
    "OWN_NAMES",
    "Found",
    "ModelFiles",
    "hub_cache",
    "is_own_config",
    "locate",
    "locate_model",
]

#: Our own saved configuration, in the order `locate` looks for it.
OWN_NAMES = ("qwen3vl.toml", "qwen3vl.yaml", "qwen3vl.yml", "qwen3vl.json")

#: A Hugging Face model's configuration.
HF_CONFIG = "config.json"

# huggingface_hub's rule for repository ids: one optional namespace, names
# of word characters, '.' and '-', no '--' or '..' (they would alias the
# cache folder names), at most 96 characters each.
_MODEL_ID = re.compile(r"(?:[A-Za-z0-9][\w.-]{0,95}/)?[A-Za-z0-9][\w.-]{0,95}")
_COMMIT = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")
_MAX_REF_BYTES = 256
# What stat() says of a name that no folder has: missing, a file on the
# way, a name too long for the system, a link loop, a name it refuses.
_NOTHING_THERE = frozenset(
    {
        errno.ENOENT,
        errno.ENOTDIR,
        errno.ENAMETOOLONG,
        errno.ELOOP,
        errno.EINVAL,
    }
)


@attrs.frozen
class Found:
    """
    A configuration file `locate` found, and what kind of file it is.

    Strictly private.
    """

    path: str
    kind: Literal["qwen3vl", "hf"]


@attrs.frozen
class ModelFiles:
    """
    The configuration files of a model: Hugging Face's, ours, or both.

    Attributes:
        hf: Its Hugging Face ``config.json``, if it has one.
        own: Our own configuration file, if it has one (a ``config.json``
            that holds a configuration of ours counts as ours).

    Strictly private.
    """

    hf: str | None
    own: str | None


def _error(message: str) -> ConfigError:
    return ConfigError([Problem("", message)])


def hub_cache() -> str:
    """
    Return the Hugging Face cache folder, as huggingface_hub chooses it.

    ``HF_HUB_CACHE``, else ``$HF_HOME/hub``, else
    ``$XDG_CACHE_HOME/huggingface/hub``, else ``~/.cache/huggingface/hub``.
    """
    env = os.environ
    if env.get("HF_HUB_CACHE"):
        return str(pathlib.Path(env["HF_HUB_CACHE"]).expanduser())
    if env.get("HF_HOME"):
        return str(pathlib.Path(env["HF_HOME"]).expanduser() / "hub")
    if env.get("XDG_CACHE_HOME"):
        base = pathlib.Path(env["XDG_CACHE_HOME"]).expanduser()
        return str(base / "huggingface" / "hub")
    return str(pathlib.Path.home() / ".cache" / "huggingface" / "hub")


def is_model_id(text: str) -> bool:
    """Tell whether `text` is spelled like a Hugging Face model id."""
    return bool(_MODEL_ID.fullmatch(text)) and not (
        "--" in text or ".." in text or text.endswith(".")
    )


def _is_dir(path: str | os.PathLike[str]) -> bool:
    """
    Tell whether `path` is a folder.

    A name that no folder can have (too long, a NUL byte, a surrogate) is
    not one; a folder the system will not look at is a `ConfigError`.
    """
    try:
        return stat.S_ISDIR(pathlib.Path(path).stat().st_mode)
    except ValueError:  # a NUL byte, or text the file system cannot encode
        return False
    except OSError as e:
        if e.errno in _NOTHING_THERE:
            return False
        msg = f"{short(os.fspath(path))}: cannot be looked at: {e.strerror}"
        raise _error(msg) from None


def locate(path_or_model_id: str | os.PathLike[str]) -> Found:
    """
    Return the configuration file for a folder or a cached model id.

    A configuration of ours is preferred to a Hugging Face one.

    Raises:
        ConfigError: nothing usable was found; the message says where it
            looked.
    """
    files = _find(path_or_model_id, both=False)
    if files.own is not None:
        return Found(files.own, "qwen3vl")
    assert files.hf is not None  # noqa: S101 - _find finds one at least
    return Found(files.hf, "hf")


def locate_model(path_or_model_id: str | os.PathLike[str]) -> ModelFiles:
    """
    Return both configuration files of a model, for ``load_config(model=)``.

    `path_or_model_id` is a folder, a configuration file (a ``config.json``)
    or a cached model id.  Of a folder (or a cached snapshot), both its
    Hugging Face ``config.json`` and our own file are returned, either of
    which may be missing, not both.

    Raises:
        ConfigError: nothing usable was found; the message says where it
            looked.
    """
    return _find(path_or_model_id, both=True)


def is_own_config(data: object) -> bool:
    """
    Tell whether a parsed ``config.json`` is a configuration of ours.

    Ours always says its ``config_version``; transformers always writes
    ``model_type`` (and ``architectures``), and no field of ours has those
    names.
    """
    return (
        isinstance(data, Mapping)
        and "config_version" in data
        and "model_type" not in data
        and "architectures" not in data
    )


def _find(
    path_or_model_id: str | os.PathLike[str], *, both: bool
) -> ModelFiles:
    text: object = path_or_model_id
    if isinstance(text, os.PathLike):
        # TypeError: its __fspath__ returned neither str nor bytes.
        with contextlib.suppress(TypeError):
            text = os.fspath(text)
    if not isinstance(text, str) or not text:
        msg = f"expected a model folder or a model id ({given(text)})"
        raise _error(msg)
    place = pathlib.Path(text)
    if _is_dir(place):
        listed = _listed(place)
        if listed is None:
            names = ", ".join((*OWN_NAMES, HF_CONFIG))
            msg = f"{text}: the folder holds none of {names}"
            raise _error(msg)
        return _sorted_out(place, *listed, both=both)
    if os.path.lexists(text):
        if both:
            return _one_file(text)
        msg = (
            f"{text}: not a folder; from_pretrained takes a model folder or a"
            " model id (read a file of ours with from_file)"
        )
        raise _error(msg)
    if not is_model_id(text):
        # Any text comes here: bounded and escaped, as names in messages are.
        where = str(place.absolute())
        where = (
            f" ({where})" if where.isprintable() and len(where) < 512 else ""
        )
        what = "file or folder" if both else "folder"
        msg = (
            f"{short(text)}: no such {what}{where}, and not a Hugging Face"
            " model id such as 'Qwen/Qwen3-VL-8B-Instruct'"
        )
        raise _error(msg)
    return _in_cache(text, both=both)


def _one_file(path: str) -> ModelFiles:
    # A file named as a model: ours by its suffix, or by what a JSON file
    # holds; `read_document` names any other suffix.
    if pathlib.Path(path).suffix.lower() in {".toml", ".yaml", ".yml"}:
        return ModelFiles(hf=None, own=path)
    if _holds_ours(path):
        return ModelFiles(hf=None, own=path)
    return ModelFiles(hf=path, own=None)


def _holds_ours(path: str | pathlib.Path) -> bool:
    data, _, _ = read_document(path)
    return is_own_config(data)


def _listed(folder: pathlib.Path) -> tuple[str | None, str | None] | None:
    """Return our own file and the config.json in `folder`, or None if neither."""
    own = [n for n in OWN_NAMES if os.path.lexists(folder / n)]
    if len(own) > 1:
        msg = (
            f"{folder}: holds {' and '.join(own)}; keep one, so that which"
            " configuration is meant is clear"
        )
        raise _error(msg)
    hf = (
        str(folder / HF_CONFIG)
        if os.path.lexists(folder / HF_CONFIG)
        else None
    )
    if not own and hf is None:
        return None
    return (str(folder / own[0]) if own else None), hf


def _sorted_out(
    folder: pathlib.Path, own: str | None, hf: str | None, *, both: bool
) -> ModelFiles:
    """
    Tell what a folder's files are: a config.json may be one of ours.

    Without `both`, a config.json beside our own file is not read at all.
    """
    if own is not None and not both:
        return ModelFiles(hf=None, own=own)
    if hf is None or not _holds_ours(hf):
        return ModelFiles(hf=hf, own=own)
    if own is not None:
        msg = (
            f"{folder}: holds {pathlib.Path(own).name} and a {HF_CONFIG} that"
            " is a configuration of ours too; keep one, so that which"
            " configuration is meant is clear"
        )
        raise _error(msg)
    return ModelFiles(hf=None, own=hf)


def _in_cache(model_id: str, *, both: bool) -> ModelFiles:
    cache = hub_cache()
    repo = pathlib.Path(cache, "models--" + model_id.replace("/", "--"))
    if not _is_dir(repo):
        msg = (
            f"model {model_id!r} is not here: there is no folder"
            f" {pathlib.Path(model_id).absolute()} and no {repo} in the local"
            f" Hugging Face cache ({cache}; set by HF_HUB_CACHE or HF_HOME)."
            " Nothing is downloaded: fetch it first, for example with"
            f" `huggingface-cli download {model_id} config.json`"
        )
        raise _error(msg)
    snapshot = repo / "snapshots" / _revision(repo, model_id)
    listed = _listed(snapshot) if _is_dir(snapshot) else None
    if listed is None:
        msg = (
            f"model {model_id!r}: the cached snapshot {snapshot} holds no"
            f" {HF_CONFIG} (or configuration of ours)"
        )
        raise _error(msg)
    own, hf = listed
    # Checked before anything is read: a file that will not be read need
    # not be there.
    for path in (own, hf if both or own is None else None):
        if path is not None:
            _check_link(path, repo, model_id)
    return _sorted_out(snapshot, own, hf, both=both)


def _check_link(path: str, repo: pathlib.Path, model_id: str) -> None:
    # Snapshot files are links into the repo's blobs/; one that leads
    # anywhere else is not the cache's doing, so it is not followed.
    try:
        real = pathlib.Path(path).resolve()
        root = repo.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a link loop (3.11, 3.12)
        msg = f"model {model_id!r}: {path} is a symbolic link loop"
        raise _error(msg) from None
    if not real.is_relative_to(root):
        msg = (
            f"{path}: links to {real}, outside the model's cache folder"
            f" {root}; refusing to read it"
        )
        raise _error(msg)
    if not os.path.exists(real):  # noqa: PTH110 - False, not OSError, if unsure
        msg = (
            f"{path}: links to {real}, which is missing (an interrupted"
            " download?)"
        )
        raise _error(msg)


def _revision(repo: pathlib.Path, model_id: str) -> str:
    ref = repo / "refs" / "main"
    if os.path.lexists(ref):
        commit = _read_ref(str(ref))
        if not _COMMIT.fullmatch(commit):
            msg = f"{ref}: expected a commit hash (got {commit[:80]!r})"
            raise _error(msg)
        return commit
    # No refs/main (a download by commit hash): use the only snapshot.
    snapshots = repo / "snapshots"
    try:
        names = (
            sorted(p.name for p in snapshots.iterdir())
            if _is_dir(snapshots)
            else []
        )
    except OSError as e:
        msg = f"{snapshots}: cannot be listed: {e.strerror}"
        raise _error(msg) from None
    if len(names) == 1:
        return names[0]
    if not names:
        msg = f"model {model_id!r}: {repo} holds no snapshots"
        raise _error(msg)
    msg = (
        f"model {model_id!r}: {repo} has no refs/main and"
        f" {len(names)} snapshots ({', '.join(names[:4])}); pass the folder"
        " of the one you mean"
    )
    raise _error(msg)


def _read_ref(path: str) -> str:
    # A ref is a few bytes of text; read it without blocking on a FIFO and
    # without reading more than a commit hash could need.
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as e:
        msg = f"{path}: cannot open: {e.strerror}"
        raise _error(msg) from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            msg = f"{path}: is not a regular file"
            raise _error(msg)
        data = os.read(fd, _MAX_REF_BYTES)
    except OSError as e:
        msg = f"{path}: cannot read: {e.strerror}"
        raise _error(msg) from None
    finally:
        os.close(fd)
    try:
        return data.decode("ascii").strip()
    except UnicodeDecodeError:
        msg = f"{path}: expected a commit hash (got {data[:80]!r})"
        raise _error(msg) from None
