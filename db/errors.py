"""What went wrong with the database or the disk, in one line a person can act on.

A job that fails on a full disk, a read-only file, a lost connection or a locked database
should say which, not "Cannot reach the database" or a hundred lines of traceback. SQLite
errors are told apart by their error name (Python 3.11's ``sqlite_errorname``), PostgreSQL's
by SQLSTATE, file errors by errno.
"""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass
from pathlib import Path

LOW_DISK_BYTES = 1 << 20  # less free space than this where SQLite writes: the disk is full


@dataclass(frozen=True)
class Failure:
    kind: str  # disk_full, read_only, database_lost, locked, unreachable, corrupt, permission, error
    text: str  # one line, no newline


_SQLITE = {
    "SQLITE_FULL": ("disk_full", "the disk is full (SQLite could not grow the database or its journal)"),
    "SQLITE_READONLY_DBMOVED": (
        "database_lost",
        "the database file was moved or deleted while the job ran",
    ),
    "SQLITE_READONLY": ("read_only", "the database is read-only (the file, or the disk it is on)"),
    "SQLITE_CANTOPEN": ("unreachable", "the database file cannot be opened (missing, or no access to it)"),
    "SQLITE_BUSY": ("locked", "the database is locked by another program"),
    "SQLITE_LOCKED": ("locked", "the database is locked by another program"),
    "SQLITE_CORRUPT": ("corrupt", "the database file is damaged"),
    "SQLITE_NOTADB": ("corrupt", "the file is not a SQLite database"),
    "SQLITE_IOERR": ("io_error", "the disk could not be read or written (an I/O error)"),
    "SQLITE_PERM": ("permission", "the database may not be written here (no permission)"),
}

_PG_SQLSTATE = {
    "53100": ("disk_full", "the database server's disk is full"),
    "53200": ("out_of_memory", "the database server ran out of memory"),
    "25006": ("read_only", "the database is read-only (a read-only transaction, or a standby server)"),
    "57P01": (
        "database_lost",
        "the database server ended the connection (it is shutting down or was told to)",
    ),
    "57P02": ("database_lost", "the database server crashed"),
    "57P03": ("database_lost", "the database server is starting up or shutting down"),
    "42501": ("permission", "the database user may not do this (no privilege)"),
    "28000": ("unreachable", "the database refused the login"),
    "28P01": ("unreachable", "the database refused the password"),
    "3D000": ("unreachable", "the database does not exist"),
}

_LOST_WORDS = (
    "server closed the connection",
    "connection is closed",
    "connection already closed",
    "consuming input failed",
    "terminating connection",
    "could not receive data",
    "ssl connection has been closed",
    "connection refused",
    "connection timed out",
    "no connection to the server",
)

_ERRNO = {
    errno.ENOSPC: ("disk_full", "the disk is full"),
    errno.EDQUOT: ("disk_full", "the disk quota is used up"),
    errno.EROFS: ("read_only", "the file system is read-only"),
    errno.EACCES: ("permission", "no permission to write there"),
    errno.EPERM: ("permission", "no permission to write there"),
}


def describe(exc: BaseException, sqlite_path: str | None = None) -> Failure:
    """The failure behind ``exc`` (a SQLAlchemy error, a driver error or an OSError), in words.

    With the SQLite file's path, a file that cannot be opened or written is checked for being
    read-only (it, or its folder: SQLite writes its journal beside it).
    """
    failure = _describe(exc)
    if sqlite_path and failure.kind in ("io_error", "unreachable"):
        free = _free_bytes(Path(sqlite_path).parent)
        if free is not None and free < LOW_DISK_BYTES:  # SQLite says "I/O error" when it cannot map its -shm
            return Failure(
                "disk_full",
                f"the disk is full ({free // 1024:,} KB free beside {sqlite_path}): {_driver_line(exc)}",
            )
    if sqlite_path and failure.kind in ("unreachable", "read_only", "io_error"):
        read_only = _read_only_place(Path(sqlite_path))
        if read_only:
            return Failure(
                "read_only", f"{read_only} is read-only, and SQLite must write there: {_driver_line(exc)}"
            )
    return failure


def _free_bytes(folder: Path) -> int | None:
    try:
        stats = os.statvfs(folder)
    except (OSError, AttributeError):  # no such folder, or no statvfs on this system
        return None
    return stats.f_bavail * stats.f_frsize


def _read_only_place(path: Path) -> str | None:
    """The database file or its folder, whichever may not be written; None when both may."""
    if path.exists() and not os.access(path, os.W_OK):
        return f"the database file {path}"
    if path.parent.exists() and not os.access(path.parent, os.W_OK):
        return f"the folder {path.parent} of the database"
    return None


def _describe(exc: BaseException) -> Failure:
    for cause in _causes(exc):
        name = getattr(cause, "sqlite_errorname", None)
        if name:
            for candidate in (name, "_".join(name.split("_")[:2])):  # SQLITE_IOERR_WRITE -> SQLITE_IOERR
                if candidate in _SQLITE:
                    kind, text = _SQLITE[candidate]
                    return Failure(kind, f"{text}: {_first_line(cause)}")
        sqlstate = getattr(cause, "sqlstate", None)
        if sqlstate in _PG_SQLSTATE:
            kind, text = _PG_SQLSTATE[sqlstate]
            return Failure(kind, f"{text}: {_first_line(cause)}")
        if sqlstate and sqlstate.startswith("08"):
            return Failure("database_lost", f"the connection to the database was lost: {_first_line(cause)}")
        if isinstance(cause, OSError) and cause.errno in _ERRNO:
            kind, text = _ERRNO[cause.errno]
            where = f" ({cause.filename})" if getattr(cause, "filename", None) else ""
            return Failure(kind, f"{text}{where}")
    message = _first_line(exc)
    lowered = " ".join(_first_line(c).lower() for c in _causes(exc))
    if any(words in lowered for words in _LOST_WORDS):
        return Failure("database_lost", f"the connection to the database was lost: {message}")
    if "disk is full" in lowered or "no space left" in lowered:
        return Failure("disk_full", f"the disk is full: {message}")
    if "readonly" in lowered.replace(" ", "") or "read-only" in lowered:
        return Failure("read_only", f"the database is read-only: {message}")
    return Failure("error", message)


def _driver_line(exc: BaseException) -> str:
    """The database driver's own words, when there is a driver error behind ``exc``."""
    for cause in _causes(exc):
        if getattr(cause, "sqlite_errorname", None) or getattr(cause, "sqlstate", None):
            return _first_line(cause)
    return _first_line(exc)


def _causes(exc: BaseException):
    """The exception, the driver's error it wraps (``orig``), and their causes, once each."""
    seen: set[int] = set()
    todo = [exc]
    while todo:
        current = todo.pop(0)
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        todo += [getattr(current, "orig", None), current.__cause__, current.__context__]


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    line = text[0].strip() if text else type(exc).__name__
    return line[:300]
