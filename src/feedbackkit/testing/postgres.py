"""A real PostgreSQL for tests: a throwaway cluster on loopback, and pytest fixtures.

:meth:`PostgresServer.start` runs ``initdb`` into a fresh temporary directory and
starts ``postgres`` on a free loopback port, with its Unix socket in that directory
and durability switched off (``fsync``, ``synchronous_commit``, ``full_page_writes``:
the cluster is thrown away); :meth:`~PostgresServer.stop` ends it and removes the
directory. It needs Debian's ``postgresql-15`` (``scripts/system-deps.sh``, run by
``./dev test``, installs it); :func:`postgres_bindir` finds the binaries. ``initdb``
refuses root, so run as root the cluster belongs to the ``postgres`` user; otherwise
to the current user. Logins need no password (``trust``, loopback only).

Loaded as a pytest plugin (``pytest_plugins = ["feedbackkit.testing.postgres"]``),
this module gives the fixtures ``postgres`` (the session's server; a test fails with
the server's log when it cannot start) and ``postgres_url`` (a fresh database at the
newest schema per test, made from a template in milliseconds).
"""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any

import attrs
import pytest

__all__ = ["PostgresServer", "postgres", "postgres_bindir", "postgres_url"]

VERSION = 15
"""The PostgreSQL major version the tests run on."""

SUPERUSER = "postgres"
"""The cluster's superuser (whatever system user runs it)."""

_SETTINGS = {
    "listen_addresses": "127.0.0.1",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "200",
    "shared_buffers": "64MB",
    "log_min_messages": "warning",
}
"""Server settings for a fast throwaway cluster (besides port and socket directory)."""

_TEMPLATE = "feedbackkit_head"
"""The database at the newest schema that per-test databases are copied from."""


def postgres_bindir(version: int = VERSION) -> Path | None:
    """The directory holding ``initdb`` and ``postgres``, or ``None`` if not installed."""
    candidates = [Path(f"/usr/lib/postgresql/{version}/bin")]
    found = shutil.which("initdb")
    if found is not None:
        candidates.append(Path(found).parent)
    return next((d for d in candidates if os.access(d / "initdb", os.X_OK)), None)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _owner() -> dict[str, Any]:
    """``subprocess`` options running a binary as the cluster's owner: ``postgres``
    when we are root (PostgreSQL refuses to run as root), else ourselves."""
    if os.geteuid() != 0:
        return {}
    try:
        account = pwd.getpwnam("postgres")
    except KeyError:
        raise RuntimeError(
            "running as root, PostgreSQL needs the 'postgres' system user "
            "(apt-get install postgresql-15 creates it)"
        ) from None
    return {"user": account.pw_uid, "group": account.pw_gid, "extra_groups": []}


@attrs.define
class PostgresServer:
    """A running throwaway PostgreSQL cluster; a context manager that stops it on exit."""

    root: Path
    port: int
    process: subprocess.Popen[bytes]
    host: str = "127.0.0.1"
    _names: Iterator[int] = attrs.field(factory=itertools.count, repr=False)

    @classmethod
    def start(cls, timeout: float = 60.0) -> PostgresServer:
        """Create and start a cluster; ``RuntimeError`` saying why when it cannot."""
        bindir = postgres_bindir()
        if bindir is None:
            raise RuntimeError(
                f"PostgreSQL {VERSION} is not installed: run scripts/system-deps.sh "
                f"(apt-get install postgresql-{VERSION})"
            )
        owner = _owner()
        # Outside pytest's private tmp: the postgres user must reach it.
        root = Path(tempfile.mkdtemp(prefix="fk-pg-"))
        try:
            if owner:
                os.chown(root, owner["user"], owner["group"])
            return cls._launch(bindir, root, owner, timeout)
        except BaseException:
            shutil.rmtree(root, ignore_errors=True)
            raise

    @classmethod
    def _launch(
        cls, bindir: Path, root: Path, owner: dict[str, Any], timeout: float
    ) -> PostgresServer:
        initdb = subprocess.run(
            [
                str(bindir / "initdb"),
                f"--pgdata={root / 'data'}",
                f"--username={SUPERUSER}",
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C",
                "--no-sync",
            ],
            cwd=root,
            capture_output=True,
            check=False,
            **owner,
        )
        if initdb.returncode != 0:
            output = (initdb.stdout + initdb.stderr).decode("utf-8", "replace")
            raise RuntimeError(f"initdb failed (exit {initdb.returncode}):\n{output}")
        port = _free_port()
        settings = {**_SETTINGS, "port": str(port), "unix_socket_directories": str(root)}
        command = [str(bindir / "postgres"), "-D", str(root / "data")]
        command += [f"-c{name}={value}" for name, value in settings.items()]
        with (root / "server.log").open("wb") as log:
            process = subprocess.Popen(
                command, cwd=root, stdin=subprocess.DEVNULL, stdout=log, stderr=log, **owner
            )
        server = cls(root, port, process)
        server._wait(timeout)
        return server

    def _wait(self, timeout: float) -> None:
        """Wait until the postmaster reports ``ready`` in its pid file (as ``pg_ctl`` does)."""
        pidfile = self.root / "data" / "postmaster.pid"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.process.poll() is None:
            lines = pidfile.read_text("utf-8").splitlines() if pidfile.exists() else []
            if len(lines) >= 8 and lines[7].strip() == "ready":
                return
            time.sleep(0.05)
        log = self.log()
        self.stop()
        raise RuntimeError(f"PostgreSQL did not start on port {self.port}:\n{log}")

    def log(self) -> str:
        """What the server logged."""
        path = self.root / "server.log"
        return path.read_text("utf-8", "replace") if path.exists() else ""

    def stop(self) -> None:
        """Stop the server (fast shutdown: sessions are ended) and remove its directory."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> PostgresServer:
        return self

    def __exit__(
        self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # -- databases ------------------------------------------------------------------------

    def url(self, database: str = "postgres") -> str:
        """The SQLAlchemy URL of ``database`` (psycopg driver, TCP on loopback)."""
        return f"postgresql+psycopg://{SUPERUSER}@{self.host}:{self.port}/{database}"

    def execute(self, sql: str, database: str = "postgres") -> None:
        """Run ``sql`` outside a transaction (``CREATE DATABASE`` must)."""
        import psycopg

        with psycopg.connect(
            host=self.host, port=self.port, user=SUPERUSER, dbname=database, autocommit=True
        ) as conn:
            conn.execute(sql.encode())

    def create_database(self, template: str | None = None) -> str:
        """Create a new database (a copy of ``template`` if given); its name."""
        name = f"test_{next(self._names)}"
        # FILE_COPY: with fsync off, copying the files beats WAL-logging them.
        clause = f' TEMPLATE "{template}" STRATEGY FILE_COPY' if template else ""
        self.execute(f'CREATE DATABASE "{name}"{clause}')
        return name

    def drop_database(self, name: str) -> None:
        """Drop ``name``, ending the sessions still connected to it."""
        self.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    @contextmanager
    def database(self, template: str | None = None) -> Iterator[str]:
        """A fresh database for the ``with`` block, dropped after it; yields its URL."""
        name = self.create_database(template)
        try:
            yield self.url(name)
        finally:
            self.drop_database(name)


# -- pytest fixtures (this module is a pytest plugin) ------------------------------------


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """The session's PostgreSQL server; tests using it fail when it cannot start."""
    try:
        server = PostgresServer.start()
    except RuntimeError as exc:
        pytest.fail(f"cannot start the test PostgreSQL server: {exc}", pytrace=False)
    with server:
        yield server


@pytest.fixture(scope="session")
def _postgres_head(postgres: PostgresServer) -> str:
    """A database migrated to the newest schema, the template of ``postgres_url``."""
    from feedbackkit import migrations

    postgres.execute(f'CREATE DATABASE "{_TEMPLATE}"')
    migrations.upgrade(postgres.url(_TEMPLATE))
    return _TEMPLATE


@pytest.fixture
def postgres_url(postgres: PostgresServer, _postgres_head: str) -> Iterator[str]:
    """The URL of a fresh database at the newest schema, dropped after the test."""
    with postgres.database(template=_postgres_head) as url:
        yield url
