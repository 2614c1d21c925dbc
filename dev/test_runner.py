"""``make test``, ``make test-odoo`` and ``make bench``: the no-database tests, the linters, the
packaging check, the install/upgrade check and the Odoo tests in a fresh database (pytest-odoo),
and the benchmarks."""

from __future__ import annotations

import contextlib
import os
import shlex
import subprocess
import tempfile
import time
from pathlib import Path

from common import ADDON
from common import MODULES
from common import PY
from common import ROOT
from common import RUN_DIR
from common import HarnessError
from common import first_line
from common import free_port
from common import say
from common import section
from odoo_env import ODOO_HINT
from odoo_env import addons_path
from odoo_env import installed_database
from odoo_env import odoo_command
from odoo_env import odoo_python
from odoo_env import odoo_version
from odoo_env import run_odoo_logged
from postgres import Postgres
from postgres import postgres
from pot import check_pot


class Steps:
    """Run named steps, keep going after a failure, and print a summary at the end."""

    def __init__(self):
        self.results: list[tuple[str, bool, float]] = []

    def run(self, name: str, cmd: list[str], env: dict | None = None) -> bool:
        section(name)
        say("    $ " + " ".join(cmd))
        started = time.monotonic()
        ok = subprocess.run(cmd, cwd=ROOT, env=env, check=False).returncode == 0
        self.results.append((name, ok, time.monotonic() - started))
        return ok

    def record(self, name: str, ok: bool, started: float) -> None:
        self.results.append((name, ok, time.monotonic() - started))

    @property
    def ok(self) -> bool:
        return all(ok for _name, ok, _s in self.results)

    def summary(self, partial: bool = False) -> None:
        section("Summary")
        for name, ok, seconds in self.results:
            say(f"    {'PASS' if ok else 'FAIL'}  {name}  ({seconds:.0f}s)")
        if partial:
            say("\n    PARTIAL RUN: Odoo is not importable, so the Odoo tests did NOT run.")
            say(f"    {ODOO_HINT}")


def install_dev_dependencies() -> None:
    section("Python dev dependencies (requirements-dev.txt)")
    result = subprocess.run(
        [
            PY,
            "-m",
            "pip",
            "install",
            "--disable-pip-version-check",
            "-q",
            "-r",
            str(ROOT / "requirements-dev.txt"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        errors = [line for line in result.stderr.splitlines() if "ERROR" in line]
        raise HarnessError(
            "Installing the dev dependencies failed: "
            + (errors[0] if errors else first_line(result.stderr))
        )
    say("    up to date")


def no_skips_env(base: dict | None = None) -> dict[str, str]:
    """The environment in which ``-p pytest_no_skips`` (dev/pytest_no_skips.py) is importable."""
    env = dict(base or os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "dev"), env.get("PYTHONPATH")]))
    return env


def nodb_test_command(extra: list[str], no_skips: bool = False) -> list[str]:
    return [
        PY,
        "-m",
        "pytest",
        "-p",
        "no:odoo",
        "-p",
        "no:cacheprovider",
        *(["-p", "pytest_no_skips"] if no_skips else []),
        "--import-mode=importlib",
        "-q",
        *(extra or ["tests"]),
    ]


def lint(steps: Steps) -> None:
    steps.run("Lint: ruff", [PY, "-m", "ruff", "check", "."])
    steps.run("Lint: ruff format", [PY, "-m", "ruff", "format", "--check", "."])
    steps.run(
        "Lint: pylint-odoo (OCA mandatory checks)",
        [PY, "-m", "pylint", "--rcfile=.pylintrc", *MODULES],
    )


def packaging(steps: Steps) -> None:
    """Build the addon's wheel with whool, as `pip install ./mail_lead_capture` does."""
    section("Packaging: pip builds odoo-addon-mail_lead_capture with whool")
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="mlc-wheel-") as out:
        result = subprocess.run(
            [
                PY,
                "-m",
                "pip",
                "wheel",
                "--disable-pip-version-check",
                "-q",
                "--no-deps",
                "--no-build-isolation",
                "-w",
                out,
                str(ROOT / ADDON),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        wheels = [p.name for p in Path(out).glob("odoo_addon_mail_lead_capture-19.0.*.whl")]
    ok = result.returncode == 0 and len(wheels) == 1
    say(f"    {wheels[0] if ok else 'failed: ' + first_line(result.stderr)}")
    steps.record("Packaging (whool wheel)", ok, started)


def odoo_test_command(pg: Postgres, db: str, extra: list[str]) -> list[str]:
    cmd = [
        odoo_python(),
        "-m",
        "pytest",
        "-p",
        "no:cacheprovider",
        "-p",
        "pytest_no_skips",
        f"--odoo-database={db}",
        f"--odoo-addons-path={addons_path()}",
        "--odoo-http",
        "--odoo-log-level=warn",
        "--odoo-extra=http-interface=127.0.0.1",
    ]
    for arg in pg.odoo_args():
        cmd.append("--odoo-extra=" + arg.removeprefix("--"))
    return [*cmd, "-q", *(extra or [f"{module}/tests" for module in MODULES])]


def cmd_test(args) -> int:
    ci = os.environ.get("CI", "").lower() == "true"
    steps = Steps()
    install_dev_dependencies()
    version = odoo_version()
    if not version:
        if ci:
            raise HarnessError(
                "Odoo 19.0 is not importable by python3 on this machine, so CI cannot run the Odoo "
                "tests in a real database."
            )
        section("Odoo is not importable: running the tests that need no database only")
        say(f"    {ODOO_HINT}")
        steps.run("Tests without a database (tests/)", nodb_test_command([]))
        lint(steps)
        packaging(steps)
        steps.summary(partial=True)
        return 0 if steps.ok else 1

    say(f"    Odoo {version} ({odoo_python()})")
    steps.run(
        "Tests without a database (tests/)",
        nodb_test_command([], no_skips=ci),
        env=no_skips_env(),
    )
    lint(steps)
    packaging(steps)
    RUN_DIR.mkdir(exist_ok=True)
    section("PostgreSQL")
    with postgres() as pg:
        db = f"mlc_test_{os.getpid()}"
        pg.create_database(db)
        try:
            section(f"Install and upgrade {ADDON} in the fresh database {db}")
            started = time.monotonic()
            try:
                run_odoo_logged(
                    pg,
                    db,
                    RUN_DIR / "install.log",
                    f"Installing {ADDON}",
                    "--init",
                    ",".join(MODULES),
                )
                run_odoo_logged(
                    pg, db, RUN_DIR / "upgrade.log", f"Upgrading {ADDON}", "--update", ADDON
                )
                steps.record("Install and upgrade, no warning from the addon", True, started)
            except HarnessError as exc:
                say(f"    {exc}")
                steps.record("Install and upgrade, no warning from the addon", False, started)
            else:
                started = time.monotonic()
                try:
                    check_pot(pg, db)
                    steps.record("Translation template up to date (i18n/*.pot)", True, started)
                except HarnessError as exc:
                    say(f"    {exc}")
                    steps.record("Translation template up to date (i18n/*.pot)", False, started)
                steps.run(
                    "Odoo tests in a real database (pytest-odoo, with HTTP for tours)",
                    odoo_test_command(pg, db, []),
                    env=no_skips_env(pg.env()),
                )
                if args.native:
                    steps.run(
                        "Odoo tests by Odoo's own runner (--test-tags)",
                        odoo_command(
                            pg,
                            db,
                            "--stop-after-init",
                            "--http-port",
                            str(free_port()),
                            "--test-tags=" + ",".join(f"/{m}" for m in MODULES),
                            "--log-level=test",
                        ),
                        env=pg.env(),
                    )
        finally:
            with contextlib.suppress(HarnessError, subprocess.TimeoutExpired):
                pg.drop_database(db)
    steps.summary()
    return 0 if steps.ok else 1


def cmd_pytest(args) -> int:
    """Run chosen Odoo tests: a fresh database with the addon installed, then pytest-odoo."""
    if not odoo_version():
        raise HarnessError("Odoo 19.0 is not importable. " + ODOO_HINT)
    with installed_database("test") as (pg, db):
        return subprocess.run(
            odoo_test_command(pg, db, args.pytest_args),
            cwd=ROOT,
            env=no_skips_env(pg.env()),
            check=False,
        ).returncode


# Benchmarks that need a database with the addon installed get one, fresh, and Odoo's options.
DB_BENCHES = ("capture", "hostile", "mailbox")


def cmd_bench(args) -> int:
    names = args.names or sorted(p.stem for p in (ROOT / "bench").glob("[a-z]*.py"))
    unknown = [n for n in names if not (ROOT / "bench" / f"{n}.py").is_file()]
    if unknown:
        raise HarnessError(f"No benchmark named {', '.join(unknown)}: see the files in bench/.")
    status = 0
    for name in (n for n in names if n not in DB_BENCHES):
        section(f"Benchmark {name}")
        status |= subprocess.run(
            [PY, str(ROOT / "bench" / f"{name}.py")], cwd=ROOT, check=False
        ).returncode
    db_names = [n for n in names if n in DB_BENCHES]
    if not db_names:
        return status
    if not odoo_version():
        raise HarnessError("These benchmarks run in Odoo, which is not importable. " + ODOO_HINT)
    with installed_database("bench") as (pg, db):
        for name in db_names:
            section(f"Benchmark {name} (database {db})")
            cmd = [
                odoo_python(),
                str(ROOT / "bench" / f"{name}.py"),
                "--database",
                db,
                *shlex.split(os.environ.get("BENCH_ARGS", "")),
                "--",
                f"--addons-path={addons_path()}",
                *pg.odoo_args(),
                "--log-level=warn",
                "--http-interface=127.0.0.1",
            ]
            status |= subprocess.run(cmd, cwd=ROOT, env=pg.env(), check=False).returncode
    return status
