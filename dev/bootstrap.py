"""Odoo 19.0 for a machine that lacks it: the project's own virtualenv in ``.venv/``.

``make test`` and ``make demo`` call :func:`bootstrap` (through dev/harness.py) when neither
``ODOO_PYTHON`` nor the Python running them can import Odoo 19.0. It runs once, showing its progress:

1. a virtualenv in ``.venv/`` (git-ignored) from the Python at hand;
2. Odoo 19.0 Community's source from ``ODOO_SOURCE``: a local source tree (used in place), a source
   archive (.tar.gz, .tgz, .tar.xz, .tar.bz2, .zip) or a URL of one, extracted into ``.venv/src/``;
   by default Odoo's official 19.0 source archive, :data:`DEFAULT_SOURCE`;
3. Odoo's requirements.txt, with dev/odoo-constraints.txt applied (a pin there replaces Odoo's pin of
   the same package; ``# omit:`` lines leave packages out);
4. Odoo itself, installed editable (``pip install -e``) from that source;
5. the project's requirements-dev.txt.

The last step writes ``.venv/mlc-bootstrap.json``; until it exists the virtualenv counts as
unfinished and the next run starts it again from scratch. Standard library only.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
CONSTRAINTS = ROOT / "dev" / "odoo-constraints.txt"
REQUIREMENTS_DEV = ROOT / "requirements-dev.txt"
STAMP_NAME = "mlc-bootstrap.json"
DEFAULT_SOURCE = "https://nightly.odoo.com/19.0/nightly/src/odoo_19.0.latest.tar.gz"
ARCHIVE_SUFFIXES = (".tar.gz", ".tgz", ".tar.xz", ".txz", ".tar.bz2", ".tbz2", ".tar", ".zip")
PROBE = "import odoo.release as r; print(r.version if r.version_info[:2] == (19, 0) else '')"
WHAT_TO_PROVIDE = (
    "Provide Odoo 19.0 Community in one of these ways, then run the command again:\n"
    "  ODOO_SOURCE=/path/to/odoo        a local Odoo 19.0 source tree (with odoo/release.py)\n"
    "  ODOO_SOURCE=/path/to/odoo.tar.gz an Odoo 19.0 source archive (.tar.gz, .tar.xz, .zip)\n"
    "  ODOO_SOURCE=https://host/odoo.tar.gz  the URL of such an archive that this machine reaches\n"
    "  ODOO_PYTHON=/path/to/python      a Python that already imports Odoo 19.0\n"
    "(Odoo's requirements also come from the Python package index: pip must reach it, or a "
    "wheelhouse given with PIP_FIND_LINKS and PIP_NO_INDEX=1.)"
)


class BootstrapError(Exception):
    """Setting up Odoo failed in a way the user can fix: the message says how."""


def say(message: str = "") -> None:
    print(message, flush=True)


def venv_python(venv: Path = VENV) -> Path:
    return venv / "bin" / "python"


def odoo_version_of(python: Path | str) -> str | None:
    """Odoo's version when ``python`` imports Odoo 19.0, else None."""
    try:
        out = subprocess.run(
            [str(python), "-c", PROBE], capture_output=True, text=True, timeout=120, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out.stdout.strip() or None


def ready(venv: Path = VENV) -> bool:
    """Whether a finished bootstrap left a virtualenv that imports Odoo 19.0."""
    return (venv / STAMP_NAME).is_file() and bool(odoo_version_of(venv_python(venv)))


def is_this_venv(venv: Path = VENV) -> bool:
    """Whether the running interpreter is the one of ``venv``."""
    try:
        return Path(sys.prefix).resolve() == venv.resolve()
    except OSError:
        return False


# ----------------------------------------------------------------------------------------------
# Constraints
# ----------------------------------------------------------------------------------------------


def requirement_name(line: str) -> str | None:
    """The normalised project name a requirements line installs (None for comments, options)."""
    line = line.split("#", 1)[0].strip()
    match = re.match(r"([A-Za-z0-9][A-Za-z0-9._-]*)", line)
    return re.sub(r"[-_.]+", "-", match[1]).lower() if match else None


def read_constraints(path: Path = CONSTRAINTS) -> tuple[set[str], set[str]]:
    """``(pinned, omitted)`` project names of a constraints file (see dev/odoo-constraints.txt)."""
    pinned, omitted = set(), set()
    for line in path.read_text(encoding="utf-8").splitlines():
        omit = re.match(r"\s*#\s*omit:\s*(\S+)", line)
        if omit:
            omitted.add(requirement_name(omit[1]))
        elif name := requirement_name(line):
            pinned.add(name)
    return pinned, omitted


def adapted_requirements(odoo_requirements: str, constraints: Path = CONSTRAINTS) -> str:
    """Odoo's requirements.txt without the lines of packages the constraints pin or omit."""
    pinned, omitted = read_constraints(constraints)
    kept, replaced = [], set()
    for line in odoo_requirements.splitlines():
        name = requirement_name(line)
        if name in omitted:
            continue
        if name in pinned:
            replaced.add(name)  # listed once below, without a version: the constraint pins it
            continue
        kept.append(line)
    names = sorted(replaced)
    header = "# Odoo's requirements.txt, adapted by dev/bootstrap.py (see dev/odoo-constraints.txt)"
    return "\n".join([header, *kept, *names]) + "\n"


# ----------------------------------------------------------------------------------------------
# Odoo's source
# ----------------------------------------------------------------------------------------------


def odoo_tree_version(root: Path) -> tuple[int, ...] | None:
    """The ``version_info`` major and minor of an Odoo source tree, or None if it is not one."""
    release = root / "odoo" / "release.py"
    if not (release.is_file() and (root / "setup.py").is_file()):
        return None
    match = re.search(r"^version_info\s*=\s*\(\s*(\d+)\s*,\s*(\d+)", release.read_text(), re.M)
    return (int(match[1]), int(match[2])) if match else None


def check_tree(root: Path, origin: str) -> Path:
    version = odoo_tree_version(root)
    if version is None:
        raise BootstrapError(
            f"{origin} is not an Odoo source tree (no setup.py and odoo/release.py in {root}).\n"
            + WHAT_TO_PROVIDE
        )
    if version != (19, 0):
        raise BootstrapError(
            f"{origin} holds Odoo {version[0]}.{version[1]}, not 19.0.\n" + WHAT_TO_PROVIDE
        )
    if not (root / "requirements.txt").is_file():
        raise BootstrapError(f"{origin} has no requirements.txt in {root}.\n" + WHAT_TO_PROVIDE)
    return root


def download(url: str, target: Path) -> Path:
    """Fetch ``url`` to ``target``, printing progress every 10%."""
    say(f"    Downloading {url}")
    try:
        with urllib.request.urlopen(url, timeout=60) as response, open(target, "wb") as out:
            total = int(response.headers.get("Content-Length") or 0)
            done, shown, started = 0, -1, time.monotonic()
            while chunk := response.read(1 << 20):
                out.write(chunk)
                done += len(chunk)
                tenth = done * 10 // total if total else done >> 26
                if tenth != shown:
                    shown = tenth
                    share = f"{done * 100 // total}%" if total else "so far"
                    say(f"    {done >> 20} MB {share} ({time.monotonic() - started:.0f}s)")
    except (urllib.error.URLError, OSError, ValueError) as exc:
        target.unlink(missing_ok=True)
        reason = getattr(exc, "reason", None) or exc
        raise BootstrapError(
            f"Odoo 19.0 is not importable, and its source could not be downloaded from {url} "
            f"({reason}).\n" + WHAT_TO_PROVIDE
        ) from None
    return target


def extract(archive: Path, into: Path) -> Path:
    """Unpack an Odoo source archive into ``into``; return the tree's root (holding setup.py)."""
    say(f"    Extracting {archive.name} into {into}")
    shutil.rmtree(into, ignore_errors=True)
    into.mkdir(parents=True)
    try:
        if archive.name.endswith(".zip"):
            with zipfile.ZipFile(archive) as zipped:
                zipped.extractall(into)
        else:
            with tarfile.open(archive) as tarred:
                if hasattr(tarfile, "data_filter"):  # Python 3.11.4+: refuse paths outside
                    tarred.extractall(into, filter="data")
                else:
                    tarred.extractall(into)
    except (tarfile.TarError, zipfile.BadZipFile, OSError, EOFError) as exc:
        raise BootstrapError(
            f"{archive} could not be extracted ({exc}): give a complete Odoo 19.0 source archive "
            "(.tar.gz, .tar.xz, .zip) or a source tree.\n" + WHAT_TO_PROVIDE
        ) from None
    candidates = [into, *sorted(p for p in into.iterdir() if p.is_dir())]
    for candidate in candidates:
        if (candidate / "odoo" / "release.py").is_file():
            return candidate
    raise BootstrapError(
        f"{archive} holds no Odoo source tree (no odoo/release.py at its top).\n" + WHAT_TO_PROVIDE
    )


def odoo_source(source: str | None, venv: Path) -> Path:
    """The root of an Odoo 19.0 source tree from ``ODOO_SOURCE`` (see the module's doc)."""
    source = source or DEFAULT_SOURCE
    src_dir = venv / "src"
    src_dir.mkdir(parents=True, exist_ok=True)
    if re.match(r"^(https?|ftp|file)://", source):
        name = Path(urllib.request.url2pathname(source.split("?", 1)[0])).name
        if not name.endswith(ARCHIVE_SUFFIXES):
            name = "odoo-source.tar.gz"
        archive = download(source, src_dir / name)
        root = check_tree(extract(archive, src_dir / "odoo"), source)
        archive.unlink(missing_ok=True)
        return root
    path = Path(source).expanduser()
    if path.is_dir():
        say(f"    Using the source tree {path.resolve()} in place")
        return check_tree(path.resolve(), f"ODOO_SOURCE={source}")
    if path.is_file():
        return check_tree(extract(path, src_dir / "odoo"), f"ODOO_SOURCE={source}")
    raise BootstrapError(
        f"ODOO_SOURCE={source} is neither a directory, a file nor a URL.\n" + WHAT_TO_PROVIDE
    )


# ----------------------------------------------------------------------------------------------
# pip
# ----------------------------------------------------------------------------------------------

PIP_PROGRESS = re.compile(r"^(Collecting|Building wheel for|Installing collected|Successfully)")


def pip(python: Path, what: str, *args: str) -> None:
    """Run pip in the virtualenv, showing what it collects and builds; fail with its error."""
    cmd = [str(python), "-m", "pip", "install", "--disable-pip-version-check", "--progress-bar"]
    cmd += ["off", *args]
    started = time.monotonic()
    lines: list[str] = []
    with subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1
    ) as process:
        for line in process.stdout:
            lines.append(line.rstrip())
            if PIP_PROGRESS.match(line):
                text = line.strip()
                say(f"    {text[:150]}{'...' if len(text) > 150 else ''}")
    if process.returncode != 0:
        tail = "\n".join(f"    {line}" for line in lines[-20:])
        network = any(
            marker in "\n".join(lines)
            for marker in ("NewConnectionError", "Max retries", "No matching distribution")
        )
        hint = (
            "\npip could not reach the package index: " + WHAT_TO_PROVIDE.split("\n")[-1]
            if network
            else ""
        )
        raise BootstrapError(
            f"Installing {what} failed (pip exit {process.returncode}):\n{tail}{hint}"
        )
    say(f"    {what}: done in {time.monotonic() - started:.0f}s")


# ----------------------------------------------------------------------------------------------
# The whole set-up
# ----------------------------------------------------------------------------------------------


def bootstrap(
    source: str | None = None,
    venv: Path = VENV,
    requirements_dev: Path = REQUIREMENTS_DEV,
    constraints: Path = CONSTRAINTS,
) -> Path:
    """Set up Odoo 19.0 and the dev requirements in ``venv``; return its Python."""
    if sys.version_info < (3, 11):  # noqa: UP036 (ruff assumes 3.11; a user may run 3.10)
        raise BootstrapError(
            f"Python {sys.version.split()[0]} is too old: the addon needs Python 3.11 or later. "
            "Run make with PYTHON=python3.11 (or later)."
        )
    started = time.monotonic()
    say(f"\n==> Odoo 19.0 is not importable: setting it up once in {venv} (a few minutes)")
    if venv.exists():
        say(f"    {venv} is unfinished or broken: starting it again")
    say("    [1/5] Virtualenv")
    result = subprocess.run(
        [sys.executable, "-m", "venv", "--clear", str(venv)],
        capture_output=True,
        text=True,
        check=False,
    )
    python = venv_python(venv)
    if result.returncode != 0 or not python.exists():
        raise BootstrapError(
            f"Creating the virtualenv {venv} failed: {result.stderr.strip() or result.stdout.strip()}"
            "\nOn Debian, install the venv module: apt-get install python3-venv"
        )
    # Odoo's setup.py is installed editable without build isolation: it needs a setuptools that
    # builds wheels itself (70.1+); Python 3.12+ venvs have none, 3.11's an older one.
    pip(python, "the build tools", "setuptools>=70.1", "wheel")
    say(f"    [2/5] Odoo 19.0's source ({source or DEFAULT_SOURCE})")
    root = odoo_source(source, venv)
    say("    [3/5] Odoo's requirements (with dev/odoo-constraints.txt)")
    adapted = venv / "odoo-requirements.txt"
    adapted.write_text(adapted_requirements((root / "requirements.txt").read_text(), constraints))
    pip(python, "Odoo's requirements", "-r", str(adapted), "-c", str(constraints))
    say(f"    [4/5] Odoo itself, editable from {root}")
    pip(python, "Odoo", "--no-deps", "--no-build-isolation", "-e", str(root))
    say(f"    [5/5] The dev requirements ({requirements_dev.name})")
    pip(python, requirements_dev.name, "-r", str(requirements_dev), "-c", str(constraints))
    version = odoo_version_of(python)
    if not version:
        raise BootstrapError(
            f"Odoo was installed in {venv}, but its Python still cannot import Odoo 19.0: "
            f"remove {venv} and run again, or set ODOO_PYTHON."
        )
    stamp = {"source": source or DEFAULT_SOURCE, "odoo_root": str(root), "version": version}
    stamp["seconds"] = round(time.monotonic() - started)
    (venv / STAMP_NAME).write_text(json.dumps(stamp, indent=2) + "\n")
    say(f"    Odoo {version} is ready in {venv} ({stamp['seconds']}s)")
    return python


def source_from_environment() -> str | None:
    return os.environ.get("ODOO_SOURCE") or None
