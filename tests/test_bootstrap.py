"""dev/bootstrap.py, which sets Odoo 19.0 up in .venv/ for `make test` and `make demo`.

The set-up runs for real on a throwaway directory: a virtualenv, pip, an Odoo-shaped source archive
whose requirements carry the two pins the constraints fix (cbor2 5.4.2, python-ldap), and a small dev
requirements file. The real Odoo tree is left out to keep the suite quick: pip's cache makes the
run a matter of seconds. (The full set-up from a real Odoo 19.0 tree and archive is measured by
hand, see README.md, "Prerequisites".)
"""

import importlib.util
import json
import subprocess
import tarfile
from pathlib import Path

import pytest

DEV = Path(__file__).resolve().parent.parent / "dev"
spec = importlib.util.spec_from_file_location("mlc_bootstrap", DEV / "bootstrap.py")
bootstrap = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bootstrap)

ODOO_REQUIREMENTS = """\
# the lines of Odoo 19.0's requirements.txt that do not install on Python 3.11 as they are
cbor2==5.4.2 ; python_version < '3.12'
cbor2==5.6.2 ; python_version >= '3.12'
python-ldap==3.4.0 ; sys_platform != 'win32'  # min version = 3.2.0 (Focal)
polib==1.1.1
"""


def odoo_tree(directory: Path, version=(19, 0)) -> Path:
    """An Odoo-shaped source tree: setup.py, odoo/release.py, requirements.txt."""
    root = directory / "odoo-19.0"
    (root / "odoo").mkdir(parents=True)
    (root / "odoo" / "__init__.py").write_text("")
    (root / "odoo" / "release.py").write_text(
        f"version_info = ({version[0]}, {version[1]}, 0, 'final', 0, '')\n"
        f"version = '{version[0]}.{version[1]}'\n"
    )
    (root / "setup.py").write_text(
        "from setuptools import setup\nsetup(name='odoo', version='19.0', packages=['odoo'])\n"
    )
    (root / "requirements.txt").write_text(ODOO_REQUIREMENTS)
    return root


def test_requirements_are_adapted_by_the_constraints_file():
    adapted = bootstrap.adapted_requirements(ODOO_REQUIREMENTS)
    lines = [line for line in adapted.splitlines() if not line.startswith("#")]
    assert lines == ["polib==1.1.1", "cbor2"], "cbor2 is pinned by the constraints, ldap omitted"
    assert "cbor2==5.6.2" in bootstrap.CONSTRAINTS.read_text()


def test_a_missing_or_wrong_source_says_what_to_provide(tmp_path):
    unreachable = (tmp_path / "nowhere" / "odoo.tar.gz").as_uri()
    with pytest.raises(bootstrap.BootstrapError, match="could not be downloaded") as error:
        bootstrap.odoo_source(unreachable, tmp_path / "venv")
    assert "ODOO_SOURCE=/path/to/odoo" in str(error.value)
    assert "ODOO_PYTHON=" in str(error.value)
    old = odoo_tree(tmp_path / "old", version=(18, 0))
    with pytest.raises(bootstrap.BootstrapError, match=r"Odoo 18\.0, not 19\.0"):
        bootstrap.odoo_source(str(old), tmp_path / "venv")
    with pytest.raises(bootstrap.BootstrapError, match="neither a directory"):
        bootstrap.odoo_source(str(tmp_path / "missing"), tmp_path / "venv")


def test_bootstrap_from_an_archive_installs_odoo_and_the_dev_requirements(tmp_path, capsys):
    archive = tmp_path / "odoo_19.0.latest.tar.gz"
    with tarfile.open(archive, "w:gz") as tarred:
        tarred.add(odoo_tree(tmp_path / "tree"), arcname="odoo-19.0")
    dev = tmp_path / "requirements-dev.txt"
    dev.write_text("pytz\n")
    venv = tmp_path / ".venv"
    python = bootstrap.bootstrap(str(archive), venv=venv, requirements_dev=dev)
    assert bootstrap.ready(venv)
    assert bootstrap.odoo_version_of(python) == "19.0"
    listed = subprocess.run(
        [str(python), "-m", "pip", "list", "--format=json"],
        capture_output=True,
        text=True,
        check=True,
    )
    installed = {p["name"].lower(): p["version"] for p in json.loads(listed.stdout)}
    assert installed["cbor2"] == "5.6.2"
    assert "python-ldap" not in installed
    assert "polib" in installed and "pytz" in installed
    assert installed["odoo"] == "19.0"
    stamp = json.loads((venv / bootstrap.STAMP_NAME).read_text())
    assert stamp["source"] == str(archive) and stamp["version"] == "19.0"
    out = capsys.readouterr().out
    for step in ("[1/5]", "[2/5]", "[3/5]", "[4/5]", "[5/5]", "Odoo 19.0 is ready"):
        assert step in out, "the set-up shows its progress"
