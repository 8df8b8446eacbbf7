"""The processes behind :mod:`monitor.watch.readers`: the fork server its workers are forks of,
started early by ``policy-monitor check`` (:func:`forkserver_early`) and stopped when the cycle ends,
and the watch that ends a worker with the checking process. This module imports the standard library
only, so that the command can start the server before it imports anything else (httpx, pydantic):
the server's own start, imports and first comparison (~0.2 s) then run beside those.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Iterator

PRELOAD = ["monitor.watch.warm"]  # imported once by the fork server, before it forks a worker
MIN_PAGES = 24  # fewer new pages than this are read in this process: a worker costs ~0.15 s to start

_early = False  # whether this process's fork server was started by forkserver_early (and still runs)
_stopping: list[threading.Thread] = []  # stop_forkserver_soon's threads, joined by forkserver_early


@contextlib.contextmanager
def forkserver_early(db_file: str | None) -> Iterator[bool]:
    """Start the fork server of the readers now, in the background, when a cycle over the SQLite
    store ``db_file`` may compare edited pages in workers: the file holds versions of at least
    :data:`MIN_PAGES` operators (fewer are compared in the checking process), there are two cores
    or more, and workers can be forks of a fork server (:func:`start_method`). Yields whether it
    started; on leaving, stops it, without waiting for its imports when no worker used it, or waits
    until the stop that a :class:`~monitor.watch.readers.Readers` which used it began has ended
    (:func:`stop_forkserver_soon`)."""
    started = db_file is not None and cores() >= 2 and _operators_held(db_file) >= MIN_PAGES
    started = started and start_method() == "forkserver"
    global _early
    if started:
        import multiprocessing
        from multiprocessing import forkserver

        multiprocessing.get_context("forkserver").set_forkserver_preload(PRELOAD)
        forkserver.ensure_running()  # spawns the server; it imports PRELOAD while this process goes on
        _early = True
    try:
        yield started
    finally:
        if started:
            _early = False
            if _stopping:
                for thread in _stopping:
                    thread.join()
                _stopping.clear()
            else:
                stop_forkserver(kill=True)


def stop_forkserver_soon() -> None:
    """:func:`stop_forkserver`, in a thread when the server was started by :func:`forkserver_early`
    (which waits for that thread on leaving): the server's own exit (~25 ms) then overlaps what the
    command does after the cycle (printing, delivering the alerts). Otherwise at once."""
    if not _early:
        stop_forkserver()
        return
    thread = threading.Thread(target=stop_forkserver, name="stop-forkserver")
    thread.start()
    _stopping.append(thread)


def _operators_held(db_file: str) -> int:
    """How many operators have a version in the SQLite file ``db_file``, counted up to
    :data:`MIN_PAGES` (read only; 0 when there is no such file or it cannot be read)."""
    import sqlite3

    if not os.path.isfile(db_file):
        return 0
    query = "SELECT COUNT(*) FROM (SELECT 1 FROM versions GROUP BY operator_id LIMIT ?)"
    try:
        conn = sqlite3.connect(f"file:{db_file}?mode=ro", uri=True, timeout=1)
        try:
            return int(conn.execute(query, (MIN_PAGES,)).fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def end_with_parent(parent: int, every: float = 0.2) -> None:
    """In a worker: end this process when the checking process ``parent`` ends. A worker waits for
    work on a pipe whose writing end it holds too, so that a checking process killed (SIGKILL, the
    OOM killer) would otherwise leave its workers waiting for ever, holding its standard output
    open. A fork of the fork server watches ``parent`` through a pidfd, which is readable once the
    process has ended, reaped or not; a spawned worker (no fork server) watches its own parent."""
    import select

    def watch() -> None:
        if os.getppid() == parent:
            while os.getppid() == parent:
                time.sleep(every)
        else:
            with contextlib.suppress(OSError):
                select.select([os.pidfd_open(parent)], [], [])
        os._exit(1)

    threading.Thread(target=watch, name="end-with-parent", daemon=True).start()


def start_method() -> str:
    """``forkserver`` where a worker can watch the checking process through a pidfd (Linux 5.3 and
    later), else ``spawn``."""
    import multiprocessing

    try:
        os.close(os.pidfd_open(os.getpid()))
    except (AttributeError, OSError):
        return "spawn"
    return "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"


def stop_forkserver(kill: bool = False) -> None:
    """Stop the fork server this process started and wait for it: nothing outlives the cycle, and
    its CPU time and its workers' are counted in this process's children (``os.wait4``, ``time``),
    as those of spawned workers were. ``kill``: end it at once (SIGKILL) rather than when it has
    finished its imports, for a server no worker used (it holds nothing else)."""
    from multiprocessing import forkserver

    server = getattr(forkserver, "_forkserver", None)
    stop = getattr(server, "_stop", None)  # private, but the only way to wait for it (3.11 - 3.13)
    pid = getattr(server, "_forkserver_pid", None)
    if kill and isinstance(pid, int):
        import signal

        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    if stop is not None:
        stop()
