"""Connection slots every Odoo worker on the database shares: PostgreSQL advisory locks.

Not a model. ``tools/imap/fleet.Gates`` caps the connections to one mail server host and to one
account; on its own it counts those of its process. :class:`AdvisorySlots` (its ``Slots``) makes
the caps hold for every process on the database (Odoo workers of every server, the INBOX
watcher): slot ``n`` of a name (``host:imap.example.com``) is the session-level advisory lock
``(hash of the name, n)``, taken with ``pg_try_advisory_lock`` for ``n`` in ``0..limit-1`` on a
database connection of its own, kept for the run (not one of Odoo's pooled connections: a lock
left on a pooled connection would outlive the run). PostgreSQL frees a session's locks when its
connection ends, so a killed worker, or one whose database connection broke, holds no slot.

Advisory locks are per database: processes of different databases (or a database and a copy)
do not see each other's slots.

The same connection keeps the back-offs every process shares (``Gates``' ``SharedBackoffs``):
rows of ``mail.capture.server.backoff``, written in autocommit (a back-off holds at once for
everyone, and is not undone when the transaction of the run or the button that set it rolls
back), with ``until`` on the database's clock (``clock_timestamp()``), handed to the gates as
seconds from now.
"""

import hashlib
import logging
import threading

import psycopg2

from odoo import sql_db

_logger = logging.getLogger(__name__)

# One statement takes the first free slot: the filter runs row by row under the LIMIT, so it
# stops at the first lock it gets (test_mailbox_slots counts the locks held to prove it). A
# session may lock what it holds again (advisory locks stack): the slots this connection holds
# are skipped first (CASE: evaluated in this order, unlike AND).
TAKE_SQL = """
    SELECT slot FROM generate_series(0, %s - 1) AS slot
     WHERE CASE WHEN slot = ANY(%s) THEN false ELSE pg_try_advisory_lock(%s, slot) END
     LIMIT 1
"""


# The database's clock, in UTC as Odoo stores datetimes.
NOW_SQL = "(clock_timestamp() AT TIME ZONE 'UTC')"
READ_BACKOFFS_SQL = f"""
    SELECT name, GREATEST(EXTRACT(EPOCH FROM until - {NOW_SQL}), 0), delay
      FROM mail_capture_server_backoff
"""
# Never shortens a back-off in force: another process may have set a longer one meanwhile.
HOLD_OFF_SQL = f"""
    INSERT INTO mail_capture_server_backoff AS b (name, scope, until, delay)
    VALUES (%(name)s, %(scope)s, {NOW_SQL} + make_interval(secs => %(delay)s), %(delay)s)
    ON CONFLICT (name) DO UPDATE
       SET until = GREATEST(b.until, EXCLUDED.until), delay = GREATEST(b.delay, EXCLUDED.delay)
    RETURNING GREATEST(EXTRACT(EPOCH FROM until - {NOW_SQL}), 0), delay
"""

# Only the ended ones: one in force was set after the connection that worked began.
CLEAR_BACKOFFS_SQL = (
    f"DELETE FROM mail_capture_server_backoff WHERE name = ANY(%s) AND until <= {NOW_SQL}"
)


def slot_key(name):
    """The advisory lock's first key for the slots called ``name`` (a signed 32-bit integer)."""
    digest = hashlib.blake2b(f"mail_lead_capture:{name}".encode(), digest_size=4).digest()
    return int.from_bytes(digest, "big", signed=True)


class AdvisorySlots:
    """Slots shared through PostgreSQL, on one connection of their own (thread-safe).

    Use as a context manager (or :meth:`close`): closing the connection gives back every slot it
    holds. Fails closed: when the database cannot be reached, no slot is given (the callers
    defer their connections), and slots taken before are gone with the connection anyway.
    """

    def __init__(self, dbname):
        self.dbname = dbname
        self._lock = threading.Lock()
        self._connection = None
        self._broken = False
        self._held = {}  # key -> slots this connection holds

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    @property
    def broken(self):
        """True once the connection failed: the slots it held are gone, none is given now."""
        return self._broken

    @property
    def backend_pid(self):
        """The PostgreSQL backend holding the slots (None before the first one)."""
        with self._lock:
            return self._connection.get_backend_pid() if self._connection else None

    def _cursor(self):
        if self._connection is None:
            _dbname, info = sql_db.connection_info_for(self.dbname)
            self._connection = psycopg2.connect(**info)
            self._connection.autocommit = True
        return self._connection.cursor()

    def take(self, name, limit):
        limit = int(limit)
        if limit < 1:
            return None
        key = slot_key(name)
        with self._lock:
            if self._broken:
                return None
            held = self._held.setdefault(key, set())
            try:
                with self._cursor() as cr:
                    cr.execute(TAKE_SQL, (limit, sorted(held), key))
                    row = cr.fetchone()
            except psycopg2.Error as error:
                self._fail(error)
                return None
            if not row:
                return None
            held.add(row[0])
        return (key, row[0])

    def give(self, token):
        key, slot = token
        with self._lock:
            if self._broken or self._connection is None:
                return  # gone with its connection
            if slot not in self._held.get(key, ()):
                return  # given back already
            try:
                with self._connection.cursor() as cr:
                    cr.execute("SELECT pg_advisory_unlock(%s, %s)", (key, slot))
            except psycopg2.Error as error:
                self._fail(error)
                return
            self._held[key].discard(slot)

    # ------------------------------------------------------------ back-offs (SharedBackoffs)

    def _backoff_query(self, query, params, fetch):
        """Run a back-off statement; its rows (None when the database failed: the gates go on
        with what they know, the slots fail closed)."""
        with self._lock:
            if self._broken:
                return None
            try:
                with self._cursor() as cr:
                    cr.execute(query, params)
                    return cr.fetchall() if fetch else []
            except psycopg2.Error as error:
                self._fail(error)
                return None

    def read_backoffs(self):
        rows = self._backoff_query(READ_BACKOFFS_SQL, (), True)
        if rows is None:
            return None
        return {name: (float(left), float(delay)) for name, left, delay in rows}

    def hold_off(self, name, delay):
        scope = "host" if name.startswith("host:") else "account"
        rows = self._backoff_query(
            HOLD_OFF_SQL, {"name": name, "scope": scope, "delay": float(delay)}, True
        )
        return (float(rows[0][0]), float(rows[0][1])) if rows else None

    def clear_backoffs(self, names):
        if names:
            self._backoff_query(
                CLEAR_BACKOFFS_SQL,
                (list(names),),
                False,
            )

    def _fail(self, error):
        _logger.warning(
            "Connection slots: the database connection failed (%s); no new IMAP connection is "
            "opened until the next run",
            error,
        )
        self._broken = True
        self._close()

    def _close(self):
        connection, self._connection = self._connection, None
        self._held = {}
        if connection is not None:
            try:
                connection.close()
            except psycopg2.Error:  # closed already: its locks went with it
                _logger.debug("Connection slots: the connection was closed already")

    def close(self):
        """Close the connection: every slot it holds is given back."""
        with self._lock:
            self._close()
