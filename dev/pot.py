"""``make pot`` and the translation-template check of ``make test``: export each module's .pot
from a database where it is installed, and compare its terms with the committed one."""

from __future__ import annotations

import subprocess
from pathlib import Path

from common import ADDON
from common import MODULES
from common import ROOT
from common import RUN_DIR
from common import HarnessError
from common import Spinner
from common import say
from odoo_env import ODOO_HINT
from odoo_env import addons_path
from odoo_env import installed_database
from odoo_env import odoo_python
from odoo_env import odoo_version
from postgres import Postgres

POT_PATH = ROOT / ADDON / "i18n" / f"{ADDON}.pot"


def export_pot(pg: Postgres, db: str, output: Path, module: str = ADDON) -> None:
    """Export a module's translation template from ``db`` (where it is installed) to ``output``."""
    config = RUN_DIR / "i18n-export.conf"
    options = {"addons_path": addons_path(), "db_host": pg.host, "db_port": pg.port}
    options["db_user"] = pg.user
    if pg.password:
        options["db_password"] = pg.password
    config.write_text("[options]\n" + "".join(f"{k} = {v}\n" for k, v in options.items()))
    cmd = [odoo_python(), "-m", "odoo", "i18n", "export", "-c", str(config), "-d", db]
    cmd += ["-o", str(output), module]
    with Spinner("Exporting the translation template"):
        result = subprocess.run(cmd, capture_output=True, text=True, env=pg.env(), check=False)
    if result.returncode != 0 or not output.is_file():
        tail = "\n".join(result.stderr.splitlines()[-15:])
        raise HarnessError(f"Exporting the translation template failed:\n{tail}")


def pot_terms(path: Path) -> set[tuple[str, str]]:
    """The (msgctxt, msgid) pairs of a .pot file: what translators are asked to translate."""
    terms, key, current = set(), None, {}
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith(("msgctxt ", "msgid ", "msgstr ")):
            key = line.split(" ", 1)[0]
            current[key] = line.split(" ", 1)[1]
        elif line.startswith('"') and key:
            current[key] += line
        elif not line.strip() and current:
            if current.get("msgid", '""') != '""':
                terms.add((current.get("msgctxt", ""), current["msgid"]))
            current, key = {}, None
    return terms


def check_pot(pg: Postgres, db: str) -> None:
    """Fail when the committed template lacks a term of the code, or keeps one it lost."""
    for module in MODULES:
        check_module_pot(pg, db, module)


def check_module_pot(pg: Postgres, db: str, module: str) -> None:
    fresh = RUN_DIR / f"{module}.pot"
    pot_path = ROOT / module / "i18n" / f"{module}.pot"
    export_pot(pg, db, fresh, module)
    if not pot_path.is_file():
        raise HarnessError(f"{pot_path.relative_to(ROOT)} is missing: run `make pot`.")
    missing = pot_terms(fresh) - pot_terms(pot_path)
    stale = pot_terms(pot_path) - pot_terms(fresh)
    if missing or stale:
        sample = next(iter(missing or stale))[1][:80]
        raise HarnessError(
            f"The translation template is out of date ({len(missing)} new term(s), {len(stale)} "
            f"gone, e.g. {sample}): run `make pot` and commit "
            f"{pot_path.relative_to(ROOT)}."
        )


def cmd_pot(args) -> int:
    """Write the addon's translation template from a fresh database where it is installed."""
    if not odoo_version():
        raise HarnessError(
            "Exporting translations needs Odoo, which is not importable. " + ODOO_HINT
        )
    with installed_database("pot") as (pg, db):
        for module in MODULES:
            pot_path = ROOT / module / "i18n" / f"{module}.pot"
            pot_path.parent.mkdir(exist_ok=True)
            export_pot(pg, db, pot_path, module)
            say(f"    {pot_path.relative_to(ROOT)}: {len(pot_terms(pot_path))} terms")
    return 0
