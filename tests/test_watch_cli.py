"""``odoo-bin lead_capture_watch``'s own options, as an administrator types them (no database)."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def watch(*arguments):
    return subprocess.run(
        [sys.executable, "-m", "odoo", f"--addons-path={ROOT}", "lead_capture_watch", *arguments],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_help_lists_every_option_with_its_default():
    result = watch("--help")
    assert result.returncode == 0, result.stderr
    text = " ".join(result.stdout.split())
    for option in ("--idle-seconds", "--poll-seconds", "--refresh-seconds", "--host-share"):
        # "--idle-seconds IDLE_SECONDS restart IMAP IDLE this often (seconds; default 300)"
        assert re.search(re.escape(option) + r" [A-Z_]+ [^-]*default [0-9.]+\)", text), option


def test_options_are_numbers_and_the_share_a_share():
    refused = watch("--host-share", "2", "-d", "nowhere")
    assert refused.returncode != 0
    assert "--host-share is a share of the connections per mail server: 0 to 1." in refused.stderr
    not_a_number = watch("--poll-seconds", "often", "-d", "nowhere")
    assert not_a_number.returncode != 0
    assert "--poll-seconds" in not_a_number.stderr
    # the watcher's options parsed, Odoo's own (-d) reach Odoo's configuration
    no_database = watch("--idle-seconds", "5", "--host-share", "0.3")
    assert no_database.returncode != 0
    assert "Give one database" in no_database.stderr
