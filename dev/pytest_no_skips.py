"""pytest plugin (``-p pytest_no_skips``): a run that skipped a test fails, saying which and why.

Odoo's HttpCase skips a browser tour when Chromium cannot be started, and the IMAP tests skip
without Dovecot: a green run must mean that every test ran. `make test` loads this plugin for the
Odoo tests always, and for the no-database tests when CI=true.
"""

import pytest


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session, exitstatus):
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if not skipped or exitstatus not in (pytest.ExitCode.OK, pytest.ExitCode.NO_TESTS_COLLECTED):
        return
    reporter.write_sep("=", f"{len(skipped)} test(s) skipped: this run does not count", red=True)
    for report in skipped[:10]:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        reporter.write_line(f"  {report.nodeid}: {reason}")
    reporter.write_line(
        "  Install what the reason names (Debian: apt-get install chromium dovecot-imapd), "
        "then run again."
    )
    session.exitstatus = pytest.ExitCode.TESTS_FAILED
