"""Tests for disk detection: the offload folder's disk, on fake /sys trees."""

from __future__ import annotations

import os

import pytest

from qwen3vl import MiB
from qwen3vl.hardware import DiskInfo, detect_hardware
from qwen3vl.hardware import _disks as disk_detect

from helpers import write_file


def block_link(root, major, minor, target):
    """Link /sys/dev/block/major:minor to a device folder, as sysfs does."""
    link = root / "sys" / "dev" / "block" / f"{major}:{minor}"
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(f"../../devices/{target}")


def block_device(root, path, *, partition=None, rotational=None):
    """Make a sysfs block device folder, with /sys/block and class links."""
    device = root / "sys" / "devices" / path
    device.mkdir(parents=True)
    name = device.name
    if partition is not None:
        write_file(device, "partition", f"{partition}\n")
    else:
        (root / "sys" / "block").mkdir(parents=True, exist_ok=True)
        (root / "sys" / "block" / name).symlink_to(device)
    if rotational is not None:
        write_file(device, "queue/rotational", f"{rotational}\n")
    (root / "sys" / "class" / "block").mkdir(parents=True, exist_ok=True)
    (root / "sys" / "class" / "block" / name).symlink_to(device)
    return device


class TestDisk:
    def test_nvme_partition(self, tmp_path):
        """A partition of an NVMe namespace is on an NVMe disk."""
        block_device(tmp_path, "pci0/nvme/nvme0/nvme0n1", rotational=0)
        block_device(
            tmp_path, "pci0/nvme/nvme0/nvme0n1/nvme0n1p2", partition=2
        )
        block_link(tmp_path, 259, 2, "pci0/nvme/nvme0/nvme0n1/nvme0n1p2")

        assert "nvme" == disk_detect._disk_kind(tmp_path, 259, 2)

    @pytest.mark.parametrize(
        ("rotational", "kind"),
        [("1", "hdd"), ("0", "ssd"), ("2", "unknown"), (None, "unknown")],
    )
    def test_sata_partition_by_rotational_flag(
        self, tmp_path, rotational, kind
    ):
        """Other disks are HDD or SSD by their whole disk's rotational flag."""
        block_device(tmp_path, "pci0/ata1/block/sda", rotational=rotational)
        block_device(tmp_path, "pci0/ata1/block/sda/sda1", partition=1)
        block_link(tmp_path, 8, 1, "pci0/ata1/block/sda/sda1")

        assert kind == disk_detect._disk_kind(tmp_path, 8, 1)

    def test_whole_disk_without_partitions(self, tmp_path):
        """A filesystem on a whole disk takes that disk's kind."""
        block_device(tmp_path, "virtio1/block/vdb", rotational=0)
        block_link(tmp_path, 254, 16, "virtio1/block/vdb")

        assert "ssd" == disk_detect._disk_kind(tmp_path, 254, 16)

    def test_device_mapper_on_nvme(self, tmp_path):
        """LUKS or LVM on an NVMe partition is on an NVMe disk."""
        block_device(tmp_path, "pci0/nvme0n1", rotational=0)
        block_device(tmp_path, "pci0/nvme0n1/nvme0n1p3", partition=3)
        dm = block_device(tmp_path, "virtual/block/dm-0", rotational=0)
        (dm / "slaves").mkdir()
        (dm / "slaves" / "nvme0n1p3").symlink_to(
            tmp_path / "sys/devices/pci0/nvme0n1/nvme0n1p3"
        )
        block_link(tmp_path, 252, 0, "virtual/block/dm-0")

        assert "nvme" == disk_detect._disk_kind(tmp_path, 252, 0)

    def test_device_mapper_on_a_spinning_partition(self, tmp_path):
        """Device mapper over a HDD partition is on a HDD."""
        block_device(tmp_path, "ata/sda", rotational=1)
        block_device(tmp_path, "ata/sda/sda2", partition=2)
        dm = block_device(tmp_path, "virtual/block/dm-1", rotational=0)
        (dm / "slaves").mkdir()
        (dm / "slaves" / "sda2").symlink_to(
            tmp_path / "sys/devices/ata/sda/sda2"
        )
        block_link(tmp_path, 252, 1, "virtual/block/dm-1")

        assert "hdd" == disk_detect._disk_kind(tmp_path, 252, 1)

    def test_no_block_device_is_unknown(self, tmp_path):
        """overlay, tmpfs and network filesystems have no block device."""
        assert "unknown" == disk_detect._disk_kind(tmp_path, 0, 42)

    def test_folder_links_to_its_device(self, tmp_path):
        """The folder's st_dev leads to the sysfs device of its disk."""
        folder = tmp_path / "offload"
        folder.mkdir()
        device = folder.stat().st_dev
        block_device(tmp_path, "pci0/nvme0n1", rotational=0)
        block_link(
            tmp_path, os.major(device), os.minor(device), "pci0/nvme0n1"
        )

        disk = disk_detect.detect_disk(tmp_path, str(folder))

        assert ("nvme", str(folder)) == (disk.kind, disk.path)
        assert None is not disk.free_bytes
        assert 0 < disk.free_bytes

    def test_free_bytes_are_statvfs_available_blocks(self, tmp_path):
        """Free space is what an unprivileged user may still write."""
        stats = os.statvfs(tmp_path)

        free = disk_detect.detect_disk(tmp_path, str(tmp_path)).free_bytes

        assert None is not free
        # Other processes write too; a few MiB either way is the same disk.
        assert abs(stats.f_bavail * stats.f_frsize - free) < 64 * MiB

    def test_folder_not_created_yet_uses_its_parent(self, tmp_path):
        """An offload folder to be created is judged by its existing parent."""
        folder = tmp_path / "not" / "yet"

        disk = disk_detect.detect_disk(tmp_path, str(folder))

        assert str(folder) == disk.path
        assert None is not disk.free_bytes

    def test_unusable_path_is_unknown(self, tmp_path):
        """A path the OS refuses gives an unknown disk, not an exception."""
        assert DiskInfo(path="bad\x00path") == disk_detect.detect_disk(
            tmp_path, "bad\x00path"
        )

    @pytest.mark.usefixtures("no_gpu_tools")
    def test_offload_folder_argument(self, tmp_path):
        """detect_hardware looks at the offload folder it is given."""
        disk = detect_hardware(offload_folder=tmp_path).disk

        assert None is not disk
        assert str(tmp_path) == disk.path

    @pytest.mark.usefixtures("no_gpu_tools")
    def test_default_is_the_working_directory(self, tmp_path, monkeypatch):
        """Without an offload folder the working directory's disk is used."""
        monkeypatch.chdir(tmp_path)

        disk = detect_hardware().disk

        assert None is not disk
        assert str(tmp_path) == disk.path
