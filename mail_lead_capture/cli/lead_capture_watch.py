"""``odoo-bin lead_capture_watch``: the INBOX watcher of Email Capture (see the README).

Odoo finds this command in the addons path (``<addon>/cli/<command>.py``); it is loaded as
``odoo.cli.lead_capture_watch``, outside the addon's package, hence the absolute imports.
"""

import logging
import signal
import sys

from odoo.cli.command import Command
from odoo.tools import config

_logger = logging.getLogger("odoo.addons.mail_lead_capture.cli.lead_capture_watch")


class LeadCaptureWatch(Command):
    """Watch the INBOX of every synced mailbox (IMAP IDLE) and file new mail within seconds"""

    name = "lead_capture_watch"
    epilog = """
    Run it next to the Odoo server, with the same configuration file and one database, e.g.
    odoo-bin --addons-path=... lead_capture_watch -c /etc/odoo/odoo.conf -d mydb
    It holds one IMAP connection per synced mailbox, within the setting "Connections per Mail
    Server": at most --host-share of it per server (the rest is the scheduled action's); the
    mailboxes beyond are not watched. The scheduled action "Email Capture: sync mailboxes" still
    syncs every folder on its own schedule. Stop it with SIGTERM or Ctrl-C.
    Odoo's own options (-c, -d, --db_host, --log-level...) are accepted too.
    """

    def run(self, cmdargs):
        from odoo.modules.registry import Registry  # noqa: PLC0415

        from odoo.addons.mail_lead_capture.models import mailbox_watch  # noqa: PLC0415
        from odoo.addons.mail_lead_capture.tools.imap import watch as imap_watch  # noqa: PLC0415

        # The watcher's own options, each a number of InboxWatch's keyword of the same name:
        # (keyword, default, help); the option is the keyword with dashes (--idle-seconds).
        settings = (
            (
                "idle_seconds",
                imap_watch.IDLE_SECONDS,
                "restart IMAP IDLE this often (seconds; default %(default)s)",
            ),
            (
                "poll_seconds",
                imap_watch.POLL_SECONDS,
                "servers without IDLE: ask the INBOX (NOOP) this often (default %(default)s)",
            ),
            (
                "refresh_seconds",
                mailbox_watch.REFRESH_SECONDS,
                "read the list of mailboxes again this often (default %(default)s)",
            ),
            (
                "host_share",
                mailbox_watch.HOST_SHARE,
                "the share of the connections per mail server (a setting) the watcher may hold "
                "(default %(default)s)",
            ),
        )
        parser = self.parser
        for keyword, default, help_ in settings:
            parser.add_argument(
                "--" + keyword.replace("_", "-"), type=float, default=default, help=help_
            )
        options, odoo_args = parser.parse_known_args(cmdargs)
        if not 0 <= options.host_share <= 1:
            sys.exit("--host-share is a share of the connections per mail server: 0 to 1.")
        config.parse_config(odoo_args, setup_logging=True)
        databases = config["db_name"]
        if len(databases) != 1:
            sys.exit("Give one database: -d/--database (or db_name in the configuration file).")
        registry = Registry(databases[0])
        if "mail.capture.mailbox" not in registry:
            sys.exit(f"Email Capture (mail_lead_capture) is not installed in {databases[0]}.")
        watch = mailbox_watch.InboxWatch(
            registry, **{keyword: getattr(options, keyword) for keyword, _d, _h in settings}
        )

        def stop(_signum, _frame):
            watch.stop()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        _logger.info("Watching the INBOX of the synced mailboxes of %s", databases[0])
        watch.serve()
        return 0
