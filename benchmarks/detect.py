"""
Time `qwen3vl.detect_hardware` and show what it detected.

Prints the first call's time, then the median and maximum over ``-n`` more
calls, then the profile.  The target is under 100 ms on a host without a
GPU; with one, ``nvidia-smi`` or NVML adds its own start-up time.

Run: ``python benchmarks/detect.py [-n 200] [--offload-folder PATH]``.
"""

# A script, not a package, and its output is the point.
# ruff: noqa: INP001, T201

from __future__ import annotations

import argparse
import statistics
import time

import attrs

from qwen3vl import detect_hardware


def main() -> None:
    """Time detection over several calls and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--runs", type=int, default=200)
    parser.add_argument("--offload-folder", default=None)
    args = parser.parse_args()

    # The first call pays for lazy imports and cold file caches; it is
    # reported apart so the steady-state figures are not skewed by it.
    start = time.perf_counter()
    profile = detect_hardware(offload_folder=args.offload_folder)
    first = time.perf_counter() - start

    times = []
    for _ in range(max(1, args.runs)):
        start = time.perf_counter()
        detect_hardware(offload_folder=args.offload_folder)
        times.append(time.perf_counter() - start)

    print(f"detect_hardware() over {len(times)} runs (after a first call):")
    print(f"  first  {first * 1000:8.2f} ms")
    print(f"  median {statistics.median(times) * 1000:8.2f} ms")
    print(f"  max    {max(times) * 1000:8.2f} ms")
    print("profile:")
    for name, value in attrs.asdict(profile, recurse=False).items():
        print(f"  {name}: {value!r}")


if __name__ == "__main__":
    main()
