"""Keeping a process's memory in check."""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import logging

from sqlalchemy.orm import configure_mappers

log = logging.getLogger("gazouillis")
M_ARENA_MAX = -8  # glibc's mallopt parameter number


def limit_malloc_arenas(arenas: int = 2) -> None:
    """Ask glibc for at most ``arenas`` malloc arenas (it makes up to 8 per core, one per busy thread).

    A web process runs requests on several threads: with an arena each, freed memory stays scattered over
    them and the resident size grows by tens of megabytes for no speed gain (measured with bench/run.py:
    170 → 155 MB for one process after a home timeline run). A no-op where glibc is not the C library.
    """
    name = ctypes.util.find_library("c")
    if not name:
        return
    try:
        libc = ctypes.CDLL(name)
        if hasattr(libc, "mallopt"):
            libc.mallopt(M_ARENA_MAX, arenas)
    except OSError:
        log.debug("could not limit malloc arenas", exc_info=True)


def freeze_startup_objects() -> None:
    """Leave what start-up built (modules, functions, classes, the ORM's mappers) out of the cyclic
    garbage collector's full collections, which otherwise walk all of it every few thousand requests.

    A web process holds ~150,000 objects the collector tracks, two thirds of them from its imports: each
    full collection took 64–128 ms, a pause of every request in flight, every ~1,300 home timelines;
    frozen, 7–20 ms (bench/gcpause.py). Frozen objects are still freed by reference counting; only
    reference cycles among them would never be. Called once by each server process after start-up
    (not by create_app, which tests call many times in one process).
    """
    configure_mappers()  # otherwise done on the first query, after the freeze
    gc.collect()
    gc.freeze()
