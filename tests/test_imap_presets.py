import pytest

from mail_lead_capture.tools.imap.presets import GENERIC
from mail_lead_capture.tools.imap.presets import PRESETS
from mail_lead_capture.tools.imap.presets import preset_for_address
from mail_lead_capture.tools.imap.presets import preset_selection
from mail_lead_capture.tools.imap.session import SECURITIES
from mail_lead_capture.tools.imap.session import security_allowed


def test_every_provider_the_issue_names_has_a_preset():
    assert set(PRESETS) == {
        "gmail",
        "microsoft",
        "yahoo",
        "icloud",
        "fastmail",
        "zoho",
        "gmx",
        "yandex",
        "aol",
        "generic",
    }


@pytest.mark.parametrize("preset", [p for p in PRESETS.values() if p is not GENERIC])
def test_provider_presets_use_implicit_tls_and_ask_for_app_passwords(preset):
    assert preset.security in SECURITIES
    assert security_allowed(preset.host, preset.security)
    assert (preset.security, preset.port) == ("ssl", 993)
    assert preset.host.startswith("imap") or preset.host == "outlook.office365.com"
    assert preset.app_password_with_2fa


def test_known_hosts():
    assert (PRESETS["gmail"].host, PRESETS["gmail"].port) == ("imap.gmail.com", 993)
    assert PRESETS["microsoft"].host == "outlook.office365.com"
    assert PRESETS["icloud"].host == "imap.mail.me.com"
    assert "work_accounts_need_oauth" in PRESETS["microsoft"].notes


@pytest.mark.parametrize(
    ("address", "code"),
    [
        ("Someone <someone@GMAIL.com>", "gmail"),
        ("a@googlemail.com", "gmail"),
        ("a@hotmail.fr", "microsoft"),
        ("a@outlook.com", "microsoft"),
        ("a@ymail.com", "yahoo"),
        ("a@me.com", "icloud"),
        ("a@fastmail.fm", "fastmail"),
        ("a@zoho.eu", "zoho"),
        ("a@gmx.de", "gmx"),
        ("a@yandex.ru", "yandex"),
        ("a@aol.com", "aol"),
        ("sales@mycompany.example", "generic"),
        ("not an address", "generic"),
        (None, "generic"),
    ],
)
def test_preset_for_address(address, code):
    assert preset_for_address(address).code == code


def test_some_providers_have_one_host_per_domain():
    assert PRESETS["gmx"].host_for("a@gmx.com") == "imap.gmx.com"
    assert PRESETS["gmx"].host_for("a@gmx.de") == "imap.gmx.net"
    assert PRESETS["zoho"].host_for("a@zoho.eu") == "imap.zoho.eu"
    assert PRESETS["gmail"].host_for(None) == "imap.gmail.com"


def test_generic_preset_is_last_and_empty():
    selection = preset_selection()
    assert selection[-1] == ("generic", "IMAP")
    assert len(selection) == len(PRESETS)
    assert GENERIC.host == "" and not GENERIC.app_password_with_2fa
