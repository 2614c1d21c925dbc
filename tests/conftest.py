"""Fixtures for the tests that need no database.

These tests exercise ``mail_lead_capture/tools``, the addon's ORM-free email logic. Importing
``mail_lead_capture`` normally runs its ``__init__`` (which loads the Odoo models), so the package is
registered here without executing it: ``mail_lead_capture.tools`` then imports with no Odoo at all.
"""

import importlib.util
import sys
from pathlib import Path

ADDON_DIR = Path(__file__).resolve().parent.parent / "mail_lead_capture"
SAMPLES_DIR = Path(__file__).resolve().parent / "samples"


def _register_addon_package_without_odoo():
    if "mail_lead_capture" in sys.modules:
        return
    spec = importlib.util.spec_from_file_location(
        "mail_lead_capture",
        ADDON_DIR / "__init__.py",
        submodule_search_locations=[str(ADDON_DIR)],
    )
    sys.modules["mail_lead_capture"] = importlib.util.module_from_spec(spec)


_register_addon_package_without_odoo()
