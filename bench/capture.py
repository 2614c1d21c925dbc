"""Benchmark: the capture address against stock Odoo, and matching as the CRM grows.

Run: ``make bench`` (or ``python3 dev/harness.py bench capture``), which gives this script a fresh
database with the addon installed. Everything is measured in the same run, on the same data, and
rolled back afterwards; figures are printed as ratios, with absolute numbers for context only.

1. Throughput. The same raw mails (half BCC copies of a salesperson's mail to a new customer, half
   Gmail forwards of a new customer's mail) go through ``mail.thread.message_process`` twice: once
   delivered to the CRM sales team's alias (stock Odoo: one new lead per mail), once delivered to the
   company's capture address (this addon: forward recovery, filters, matching, contacts, dedup).
   Each contender's forwards are addressed to its own address: a forward naming the capture
   address goes to the capture engine whichever alias delivers it ("one mail, one lead"), so a
   shared copy would measure the addon on both sides. Besides mails per second, the queries per
   mail and the CPU seconds per mail (Odoo's process plus PostgreSQL's backends, which waiting for
   a CPU on a busy machine does not inflate) are printed for both.
2. Matching cost. The time to decide where a mail goes (``mail.capture.engine._decision``, which
   also looks at lost leads, then the known-contact look-up that mail no lead matches gets) with
   1,000 leads, then with 100,000 leads holding 200,000 contacts; the ratio should stay near 1.
   The query plans (EXPLAIN ANALYZE) of the look-ups are printed for the large case.
"""

from __future__ import annotations

import argparse
import logging
import random
import sys
import time
from pathlib import Path

import odoo.init
import odoo.tools
from odoo import api
from odoo.api import SUPERUSER_ID
from odoo.modules.registry import Registry

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "dev"))
from common import database_cpu  # noqa: E402  (dev/common.py)
from common import load_module  # noqa: E402


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--mails", type=int, default=2000)
    parser.add_argument("--small", type=int, default=1000, help="leads in the small CRM")
    parser.add_argument("--large", type=int, default=100_000, help="leads in the large CRM")
    parser.add_argument("--lookups", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=4, help="alternations of the two contenders")
    parser.add_argument("--profile", help="write a cProfile of the capture phase to this file")
    parser.add_argument("odoo_args", nargs="*", help="Odoo options such as --db_host=...")
    return parser.parse_args()


# ----------------------------------------------------------------------------------------------
# Mails
# ----------------------------------------------------------------------------------------------

BCC = """From: Bob Builder <bob@acme.example>
To: {name} <{email}>
Subject: Our offer, reference {i}
Date: Tue, 24 Nov 2026 09:{minute:02d}:00 +0100
Message-ID: <bench-bcc-{i}@acme.example>
MIME-Version: 1.0
Content-Type: text/plain; charset="UTF-8"

Hello {name},

As promised on the phone, here is our offer number {i} for the new warehouse shelving.
It includes delivery and installation. Let me know if you have any questions.

Best regards,
Bob
"""

GMAIL_FORWARD = """From: Bob Builder <bob@acme.example>
To: Capture <{capture}>
Subject: Fwd: Question about your products {i}
Date: Tue, 24 Nov 2026 10:{minute:02d}:00 +0100
Message-ID: <bench-fwd-{i}@mail.gmail.com>
MIME-Version: 1.0
Content-Type: text/plain; charset="UTF-8"

FYI

---------- Forwarded message ---------
From: {name} <{email}>
Date: Mon, Nov 23, 2026 at 4:{minute:02d} PM
Subject: Question about your products {i}
To: Bob Builder <bob@acme.example>


Hello Bob,

Could you tell me more about your shelving systems? We need about {i} metres.

Thanks,
{name}
"""


def raw_mails(count: int, capture: str) -> list[bytes]:
    mails = []
    for i in range(count):
        template = BCC if i % 2 == 0 else GMAIL_FORWARD
        text = template.format(
            i=i,
            minute=i % 60,
            name=f"Customer {i}",
            email=f"customer{i}@client{i}.example",
            capture=capture,
        )
        mails.append(text.replace("\n", "\r\n").encode())
    return mails


def deliver_each(registry, mails: list[bytes], recipient: str) -> dict:
    """Deliver every mail in its own transaction, as Odoo's mailgate and fetchmail do.

    Each transaction is rolled back, so both contenders always start from the same database.
    Returns the seconds spent, the number of mails that made a lead, the queries they made and
    the CPU seconds of Odoo and of PostgreSQL (None when PostgreSQL's cannot be read).
    """
    header = f"Delivered-To: {recipient}\r\n".encode()
    result = {"seconds": 0.0, "leads": 0, "queries": 0, "cpu": 0.0, "db_cpu": 0.0}
    with registry.cursor() as cr:
        db_before = database_cpu(cr)
    cpu_before = time.process_time()
    for raw in mails:
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            queries = cr.sql_log_count
            started = time.perf_counter()
            env["mail.thread"].sudo().message_process(False, header + raw)
            env.flush_all()
            result["seconds"] += time.perf_counter() - started
            result["queries"] += cr.sql_log_count - queries
            result["leads"] += bool(env["crm.lead"].search_count([("create_date", ">=", cr.now())]))
            cr.rollback()
    result["cpu"] = time.process_time() - cpu_before  # the lead counts too: small, both sides
    with registry.cursor() as cr:
        db_after = database_cpu(cr)
    if db_before is None or db_after is None:
        result["db_cpu"] = None
    else:
        result["db_cpu"] = db_after - db_before
    return result


def throughput(registry, mails, rounds, profile=None):
    """Alternate stock and capture (``mails``: their name, recipient and mails, in the same
    order) in ``rounds`` slices, to even out noise."""
    totals = {name: {} for name in mails}
    count = len(next(iter(mails.values()))[1])
    size = max(1, count // rounds)
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
    for start in range(0, count, size):
        for name, (recipient, raws) in mails.items():
            chunk = raws[start : start + size]
            if profiler and name == "capture":
                part = profiler.runcall(deliver_each, registry, chunk, recipient)
            else:
                part = deliver_each(registry, chunk, recipient)
            for key, value in part.items():
                total = totals[name].get(key, 0)
                totals[name][key] = None if value is None or total is None else total + value
    if profiler:
        profiler.dump_stats(profile)
    return totals


# ----------------------------------------------------------------------------------------------
# A large CRM, inserted in bulk
# ----------------------------------------------------------------------------------------------


def not_null_filler(cr, table: str, given: set[str]) -> dict[str, str]:
    """SQL expressions for NOT NULL columns without a default that the bench does not set."""
    cr.execute(
        """SELECT column_name, data_type FROM information_schema.columns
           WHERE table_name = %s AND is_nullable = 'NO' AND column_default IS NULL""",
        [table],
    )
    fillers = {"boolean": "false", "integer": "0", "numeric": "0", "double precision": "0"}
    return {
        name: fillers.get(kind, "''")
        for name, kind in cr.fetchall()
        if name not in given and name != "id"
    }


def grow_crm(env, leads: int, company_id: int) -> None:
    """Add ``leads`` leads, each with a customer and a second contact (2 partners per lead).

    Lead number n has customer c{2n} and contact c{2n+1}, at one of 5,000 domains.
    """
    cr = env.cr
    cr.execute("SELECT COUNT(*) FROM crm_lead WHERE name LIKE 'Deal %%'")
    first = cr.fetchone()[0] + 1
    email = "'c' || ({n}) || '@big' || (({n}) %% 5000) || '.example'"  # %% : psycopg2 placeholder
    partner_cols = [
        "name",
        "email",
        "email_normalized",
        "active",
        "type",
        "create_date",
        "write_date",
    ]
    extra = not_null_filler(cr, "res_partner", set(partner_cols))
    values = [
        "'Contact ' || n",
        email.format(n="n"),
        email.format(n="n"),
        "true",
        "'contact'",
        "now()",
        "now()",
        *extra.values(),
    ]
    cr.execute(
        f"INSERT INTO res_partner ({', '.join([*partner_cols, *extra])}) "
        f"SELECT {', '.join(values)} FROM generate_series(%s, %s) AS n",
        [first * 2, (first + leads) * 2 - 1],
    )
    lead_cols = [
        "name",
        "type",
        "active",
        "company_id",
        "won_status",
        "create_date",
        "write_date",
        "partner_id",
        "email_from",
        "email_normalized",
    ]
    extra = not_null_filler(cr, "crm_lead", set(lead_cols))
    values = [
        "'Deal ' || n",
        "'lead'",
        "true",
        "%s",
        "'pending'",
        "now() - (n %% 1000) * interval '1 hour'",
        "now() - (n %% 1000) * interval '1 hour'",
        "p.id",
        "p.email",
        "p.email_normalized",
        *extra.values(),
    ]
    cr.execute(
        f"""WITH new_leads AS (
                INSERT INTO crm_lead ({", ".join([*lead_cols, *extra])})
                SELECT {", ".join(values)} FROM generate_series(%s, %s) AS n
                JOIN res_partner p ON p.email = {email.format(n="n * 2")}
                RETURNING id, substr(name, 6)::int AS n)
            INSERT INTO crm_lead_capture_contact_rel (lead_id, partner_id)
            SELECT l.id, p.id FROM new_leads l JOIN res_partner p ON p.email = {email.format(n="l.n * 2 + 1")}
        """,
        [company_id, first, first + leads - 1],
    )
    cr.execute("ANALYZE crm_lead; ANALYZE res_partner; ANALYZE crm_lead_capture_contact_rel")
    env.invalidate_all()


def decide(env, company, kept: list[str]) -> None:
    """What the engine looks up to decide where a mail with the ``kept`` addresses goes: its open
    and won leads, its lost leads when none matched, then known contacts (as ``_file_mail``)."""
    # odoo.addons.* resolves only once Odoo's addons path is configured (main() does it)
    from odoo.addons.mail_lead_capture.tools.capture import CapturedMail
    from odoo.addons.mail_lead_capture.tools.filing import Filing

    engine = env["mail.capture.engine"]
    mail = CapturedMail(None, (), (), None, "", "", None, (), False)
    decision, lost = engine._decision(mail, kept, company, Filing(company.id, 0, "capture"))
    if decision.kind == "none" and not lost:
        engine._known_contacts(kept, company)


def time_matching(env, company, lookups: list[list[str]]) -> tuple[float, float | None]:
    """Seconds per decision, and CPU seconds per decision (Odoo's and PostgreSQL's, None when
    PostgreSQL's cannot be read)."""
    db_before, cpu_before = database_cpu(env.cr), time.process_time()
    started = time.perf_counter()
    for kept in lookups:
        decide(env, company, kept)
        env.invalidate_all()
    seconds = time.perf_counter() - started
    cpu, db_after = time.process_time() - cpu_before, database_cpu(env.cr)
    if db_before is None or db_after is None:
        return seconds / len(lookups), None
    return seconds / len(lookups), (cpu + db_after - db_before) / len(lookups)


def lookup_sets(env, count: int, rng: random.Random) -> list[list[str]]:
    env.cr.execute("SELECT email_normalized FROM res_partner WHERE email LIKE 'c%%@big%%' ")
    known = [row[0] for row in env.cr.fetchall()]
    sets = []
    for i in range(count):
        if i % 2:
            sets.append([rng.choice(known), f"nobody{i}@unknown.example"])
        else:
            sets.append([f"nobody{i}@unknown.example", f"other{i}@unknown{i}.example"])
    return sets


def explain(env, company, address: str) -> str:
    captured = []
    original = env.cr.execute

    def spy(query, params=None, log_exceptions=True):
        text = query.code if hasattr(query, "code") else str(query)
        if "crm_lead" in text or "res_partner" in text:
            captured.append((query, params))
        return original(query, params, log_exceptions)

    env.cr.execute = spy
    try:
        decide(env, company, [address])
    finally:
        env.cr.execute = original
    plans = []
    # partners, then leads by email, customer and contacts, the addresses on them; for an unknown
    # address the lost leads' look-ups and the known contacts' come after
    for query, params in captured:
        sql = query.code if hasattr(query, "code") else query
        sql_params = query.params if hasattr(query, "params") else params
        env.cr.execute(f"EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) {sql}", sql_params)
        plans.append("\n".join(f"      {row[0]}" for row in env.cr.fetchall()))
    return "\n\n".join(plans)


def load_smtp_sink():
    """The addon's test SMTP sink: mail Odoo sends during the bench goes nowhere else."""
    module = load_module("mlc_smtp_sink", ROOT / "mail_lead_capture" / "tests" / "smtp_sink.py")
    return module.SmtpSink().start()


def setup_company(env, sink):
    """What the capture benches share: Odoo's mail goes to ``sink`` only, the company has an
    alias domain and its capture aliases, and Bob is a salesperson. Returns (company, domain)."""
    env["ir.mail_server"].search([]).active = False
    env["ir.mail_server"].create(
        {
            "name": "bench sink",
            "smtp_host": "127.0.0.1",
            "smtp_port": sink.port,
            "smtp_encryption": "none",
        }
    )
    company = env.company
    domain = env["mail.alias.domain"].search([], limit=1) or env["mail.alias.domain"].create(
        {"name": "acme.example"}
    )
    company.write({"alias_domain_id": domain.id, "email": "info@acme.example"})
    company._lead_capture_ensure_aliases()
    if not env["res.users"].search([("login", "=", "bob")]):
        env["res.users"].create(
            {
                "name": "Bob Builder",
                "login": "bob",
                "email": "bob@acme.example",
                "group_ids": [(4, env.ref("sales_team.group_sale_salesman").id)],
            }
        )
    return company, domain


def main() -> int:
    args = parse_args()
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's per-command chatter
    odoo.tools.config.parse_config(["-d", args.database, *args.odoo_args])
    registry = Registry(args.database)
    rng = random.Random(19)
    sink = load_smtp_sink()
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        company, domain = setup_company(env, sink)
        # Stock Odoo bounces a sender's 21st new record within two hours (loop protection); the
        # baseline must create one lead per mail, so that guard is lifted for the whole run.
        env["ir.config_parameter"].set_param("mail.gateway.loop.threshold", str(10 * args.mails))
        team_alias = env.ref("sales_team.team_sales_department").alias_id
        team_alias.alias_domain_id = domain
        stock_alias, capture = team_alias.alias_full_name, company.lead_capture_email
        cr.commit()  # the set-up is shared by both contenders; their own work is rolled back
    mails = {
        "stock": (stock_alias, raw_mails(args.mails, stock_alias)),
        "capture": (capture, raw_mails(args.mails, capture)),
    }
    print(
        f"Throughput: {args.mails} raw mails through message_process, each in its own transaction"
    )
    totals = throughput(registry, mails, args.rounds, args.profile)
    stock, ours = totals["stock"], totals["capture"]
    for label, total, made in (
        ("stock Odoo (team alias, a lead per mail):", stock, "made a lead"),
        ("capture address (this addon):           ", ours, "made or found a lead"),
    ):
        db_cpu = "?" if total["db_cpu"] is None else f"{total['db_cpu'] * 1000 / args.mails:.1f}"
        print(
            f"  {label} {args.mails / total['seconds']:8.1f} mails/s  ({total['leads']} mails "
            f"{made}; {total['queries'] / args.mails:.1f} queries, CPU {total['cpu'] * 1000 / args.mails:.1f}"
            f" ms in Odoo and {db_cpu} ms in PostgreSQL per mail)"
        )
    print(
        f"  ratio capture / stock: {stock['seconds'] / ours['seconds']:.2f} in mails per second "
        "(>= 1.00 means at least as fast)"
    )
    if stock["db_cpu"] is not None and ours["db_cpu"] is not None:
        print(
            "  ratio capture / stock in CPU time (Odoo + PostgreSQL; not inflated by a busy "
            f"machine): {(stock['cpu'] + stock['db_cpu']) / (ours['cpu'] + ours['db_cpu']):.2f}"
        )
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        company = env.company
        print(f"\nMatching: {args.lookups} decisions, half with a known contact, same run")
        grow_crm(env, args.small, company.id)
        small = time_matching(env, company, lookup_sets(env, args.lookups, rng))
        grow_crm(env, args.large - args.small, company.id)
        leads = env["crm.lead"].search_count([])
        contacts = env["res.partner"].search_count([("email", "like", "@big")])
        large = time_matching(env, company, lookup_sets(env, args.lookups, rng))
        print(
            f"  {args.small:>7} leads:                     {small[0] * 1000:7.2f} ms per decision"
        )
        print(f"  {leads:>7} leads, {contacts} contacts: {large[0] * 1000:7.2f} ms per decision")
        print(f"  ratio large / small: {large[0] / small[0]:.2f} (flat means <= 2.00)")
        if small[1] and large[1]:
            print(
                f"  in CPU time (Odoo + PostgreSQL): {small[1] * 1000:.2f} and "
                f"{large[1] * 1000:.2f} ms per decision, ratio {large[1] / small[1]:.2f}"
            )
        cr.execute("SELECT email_normalized FROM res_partner WHERE email LIKE 'c%%@big%%' LIMIT 1")
        print("\nQuery plans of the look-ups (large CRM), for a lead's customer:")
        print(explain(env, company, cr.fetchone()[0]))
        print("\nQuery plans for an address on no lead (then lost leads and known contacts):")
        print(explain(env, company, "nobody@unknown.example"))
        cr.rollback()
    sink.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
