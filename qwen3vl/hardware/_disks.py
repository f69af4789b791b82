"""
The disk that holds the offload folder, for `detect_hardware`: `detect_disk`.

Its free space comes from ``statvfs``, its kind (NVMe, SSD, HDD) from
``/sys``, following partitions to their disk and device mapper or md RAID
to the disks below them.  A kind that cannot be told is ``"unknown"``.

Strictly private: import `detect_hardware` from `qwen3vl.hardware`.
"""

from __future__ import annotations

import os
import pathlib

from ._files import read_text
from ._profile import DiskInfo, DiskKind


__all__ = ["detect_disk"]

_ROTATIONAL: dict[str, DiskKind] = {"1": "hdd", "0": "ssd"}


def detect_disk(root: pathlib.Path, folder: str) -> DiskInfo:
    """Return the free space and kind of the disk that holds `folder`."""
    existing = _nearest_existing(pathlib.Path(folder))
    if existing is None:
        return DiskInfo(path=folder)
    free: int | None = None
    statvfs = getattr(os, "statvfs", None)  # Windows has none
    if statvfs is not None:
        try:
            stats = statvfs(existing)
            free = stats.f_bavail * stats.f_frsize
        except (OSError, ValueError):
            pass
    try:
        device = existing.stat().st_dev
    except (OSError, ValueError):
        return DiskInfo(path=folder, free_bytes=free)
    kind = _disk_kind(root, os.major(device), os.minor(device))
    return DiskInfo(path=folder, kind=kind, free_bytes=free)


def _nearest_existing(folder: pathlib.Path) -> pathlib.Path | None:
    """Return `folder`, or its nearest parent that exists; ``None`` if none."""
    # A folder not created yet will live on its nearest existing parent.
    for candidate in (folder, *folder.parents):
        try:
            candidate.stat()
        except (FileNotFoundError, NotADirectoryError):
            continue
        except (OSError, ValueError):
            # Not allowed to look, or not a path the OS accepts.
            return None
        return candidate
    return None


def _disk_kind(root: pathlib.Path, major: int, minor: int) -> DiskKind:
    """Return the kind of the disk that block device `major:minor` is on."""
    link = root / "sys" / "dev" / "block" / f"{major}:{minor}"
    try:
        # A relative link such as ../../devices/.../block/nvme0n1/nvme0n1p2;
        # it resolves inside `root`, so fake trees work too.
        device = link.resolve(strict=True)
    except (OSError, RuntimeError):
        # No such device: overlay, tmpfs and network filesystems.
        return "unknown"
    return _block_kind(root, _disk_of(device), depth=0)


def _block_kind(root: pathlib.Path, disk: str, depth: int) -> DiskKind:
    """Return the kind of whole block device `disk` (``/sys/block/<disk>``)."""
    if disk.startswith("nvme"):
        return "nvme"
    block = root / "sys" / "block" / disk
    # Device mapper (LVM, LUKS) and md RAID sit on other devices; the kind
    # is theirs when they all agree.  The depth bound guards odd trees.
    if depth < 4:
        try:
            below = sorted(
                entry.name for entry in (block / "slaves").iterdir()
            )
        except OSError:
            below = []
        kinds = {
            _block_kind(root, _whole_disk(root, name), depth + 1)
            for name in below
        }
        if len(kinds) == 1 and "unknown" not in kinds:
            return kinds.pop()
    rotational = (read_text(block / "queue" / "rotational") or "").strip()
    return _ROTATIONAL.get(rotational, "unknown")


def _whole_disk(root: pathlib.Path, name: str) -> str:
    """Return the disk that partition `name` is on (or `name` if a disk)."""
    try:
        device = (root / "sys" / "class" / "block" / name).resolve(strict=True)
    except (OSError, RuntimeError):
        return name
    return _disk_of(device)


def _disk_of(device: pathlib.Path) -> str:
    """Return the whole disk's name for a sysfs block device folder."""
    # A partition's folder sits inside its disk's and has a "partition" file.
    return (
        device.parent.name if read_text(device / "partition") else device.name
    )
