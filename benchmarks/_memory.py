"""Peak resident memory of the current process since a point in time (Linux), for the benchmarks."""

from __future__ import annotations

import resource


def status_mb(field: str) -> float:
    """A memory field of /proc/self/status (VmRSS, VmHWM) in MB; the peak from getrusage where /proc lacks it."""
    try:
        with open("/proc/self/status") as handle:
            for line in handle:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def start_measuring() -> float:
    """Reset the peak resident set (Linux: clear_refs 5) and return the current one, in MB."""
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")
    except OSError:
        pass
    return status_mb("VmRSS")


def peak_since_start(base: float) -> float:
    """Peak resident set since `start_measuring()` returned `base`, in MB."""
    return status_mb("VmHWM") - base
