"""Engines and sessions from a database URL, and the check that a database follows the contract.

SQLite gets foreign keys on, WAL and a busy timeout. A read-only engine (reports, user SQL)
opens SQLite with ``mode=ro`` and PostgreSQL with read-only transactions and a statement
timeout, so that even a query that slipped past the guard cannot change anything.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session, sessionmaker


class DatabaseError(Exception):
    """A database problem explained in words a user can act on."""


def normalize_url(url: str) -> str:
    """Accept a bare SQLite path (``demo.db``) and plain ``postgresql://`` URLs (use psycopg 3)."""
    if "://" not in url:
        url = f"sqlite:///{url}"
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _sqlite_path(url: str) -> str | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    return parsed.database or ":memory:"


def get_engine(url: str, *, read_only: bool = False, statement_timeout_s: float | None = None) -> Engine:
    """An engine for ``url``; ``read_only`` opens a connection that cannot write."""
    url = normalize_url(url)
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DatabaseError(f"'{url}' is not a database URL (try sqlite:///path.db).") from exc
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return _sqlite_engine(url, read_only)
    connect_args: dict = {}
    if backend == "postgresql":
        options = []
        if read_only:
            options.append("-c default_transaction_read_only=on")
        if statement_timeout_s:
            options.append(f"-c statement_timeout={int(statement_timeout_s * 1000)}")
        if options:
            # keep options given in the URL (e.g. a search_path) and add ours
            url_options = parsed.query.get("options")
            if url_options:
                options.insert(0, url_options if isinstance(url_options, str) else " ".join(url_options))
                parsed = parsed.difference_update_query(["options"])
                url = parsed.render_as_string(hide_password=False)
            connect_args["options"] = " ".join(options)
        connect_args["connect_timeout"] = 5
    try:
        return create_engine(url, connect_args=connect_args, pool_pre_ping=True)
    except NoSuchModuleError as exc:
        raise DatabaseError(f"No driver for '{backend}' databases is installed.") from exc


@lru_cache(maxsize=32)
def shared_engine(url: str, *, read_only: bool = False, statement_timeout_s: float | None = None) -> Engine:
    """One engine (and its connection pool) per database and mode for the life of the process.

    Conversations ask many questions of the same database; an engine is meant to be made once,
    not per message (which costs half of a quick answer and leaves pooled connections behind).
    """
    return get_engine(url, read_only=read_only, statement_timeout_s=statement_timeout_s)


def _sqlite_engine(url: str, read_only: bool) -> Engine:
    path = _sqlite_path(url)
    if read_only and path != ":memory:":
        if not Path(path).exists():
            raise DatabaseError(f"The database file {path} does not exist. Run `crmbot demo` to make one.")
        ro_url = f"sqlite:///file:{Path(path).resolve()}?mode=ro&uri=true"
        engine = create_engine(ro_url)
    else:
        engine = create_engine(url, connect_args={"timeout": 30})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):  # pragma: no cover - exercised by every test
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        if not read_only and path != ":memory:":
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session that commits on success and rolls back on any error."""
    session = make_session_factory(engine)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


@dataclass(frozen=True)
class ContractReport:
    missing_tables: tuple[str, ...]
    missing_columns: tuple[tuple[str, str], ...]
    missing_project_tables: tuple[str, ...]

    @property
    def follows_contract(self) -> bool:
        return not self.missing_tables and not self.missing_columns

    def problem(self) -> str | None:
        if self.missing_tables:
            return "This database does not follow the CRM data contract: missing table(s) " + ", ".join(
                self.missing_tables
            )
        if self.missing_columns:
            cols = ", ".join(f"{t}.{c}" for t, c in self.missing_columns)
            return f"This database does not follow the CRM data contract: missing column(s) {cols}"
        return None


def check_contract(engine: Engine, expected: Mapping[str, Collection[str]] | None = None) -> ContractReport:
    """Which contract tables/columns (and project tables) the database lacks.

    ``expected`` names the tables and columns as this database calls them (a team's semantic
    overlay may map the contract's names to its own); the contract's names by default.
    """
    from db.models import CONTRACT_COLUMNS, PROJECT_TABLES

    expected = CONTRACT_COLUMNS if expected is None else expected
    try:
        insp = inspect(engine)
        tables = set(insp.get_table_names())
    except OperationalError as exc:
        raise DatabaseError(f"Cannot reach the database: {exc.orig}") from exc
    missing_tables = tuple(t for t in expected if t not in tables)
    missing_columns = []
    for table, columns in expected.items():
        if table in tables:
            have = {c["name"] for c in insp.get_columns(table)}
            missing_columns.extend((table, c) for c in columns if c not in have)
    missing_project = tuple(t for t in PROJECT_TABLES if t not in tables)
    return ContractReport(missing_tables, tuple(missing_columns), missing_project)


def connect_checked(
    url: str,
    *,
    read_only: bool = False,
    need_project_tables: bool = False,
    expected: Mapping[str, Collection[str]] | None = None,
) -> Engine:
    """An engine on a reachable database that follows the contract (under the names ``expected``,
    by default the contract's own), or a DatabaseError saying why."""
    path = _sqlite_path(normalize_url(url))
    if path and path != ":memory:" and not Path(path).exists():
        raise DatabaseError(
            f"The database file {path} does not exist. Run `crmbot demo --db {url}` to make a demo database."
        )
    engine = get_engine(url, read_only=read_only)
    try:
        with engine.connect():
            pass
    except OperationalError as exc:
        from db.errors import describe

        failure = describe(exc, sqlite_path=path)
        if failure.kind in ("disk_full", "read_only", "locked", "corrupt"):  # reachable, but not usable
            raise DatabaseError(
                f"The database at {make_url(normalize_url(url))!r} cannot be used: {failure.text}."
            ) from exc
        raise DatabaseError(
            f"Cannot reach the database at {make_url(normalize_url(url))!r}: {exc.orig}"
        ) from exc
    report = check_contract(engine, expected)
    if not report.follows_contract:
        raise DatabaseError(report.problem())
    if need_project_tables and report.missing_project_tables:
        raise DatabaseError(
            "This database lacks crmbot's own tables ("
            + ", ".join(report.missing_project_tables[:3])
            + "...). "
            "Run `crmbot db upgrade` first."
        )
    return engine
