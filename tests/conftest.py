"""Fixtures for the tests that need no database.

These tests exercise ``mail_lead_capture/tools``, the addon's ORM-free email logic. Importing
``mail_lead_capture`` normally runs its ``__init__`` (which loads the Odoo models), so the package is
registered here without executing it: ``mail_lead_capture.tools`` then imports with no Odoo at all.

The IMAP tests talk to a real Dovecot: ``mail_lead_capture/tests/dovecot_server.py`` (shared with the
Odoo tests, and free of Odoo imports) is loaded by path and registered as the module
``dovecot_server``; the ``dovecot`` fixture starts one server for the whole session.
"""

import importlib.util
import os
import sys
from pathlib import Path

import pytest

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


def _load_by_path(name: str, path: Path):
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


_register_addon_package_without_odoo()
dovecot_server = _load_by_path("dovecot_server", ADDON_DIR / "tests" / "dovecot_server.py")
oauth_server = _load_by_path("oauth_server", ADDON_DIR / "tests" / "oauth_server.py")


@pytest.fixture(scope="session")
def dovecot():
    """A private Dovecot on 127.0.0.1 for the whole test session (see dovecot_server.py).

    Tests take a fresh mailbox each with ``dovecot.add_user()``. Without Dovecot the IMAP tests are
    skipped, except in CI, where that is a failure.
    """
    if not dovecot_server.dovecot_available():
        reason = "Dovecot is not installed: apt-get install dovecot-imapd to run the IMAP tests"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    with dovecot_server.DovecotServer() as server:
        yield server


stdio_imap_servers = _load_by_path(
    "stdio_imap_servers", ADDON_DIR / "tests" / "stdio_imap_servers.py"
)


def _other_server(server_class):
    try:
        server = server_class()
    except stdio_imap_servers.ServerUnavailable as exc:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(str(exc))
        pytest.skip(str(exc))
    return server


@pytest.fixture(scope="session")
def courier():
    """Courier-IMAP from its Debian package, on 127.0.0.1 (see stdio_imap_servers.py)."""
    server = _other_server(stdio_imap_servers.CourierServer)
    with server:
        yield server


@pytest.fixture(scope="session")
def mailutils():
    """GNU Mailutils' imap4d from its Debian package, on 127.0.0.1 (see stdio_imap_servers.py)."""
    server = _other_server(stdio_imap_servers.MailutilsServer)
    with server:
        yield server


@pytest.fixture(scope="session")
def cyrus():
    """Cyrus IMAP from its Debian packages, classic '.' separator (``INBOX.Sent``)."""
    server = _other_server(stdio_imap_servers.CyrusServer)
    with server:
        yield server


@pytest.fixture(scope="session")
def cyrus_slash():
    """Cyrus IMAP with '/' (``unixhierarchysep``) and folders beside INBOX (``altnamespace``)."""
    server = _other_server(lambda: stdio_imap_servers.CyrusServer("/"))
    with server:
        yield server
