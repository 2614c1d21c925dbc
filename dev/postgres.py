"""The PostgreSQL a command runs against: the server the PG* variables name, or a private
throwaway cluster started from the machine's PostgreSQL programs and removed afterwards."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from common import HarnessError
from common import first_line
from common import free_port
from common import say

PG_VARS = ("PGHOST", "PGPORT", "PGUSER", "PGPASSWORD")


class Postgres:
    """A PostgreSQL server: host, port and role, with the client environment to reach it."""

    def __init__(self, host: str, port: str, user: str, password: str | None, description: str):
        self.host, self.port, self.user, self.password = host, port, user, password
        self.description = description

    def env(self) -> dict[str, str]:
        env = dict(os.environ, PGHOST=self.host, PGPORT=self.port, PGUSER=self.user)
        if self.password:
            env["PGPASSWORD"] = self.password
        return env

    def odoo_args(self) -> list[str]:
        args = [f"--db_host={self.host}", f"--db_port={self.port}", f"--db_user={self.user}"]
        if self.password:
            args.append(f"--db_password={self.password}")
        return args

    def psql(self, sql: str, db: str = "postgres") -> str:
        result = subprocess.run(
            [pg_binary("psql"), "-X", "-w", "-q", "-t", "-A", "-d", db, "-c", sql],
            capture_output=True,
            text=True,
            env=self.env(),
            timeout=60,
            check=False,
        )
        if result.returncode != 0:
            raise HarnessError(
                f"PostgreSQL ({self.description}) refused `{sql}`: {first_line(result.stderr)}"
            )
        return result.stdout.strip()

    def create_database(self, db: str) -> None:
        self.drop_database(db)
        self.psql(f"CREATE DATABASE \"{db}\" ENCODING 'UTF8' TEMPLATE template0")

    def drop_database(self, db: str) -> None:
        self.psql(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')


def pg_bindir() -> Path | None:
    candidates = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    if candidates:
        return candidates[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def pg_binary(name: str) -> str:
    bindir = pg_bindir()
    if bindir and (bindir / name).exists():
        return str(bindir / name)
    found = shutil.which(name)
    if not found:
        raise HarnessError(
            f"The PostgreSQL program `{name}` is not installed; install PostgreSQL "
            "(Debian: `apt-get install postgresql`) or set PGHOST/PGPORT/PGUSER to a server."
        )
    return found


@contextlib.contextmanager
def postgres():
    """Yield the PostgreSQL to use: the one named by PG* variables, or a private throwaway one."""
    if any(os.environ.get(var) for var in PG_VARS):
        yield external_postgres()
        return
    with private_cluster() as pg:
        yield pg


def external_postgres() -> Postgres:
    host = os.environ.get("PGHOST", "localhost")
    port = os.environ.get("PGPORT", "5432")
    user = os.environ.get("PGUSER") or os.environ.get("USER", "")
    desc = f"{user}@{host}:{port} from the PG* variables"
    if user == "postgres":
        raise HarnessError(
            "Odoo refuses to connect as the `postgres` superuser: set PGUSER to another role "
            "that may create databases."
        )
    pg = Postgres(host, port, user, os.environ.get("PGPASSWORD"), desc)
    try:
        pg.psql("SELECT 1")
    except (HarnessError, subprocess.TimeoutExpired) as exc:
        raise HarnessError(
            f"PostgreSQL {desc} is not reachable ({exc}); fix PGHOST/PGPORT/PGUSER/PGPASSWORD, or "
            "unset them all to use a private throwaway cluster."
        ) from None
    return pg


@contextlib.contextmanager
def private_cluster():
    bindir = pg_bindir()
    if not bindir:
        raise HarnessError(
            "No PostgreSQL server programs (initdb) were found: install PostgreSQL "
            "(Debian: `apt-get install postgresql`) or set PGHOST/PGPORT/PGUSER to a server."
        )
    base = Path(tempfile.mkdtemp(prefix="mlc-pg-"))
    data, sockets = base / "data", base / "sockets"
    sockets.mkdir()
    as_user: list[str] = []
    if os.geteuid() == 0:  # PostgreSQL will not run as root: use its own system account.
        if not shutil.which("runuser"):
            raise HarnessError("Running as root needs `runuser` to start PostgreSQL as `postgres`.")
        as_user = ["runuser", "-u", "postgres", "--"]
        shutil.chown(base, "postgres")
        shutil.chown(sockets, "postgres")
    port = free_port()
    pg = Postgres(str(sockets), str(port), "odoo", None, f"private cluster on port {port}")
    say(f"    PostgreSQL: private throwaway cluster in {base} (port {port})")
    try:
        run_quiet(
            [
                *as_user,
                str(bindir / "initdb"),
                "-D",
                str(data),
                "-U",
                "odoo",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--no-locale",
            ],
            "initdb",
        )
        options = (
            f"-c listen_addresses=127.0.0.1 -p {port} -k {sockets} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        run_quiet(
            [
                *as_user,
                str(bindir / "pg_ctl"),
                "-D",
                str(data),
                "-w",
                "-t",
                "60",
                "-l",
                str(base / "server.log"),
                "-o",
                options,
                "start",
            ],
            "starting PostgreSQL",
        )
        yield pg
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run(
                [
                    *as_user,
                    str(bindir / "pg_ctl"),
                    "-D",
                    str(data),
                    "-m",
                    "immediate",
                    "-w",
                    "stop",
                ],
                capture_output=True,
                check=False,
            )
        shutil.rmtree(base, ignore_errors=True)


def run_quiet(cmd: list[str], what: str) -> None:
    result = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise HarnessError(f"{what} failed: {first_line(result.stderr or result.stdout)}")
