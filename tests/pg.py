"""A throwaway PostgreSQL server for the tests, started from the system's binaries.

initdb into a temporary directory, pg_ctl start on a free 127.0.0.1 port, trust
authentication, and everything removed at the end. initdb refuses to run as root, so under
root (as CI runs) the server binaries run as the ``postgres`` user, in a directory it owns.
Durability is switched off: the data is thrown away anyway and the tests run faster.

Use the ``pg_server`` fixture (session-scoped: one server for the whole run) and
``server.new_database()`` for a database of one's own per test.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

SKIP_HINT = "install the postgresql package (.ci/run does: apt-get install postgresql)"


def find_bindir() -> Path | None:
    """The directory with initdb and pg_ctl: pg_config --bindir, /usr/lib/postgresql/*/bin, PATH."""
    candidates = []
    try:
        out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, timeout=10)
        candidates.append(out.stdout.strip())
    except (OSError, subprocess.TimeoutExpired):
        pass
    # Debian's pg_config (libpq-dev) may name a directory without the server; newest version first.
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version, reverse=True)
    if shutil.which("initdb"):
        candidates.append(str(Path(shutil.which("initdb")).resolve().parent))
    for directory in filter(None, candidates):
        if all((Path(directory) / tool).is_file() for tool in ("initdb", "pg_ctl", "postgres")):
            return Path(directory)
    return None


def _version(path: str) -> float:
    try:
        return float(Path(path).parent.name)
    except ValueError:
        return 0.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_account():
    """The account to run the server as when we are root (initdb refuses root), else None."""
    if os.geteuid() != 0:
        return None
    import pwd

    if shutil.which("runuser") is None:
        raise RuntimeError("running as root without runuser to start PostgreSQL as the postgres user")
    try:
        return pwd.getpwnam("postgres")
    except KeyError:
        raise RuntimeError("running as root and there is no 'postgres' user to run initdb as") from None


class PgServer:
    def __init__(self, bindir: Path):
        account = server_account()  # checked before anything is created
        self.bindir = bindir
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="gjz-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self._as_user: list[str] = []
        if account is not None:
            os.chown(self.root, account.pw_uid, account.pw_gid)
            self._as_user = ["runuser", "-u", account.pw_name, "--"]

    def _server_tool(self, *args: str) -> None:
        """Run initdb/pg_ctl (as postgres under root); raise with their output on failure."""
        command = [*self._as_user, str(self.bindir / args[0]), *args[1:]]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=self.root)
        if done.returncode != 0:
            log = self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""
            raise RuntimeError(f"{args[0]} failed ({done.returncode}): {done.stdout}{done.stderr}{log}")

    def start(self) -> PgServer:
        """initdb and start; on any failure the half-made server is stopped and removed, then it raises."""
        try:
            self._init_and_start()
        except BaseException:
            self.stop()
            raise
        return self

    def _init_and_start(self) -> None:
        self._server_tool(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync",
        )
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.root} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=300"
        )
        self._server_tool("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "-t", "60", "start")

    def stop(self) -> None:
        try:
            if (self.data / "postmaster.pid").exists():
                self._server_tool("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def _client(self, tool: str, *args: str) -> None:
        # Client tools connect over TCP with trust auth: no need to switch user.
        subprocess.run(
            [str(self.bindir / tool), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", *args],
            check=True,
            capture_output=True,
            timeout=60,
        )

    def new_database(self) -> str:
        """A fresh empty database; returns its URL."""
        name = "t_" + uuid.uuid4().hex[:16]
        self._client("createdb", name)
        return self.url(name)

    def drop_database(self, url: str) -> None:
        self._client("dropdb", "--force", "--if-exists", url.rsplit("/", 1)[1])


@contextmanager
def benchmark_server(skipped: str) -> Iterator[PgServer | None]:
    """For a benchmark: a started server, stopped at the end; or None without the binaries,
    after a line on stderr saying which rows are ``skipped`` (the benchmark runs on without them)."""
    bindir = find_bindir()
    if bindir is None:
        print(f"no PostgreSQL binaries: {skipped} skipped", file=sys.stderr)
        yield None
        return
    server = PgServer(bindir).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def pg_server():
    """One PostgreSQL server for the whole test run, or a skip saying what is missing."""
    bindir = find_bindir()
    if bindir is None:
        pytest.skip(f"PostgreSQL server binaries (initdb, pg_ctl) not found; {SKIP_HINT}")
    try:
        server = PgServer(bindir)
    except RuntimeError as exc:  # root without a postgres account: nothing we can start
        pytest.skip(str(exc))
    yield server.start()
    server.stop()


@pytest.fixture
def pg_url(pg_server):
    """The URL of a database of this test's own, dropped afterwards."""
    url = pg_server.new_database()
    yield url
    pg_server.drop_database(url)
