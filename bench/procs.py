"""CPU time of process trees, read from /proc (Linux): what the server, worker, database and driver used."""

from __future__ import annotations

import os
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> tuple[str, int, float] | None:
    """(command name, parent pid, user + system CPU seconds) of ``pid``, None once it is gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    # The name is in parentheses and may hold spaces: split after the last ")".
    name = raw[raw.index("(") + 1 : raw.rindex(")")]
    fields = raw[raw.rindex(")") + 2 :].split()
    return name, int(fields[1]), (int(fields[11]) + int(fields[12])) / TICKS


def _all() -> dict[int, tuple[str, int, float]]:
    out = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            found = _stat(int(entry))
            if found:
                out[int(entry)] = found
    return out


def tree_cpu(root: int) -> float:
    """CPU seconds used so far by ``root`` and every live descendant (uvicorn's web processes)."""
    table = _all()
    children: dict[int, list[int]] = {}
    for pid, (_name, ppid, _cpu) in table.items():
        children.setdefault(ppid, []).append(pid)
    total, stack = 0.0, [root]
    while stack:
        pid = stack.pop()
        if pid in table:
            total += table[pid][2]
        stack.extend(children.get(pid, []))
    return total


def named_cpu(prefix: str) -> float:
    """CPU seconds used so far by every process whose name starts with ``prefix`` (PostgreSQL's)."""
    return sum(cpu for name, _ppid, cpu in _all().values() if name.startswith(prefix))


def rss_mb(pid: int, field: str = "VmHWM") -> float:
    """Resident memory of ``pid`` in MB: the most it held (VmHWM) or now (VmRSS); 0 once it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        pass
    return 0.0


def descendants(root: int) -> list[int]:
    """The live processes below ``root`` (uvicorn's web processes under its supervisor)."""
    table = _all()
    children: dict[int, list[int]] = {}
    for pid, (_name, ppid, _cpu) in table.items():
        children.setdefault(ppid, []).append(pid)
    found, stack = [], list(children.get(root, []))
    while stack:
        pid = stack.pop()
        found.append(pid)
        stack.extend(children.get(pid, []))
    return sorted(found)
