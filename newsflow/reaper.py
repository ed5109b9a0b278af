"""Stop what a `newsflow run` started when it dies, even by kill -9: its temporary Prefect server above all.

Prefect starts that server as a child process and stops it at exit, which a SIGKILL skips; the orphan then
lives on (about 190 MB) for good. `reap_children_on_exit()` starts a small watcher process holding the read
end of a pipe whose write end only the run holds. The kernel closes that end when the run dies, however it
dies; the watcher then sees end-of-file and stops every process it saw descend from the run, and every process
still carrying the run's token in its environment (a server started just before the kill, between two scans, is
already re-parented and found only that way): SIGTERM, then SIGKILL, checking each one's start time so a reused
process id is never signalled.
"""

from __future__ import annotations

import os
import secrets
import select
import signal
import subprocess
import sys
import time

_started: list[subprocess.Popen[bytes]] = []
TOKEN_VARIABLE = "NEWSFLOW_REAPER_TOKEN"


def reap_children_on_exit() -> None:
    """Start (once per process) the watcher that stops this process's descendants when it exits or is killed."""
    if _started or not os.path.isdir("/proc"):
        return
    token = f"{os.getpid()}-{secrets.token_hex(8)}"
    os.environ[TOKEN_VARIABLE] = token  # inherited by everything the run starts from now on
    _started.append(subprocess.Popen(
        [sys.executable, "-m", "newsflow.reaper", str(os.getpid()), token],
        stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,  # a Ctrl-C or kill of the run's process group must not stop the watcher first
    ))


def _start_time(pid: int) -> str | None:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return fields[19]  # field 22 of proc(5): start time in clock ticks since boot


def _parent_of(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            return int(fh.read().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return None


def _descendants(root: int) -> dict[int, str]:
    """Return {pid: start time} of every live descendant of root."""
    children: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            parent = _parent_of(int(name))
            if parent is not None:
                children.setdefault(parent, []).append(int(name))
    found: dict[int, str] = {}
    todo = [root]
    while todo:
        for child in children.get(todo.pop(), []):
            start = _start_time(child)
            if start is not None and child not in found:
                found[child] = start
                todo.append(child)
    return found


def _signal_all(seen: dict[int, str], sig: signal.Signals) -> int:
    alive = 0
    for pid, start in seen.items():
        if pid != os.getpid() and _start_time(pid) == start:
            try:
                os.kill(pid, sig)
                alive += 1
            except ProcessLookupError:
                pass
    return alive


def _carrying(token: str) -> dict[int, str]:
    """Return {pid: start time} of every live process whose environment holds the run's token."""
    needle = f"{TOKEN_VARIABLE}={token}".encode()
    found: dict[int, str] = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/environ", "rb") as fh:
                    marked = needle in fh.read().split(b"\0")
            except OSError:
                continue
            start = _start_time(int(name))
            if marked and start is not None:
                found[int(name)] = start
    return found


def watch(parent: int, token: str | None = None, poll_seconds: float = 2.0) -> None:
    """Record the parent's descendants until stdin reaches end-of-file (the parent died), then stop them and every
    process carrying the token (which also finds what started between two scans, so a slow scan is enough)."""
    seen: dict[int, str] = {}
    while True:
        seen.update(_descendants(parent))
        ready, _, _ = select.select([sys.stdin.buffer], [], [], poll_seconds)
        if ready and not os.read(sys.stdin.fileno(), 1024):
            break
    if token:
        seen.update(_carrying(token))
    seen.pop(os.getpid(), None)
    if _signal_all(seen, signal.SIGTERM):
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and any(_start_time(p) == s for p, s in seen.items()):
            time.sleep(0.1)
        _signal_all(seen, signal.SIGKILL)


if __name__ == "__main__":
    watch(int(sys.argv[1]), sys.argv[2] if len(sys.argv) > 2 else None)
