"""The IMAP adapter: the only code of the addon that talks to an IMAP server.

A small protocol over ``imapclient`` that the mailbox model and :mod:`.sync` call, and nothing
else: :meth:`ImapSession.connect` (SSL/TLS, STARTTLS, or plain for a server on this machine only),
:meth:`~ImapSession.login` (or :meth:`~ImapSession.oauth2_login` with an OAuth 2.0 access token,
SASL XOAUTH2/OAUTHBEARER), :meth:`~ImapSession.list_folders` with their SPECIAL-USE flags,
:meth:`~ImapSession.status` and :meth:`~ImapSession.select` (UIDVALIDITY, UIDNEXT, message count and
HIGHESTMODSEQ when the server offers CONDSTORE), :meth:`~ImapSession.fetch_headers` and
:meth:`~ImapSession.fetch_bodies` by UID, :meth:`~ImapSession.search` by address, UID range or
Message-Id, :meth:`~ImapSession.move`, :meth:`~ImapSession.append` (mail the owner sent from Odoo,
to their Sent folder), and :meth:`~ImapSession.close`.

Guarantees:

- Mail is read with ``BODY.PEEK[...]`` only, and folders are selected read-only (``EXAMINE``) unless
  the caller asks to write (to move mail): the session never sets or clears ``\\Seen``.
- Every ``IMAPClient`` is created with a timeout and closed by :meth:`~ImapSession.close` (the
  session is a context manager). After a timeout or a dropped connection the socket is shut down
  without waiting for a LOGOUT that would never come.
- Certificates are verified by default. The caller may pass its own ``ssl.SSLContext`` or pin the
  SHA-256 fingerprint of a self-signed certificate the user accepted
  (:func:`fetch_certificate_fingerprint` reads it).
- Every failure is an :class:`ImapError` whose ``kind`` is one of :data:`ERROR_KINDS`; ``detail`` is
  the server's or the system's own text, never a password. Nothing here is translated: the model
  turns kinds into sentences.

Servers differ; the session smooths over what they are known to do (each quirk noticed is kept in
:attr:`ImapSession.quirks`, for logs and tests):

- UIDNEXT and UIDVALIDITY are taken from whichever answer has them: SELECT/EXAMINE, else the STATUS
  of the same folder read earlier in the session or asked for then, else (UIDNEXT only) computed
  from the highest UID (``UID FETCH *``). Courier-IMAP leaves UIDNEXT out of SELECT.
- UID sets are sent as ranges (``1:200``, ``3:5,9``), never as long lists. A server that refuses a
  set naming a UID that no longer exists (GNU Mailutils answers BAD to ``1,2,3`` once 2 is gone) is
  asked which UIDs of the range exist (``UID SEARCH``), and the command is sent again with those;
  from then on the session asks first.
"""

from __future__ import annotations

import errno
import functools
import hashlib
import hmac
import imaplib
import re
import socket
import ssl
import time
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from dataclasses import field
from datetime import datetime

from imapclient import IMAPClient
from imapclient import exceptions as imapclient_errors
from imapclient import imap4 as imapclient_imap4
from imapclient import imap_utf7
from imapclient import tls as imapclient_tls
from imapclient.response_parser import parse_fetch_response
from imapclient.response_parser import parse_response

__all__ = [
    "DEFAULT_TIMEOUT",
    "ERROR_KINDS",
    "LOCAL_HOSTS",
    "NEEDS_USER_ACTION",
    "OAUTH_MECHANISMS",
    "SECURITIES",
    "Credentials",
    "FetchedBody",
    "FetchedHeader",
    "Folder",
    "FolderStatus",
    "ImapError",
    "ImapSession",
    "classify_exception",
    "classify_login_failure",
    "fetch_certificate_fingerprint",
    "security_allowed",
    "uid_set",
]

SECURITIES = ("ssl", "starttls", "none")
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
DEFAULT_TIMEOUT = 30.0
# How often a wait for new mail (IDLE, or the sleep before a NOOP) asks whether to stop (seconds).
IDLE_SLICE = 5.0

ERROR_KINDS = (
    "auth",  # the server refused the login or password
    "auth_app_password",  # the server says an app password (two-factor authentication) is needed
    "tls",  # TLS handshake, certificate, or a server that refuses to work without TLS
    "unreachable",  # name not resolved, connection refused, no route to the host
    "timeout",  # the server did not answer in time
    "dropped",  # the connection was lost in the middle of a command
    "protocol",  # anything else: the server said NO/BAD, or answered something unexpected
)
# Kinds that retrying cannot fix: the owner must change the password or the connection settings.
NEEDS_USER_ACTION = frozenset({"auth", "auth_app_password", "tls"})

# How providers say "your normal password is refused because two-factor authentication is on: use an
# app password" (Gmail: "Application-specific password required", Yahoo, iCloud, Outlook.com, ...),
# lower-cased. Matched anywhere in the login failure text.
_APP_PASSWORD_HINTS = (
    "application-specific password",
    "application specific password",
    "app-specific password",
    "app specific password",
    "app password",
    "application password",
    "two-step verification",
    "2-step verification",
    "two-factor",
    "2fa",
    "web login required",
    "please log in via your web browser",
    "[webalert",
)
# Response codes of a login failure that are about the server, not the credentials (RFC 5530).
_TEMPORARY_LOGIN_CODES = ("[unavailable]", "[serverbug]", "[inuse]", "[limit]")
_PRIVACY_REQUIRED = "[privacyrequired]"
_UNREACHABLE_ERRNOS = frozenset(
    {
        errno.ECONNREFUSED,
        errno.EHOSTUNREACH,
        errno.ENETUNREACH,
        errno.EHOSTDOWN,
        errno.ENETDOWN,
        errno.EADDRNOTAVAIL,
    }
)
_DROPPED_ERRNOS = frozenset({errno.ECONNRESET, errno.EPIPE, errno.ECONNABORTED, errno.ENOTCONN})


class ImapError(Exception):
    """An IMAP failure, as a stable ``kind`` (one of :data:`ERROR_KINDS`) and the raw ``detail``."""

    def __init__(self, kind: str, detail: str = ""):
        if kind not in ERROR_KINDS:
            raise ValueError(f"unknown IMAP error kind {kind!r}")
        super().__init__(f"{kind}: {detail}" if detail else kind)
        self.kind = kind
        self.detail = detail

    @property
    def needs_user_action(self) -> bool:
        """True when retrying later cannot help (wrong password, TLS settings)."""
        return self.kind in NEEDS_USER_ACTION


@dataclass(frozen=True, slots=True)
class Folder:
    """A folder as the server lists it.

    ``flags`` are the LIST attributes (``\\HasNoChildren``, ``\\Sent``, ``\\Noselect``, ...);
    ``special_use`` is the RFC 6154 one among them (``\\Sent``, ``\\Trash``, ``\\Junk``,
    ``\\Drafts``, ``\\Archive``, ``\\All``, ``\\Flagged``, ``\\Important``), or None.
    """

    name: str
    delimiter: str | None
    flags: frozenset[str]
    special_use: str | None

    @property
    def selectable(self) -> bool:
        lowered = {flag.lower() for flag in self.flags}
        return not lowered & {"\\noselect", "\\nonexistent"}


@dataclass(frozen=True, slots=True)
class FolderStatus:
    """What STATUS or SELECT says of a folder. ``highestmodseq`` is None without CONDSTORE."""

    name: str
    uidvalidity: int
    uidnext: int
    messages: int
    highestmodseq: int | None = None


@dataclass(frozen=True, slots=True)
class FetchedHeader:
    """The header of one message, fetched without touching its flags.

    ``header`` is the raw header block (the requested fields only, when fields were given).
    ``flags`` are as the server reports them (``\\Seen``, ``\\Draft``, keywords...).
    ``internaldate`` is timezone-aware when the server gives a zone (it always should).
    """

    uid: int
    header: bytes
    size: int | None
    internaldate: datetime | None
    flags: frozenset[str]
    modseq: int | None = None


@dataclass(frozen=True, slots=True)
class FetchedBody:
    """One whole message (RFC 822 bytes), fetched with ``BODY.PEEK[]``."""

    uid: int
    raw: bytes


# SASL mechanisms that carry an OAuth 2.0 access token instead of a password.
OAUTH_MECHANISMS = ("XOAUTH2", "OAUTHBEARER")


@dataclass(frozen=True, slots=True)
class Credentials:
    """How to log in: ``login`` with a password (``mechanism`` "password") or with an OAuth 2.0
    access token (``mechanism`` one of :data:`OAUTH_MECHANISMS`). ``secret`` never shows in a repr,
    so a credentials value that ends up in a log or a traceback gives nothing away.
    """

    login: str
    secret: str = field(repr=False)
    mechanism: str = "password"

    def __post_init__(self):
        if self.mechanism != "password" and self.mechanism not in OAUTH_MECHANISMS:
            raise ValueError(f"unknown login mechanism {self.mechanism!r}")


SPECIAL_USE_FLAGS = frozenset(
    {"\\all", "\\archive", "\\drafts", "\\flagged", "\\junk", "\\sent", "\\trash", "\\important"}
)


def security_allowed(host: str, security: str) -> bool:
    """Tell whether ``security`` may be used with ``host``: no TLS only for this machine."""
    if security not in SECURITIES:
        return False
    return security != "none" or _bare_host(host) in LOCAL_HOSTS


def _bare_host(host: str) -> str:
    return (host or "").strip().lower().removeprefix("[").removesuffix("]")


def classify_login_failure(text: str) -> str:
    """Return the error kind of a refused LOGIN from the server's text.

    ``auth_app_password`` when the server says an app password is needed, ``tls`` when it refuses
    to log in without TLS, ``protocol`` when it says the failure is temporary (so the password must
    not be taken for wrong), else ``auth``.
    """
    lowered = (text or "").lower()
    if any(hint in lowered for hint in _APP_PASSWORD_HINTS):
        return "auth_app_password"
    if _PRIVACY_REQUIRED in lowered or "logindisabled" in lowered:
        return "tls"
    if any(code in lowered for code in _TEMPORARY_LOGIN_CODES):
        return "protocol"
    return "auth"


def classify_exception(exc: BaseException, phase: str) -> ImapError:
    """Map a failure of ``imapclient``, ``imaplib``, ``ssl`` or ``socket`` to an :class:`ImapError`.

    ``phase`` is ``"connect"`` (TCP, TLS handshake, greeting, STARTTLS), ``"login"`` or
    ``"command"``: a TLS error is a "tls" failure while connecting, and a lost connection after.
    """
    if isinstance(exc, ImapError):
        return exc
    cause = exc.__context__
    if isinstance(exc, imapclient_errors.LoginError) and isinstance(
        cause, imaplib.IMAP4.abort | OSError
    ):
        # imapclient turns every failure during LOGIN into LoginError, a lost connection too:
        # that is not a wrong password
        return classify_exception(cause, "command")
    detail = _detail(exc)
    if isinstance(exc, TimeoutError):
        return ImapError("timeout", detail)
    if isinstance(exc, ssl.SSLError):
        if phase == "connect" and not isinstance(exc, ssl.SSLEOFError | ssl.SSLZeroReturnError):
            return ImapError("tls", detail)
        return ImapError("dropped", detail)
    if isinstance(exc, socket.gaierror):
        return ImapError("unreachable", detail)
    if isinstance(exc, imapclient_errors.CapabilityError) and "STARTTLS" in detail:
        return ImapError("tls", detail)
    if isinstance(exc, imaplib.IMAP4.abort | EOFError):
        # imaplib's "abort" is its name for a connection that broke (EOF, reset, unexpected BYE)
        return ImapError("dropped", detail)
    if isinstance(exc, OSError):
        if exc.errno in _UNREACHABLE_ERRNOS or isinstance(exc, ConnectionRefusedError):
            return ImapError("unreachable", detail)
        if exc.errno in _DROPPED_ERRNOS or isinstance(exc, ConnectionError):
            return ImapError("dropped", detail)
        return ImapError("unreachable" if phase == "connect" else "dropped", detail)
    if isinstance(exc, imaplib.IMAP4.error) and phase == "login":
        return ImapError(classify_login_failure(detail), detail)
    return ImapError("protocol", detail)


def _detail(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    # imaplib quotes server text as a bytes repr: b'[AUTHENTICATIONFAILED] ...'
    match = re.fullmatch(r"b(['\"])(.*)\1", text, flags=re.S)
    return match.group(2) if match else text


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def _int_or_none(value) -> int | None:
    if isinstance(value, list | tuple):
        value = value[0] if value else None
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


@functools.cache
def _default_ssl_context() -> ssl.SSLContext:
    """The verifying context, made once: loading the system's CA store costs milliseconds."""
    return ssl.create_default_context()


def _ssl_context_pinned() -> ssl.SSLContext:
    """A context that accepts any certificate: only used with a pinned fingerprint, checked after."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def _fingerprint(tls_socket) -> str:
    der = tls_socket.getpeercert(binary_form=True) or b""
    return hashlib.sha256(der).hexdigest()


def _normalize_fingerprint(value: str) -> str:
    return re.sub(r"[^0-9a-f]", "", value.lower())


class _GreetingCapabilities:
    """imaplib asks CAPABILITY right after the greeting, a round trip, even when the greeting
    carried the list (``* OK [CAPABILITY ...]``: Dovecot, Cyrus, most servers): this takes the
    greeting's list then. Only the greeting's: after STARTTLS the list is asked again, over TLS
    (RFC 2595 3.1), as imaplib does."""

    _greeting_read = False

    def _get_capabilities(self):
        if not self._greeting_read:
            self._greeting_read = True
            greeting = self.untagged_responses.pop("CAPABILITY", None)
            if greeting and isinstance(greeting[-1], bytes) and greeting[-1].strip():
                self.capabilities = tuple(str(greeting[-1], self._encoding).upper().split())
                return
        super()._get_capabilities()


class _PlainIMAP4(_GreetingCapabilities, imapclient_imap4.IMAP4WithTimeout):
    pass


class _TlsIMAP4(_GreetingCapabilities, imapclient_tls.IMAP4_TLS):
    pass


class _Client(IMAPClient):
    """``IMAPClient`` without the CAPABILITY round trip after a greeting that gave the list."""

    def _create_IMAP4(self):
        timeout = getattr(self._timeout, "connect", None)
        if self.ssl:
            return _TlsIMAP4(self.host, self.port, self.ssl_context, timeout)
        return _PlainIMAP4(self.host, self.port, timeout)


class ImapSession:
    """One connection to one IMAP server.

    ``security`` is ``"ssl"`` (implicit TLS, usually port 993), ``"starttls"`` (usually 143) or
    ``"none"`` (only for localhost, 127.0.0.1 or ::1). ``ssl_context`` replaces the default,
    verifying one; ``pinned_fingerprint`` (SHA-256, hex, separators ignored) trusts exactly one
    certificate whatever its issuer and name. ``timeout`` (seconds) bounds connecting and every
    read.

    ``round_trips`` counts the IMAP commands this session waited for, a group of commands sent
    together (:meth:`statuses`) once (for benchmarks and for tests that check an incremental pass
    costs one command per folder).

    Use it as a context manager::

        with ImapSession(host, 993, "ssl", timeout=30) as session:
            session.login(login, password)
            for folder in session.list_folders(): ...
    """

    def __init__(
        self,
        host: str,
        port: int,
        security: str = "ssl",
        *,
        timeout: float = DEFAULT_TIMEOUT,
        ssl_context: ssl.SSLContext | None = None,
        pinned_fingerprint: str | None = None,
    ):
        if security not in SECURITIES:
            raise ValueError(f"security must be one of {SECURITIES}, not {security!r}")
        if not security_allowed(host, security):
            raise ValueError(
                "an IMAP connection without TLS is only allowed to this machine "
                f"(localhost, 127.0.0.1, ::1), not to {host!r}"
            )
        if ssl_context is not None and pinned_fingerprint:
            raise ValueError("give either ssl_context or pinned_fingerprint, not both")
        if security == "none" and (ssl_context is not None or pinned_fingerprint):
            raise ValueError("a connection without TLS has no certificate to trust")
        self.host = host
        self.port = int(port)
        self.security = security
        self.timeout = timeout
        self._ssl_context = ssl_context
        self._pinned = _normalize_fingerprint(pinned_fingerprint) if pinned_fingerprint else None
        self._client: IMAPClient | None = None
        self._broken = False
        self._selected: str | None = None
        self._selected_readonly = True
        self._capabilities: frozenset[str] = frozenset()
        self._statuses: dict[str, FolderStatus] = {}  # the last STATUS of each folder
        self._uids_of_selected: set[int] | None = None  # for servers that refuse UID sets
        self.quirks: set[str] = set()
        self.round_trips = 0

    # ------------------------------------------------------------------ lifecycle

    def __enter__(self) -> ImapSession:
        self.connect()
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        self.close()

    @property
    def connected(self) -> bool:
        return self._client is not None and not self._broken

    @property
    def encrypted(self) -> bool:
        """True when the connection is protected by TLS (implicit or after STARTTLS)."""
        return self._client is not None and isinstance(self._client.socket(), ssl.SSLSocket)

    def connect(self) -> None:
        """Open the connection (TCP, TLS, greeting; STARTTLS when asked). Idempotent."""
        if self._client is not None:
            return
        context = None
        if self.security != "none":
            context = self._ssl_context or (
                _ssl_context_pinned() if self._pinned else _default_ssl_context()
            )
        client = None
        try:
            client = _Client(
                self.host,
                self.port,
                ssl=self.security == "ssl",
                ssl_context=context if self.security == "ssl" else None,
                timeout=self.timeout,
            )
            client.normalise_times = False  # keep INTERNALDATE's time zone
            if self.security == "starttls":
                self.round_trips += 2  # STARTTLS, then CAPABILITY over TLS (imaplib asks it)
                client.starttls(context)
                # what imaplib asked over TLS: IMAPClient.capabilities() would ask once more
                capabilities = _capability_set(client._imap.capabilities)
            else:
                capabilities = _capability_set(client.capabilities())
            if self._pinned:
                actual = _fingerprint(client.socket())
                if not hmac.compare_digest(actual, self._pinned):
                    raise ImapError(
                        "tls", f"certificate fingerprint {actual} is not the trusted one"
                    )
        except BaseException as exc:
            if client is not None:
                _shutdown_quietly(client)
            if isinstance(exc, Exception):
                raise classify_exception(exc, "connect") from exc
            raise
        self._client = client
        self._capabilities = capabilities
        self._broken = False

    def close(self) -> None:
        """Log out and close; never raises, never waits on a connection already known broken."""
        client, self._client = self._client, None
        self._selected = None
        if client is None:
            return
        if self._broken:
            _shutdown_quietly(client)
            return
        try:
            client.logout()
        except Exception:  # the connection is going away either way
            _shutdown_quietly(client)

    @contextmanager
    def _command(self, phase: str = "command") -> Iterator[IMAPClient]:
        if self._client is None:
            raise ImapError("protocol", "not connected")
        if self._broken:
            raise ImapError("dropped", "the connection was lost earlier")
        self.round_trips += 1
        try:
            yield self._client
        except Exception as exc:
            error = classify_exception(exc, phase)
            if error.kind in ("timeout", "dropped"):
                self._broken = True  # the connection is in an unknown state: never reuse it
                self._selected = None
            raise error from exc

    # ------------------------------------------------------------------ session

    def login(self, login: str, password: str) -> None:
        """Authenticate. A refusal is kind "auth" or "auth_app_password".

        LOGIN carries only ASCII: other logins and passwords go by AUTHENTICATE PLAIN (UTF-8).
        """
        with self._command("login") as client:
            if (login + password).isascii():
                client.login(login, password)
            else:
                client.plain_login(login, password)
            # the login answer usually carries the new capability list; else this asks for it
            self._capabilities = _capability_set(client.capabilities())

    def oauth2_login(self, login: str, access_token: str, mechanism: str = "XOAUTH2") -> None:
        """Authenticate with an OAuth 2.0 access token (SASL XOAUTH2 or OAUTHBEARER).

        A refused or expired token is kind "auth", as a refused password: the caller gets a new
        token (or asks the owner to sign in again).
        """
        if mechanism not in OAUTH_MECHANISMS:
            raise ValueError(f"mechanism must be one of {OAUTH_MECHANISMS}, not {mechanism!r}")
        with self._command("login") as client:
            if mechanism == "OAUTHBEARER":
                client.oauthbearer_login(login, access_token)
            else:
                client.oauth2_login(login, access_token, mech=mechanism)
            self._capabilities = _capability_set(client.capabilities())

    def authenticate(self, credentials: Credentials) -> None:
        """Log in with a :class:`Credentials` value: a password, or an OAuth 2.0 access token."""
        if credentials.mechanism == "password":
            self.login(credentials.login, credentials.secret)
        else:
            self.oauth2_login(credentials.login, credentials.secret, credentials.mechanism)

    @property
    def capabilities(self) -> frozenset[str]:
        """The server's capabilities, upper-cased: the greeting's, then the post-login set."""
        return self._capabilities

    def has(self, capability: str) -> bool:
        return capability.upper() in self.capabilities

    # ------------------------------------------------------------------ folders

    def list_folders(self) -> list[Folder]:
        """All folders, with their flags and SPECIAL-USE attribute (XLIST on old Gmail servers)."""
        use_xlist = self.has("XLIST") and not self.has("SPECIAL-USE")
        with self._command() as client:
            rows = client.xlist_folders() if use_xlist else client.list_folders()
        return self._folders(rows, use_xlist)

    def list_folders_with_statuses(self) -> tuple[list[Folder], dict[str, FolderStatus]]:
        """All folders and, in the same round trip, the STATUS of each, where the server offers
        LIST-STATUS (RFC 5819: Dovecot, Gmail, Cyrus); elsewhere the folders and ``{}``.

        A folder the server gives no STATUS for (it may leave out one it cannot read), or one
        without UIDVALIDITY or UIDNEXT, is left out of the statuses: :meth:`status` asks for it.
        """
        if not self.has("LIST-STATUS"):
            return self.list_folders(), {}
        items = self._status_items()
        # the attributes a plain LIST gives (RFC 5258 gives them only when asked)
        options = ["CHILDREN"]
        if self.has("SPECIAL-USE"):
            options.append("SPECIAL-USE")
        options.append(f"STATUS ({' '.join(items)})")
        with self._command() as client:
            imap = client._imap
            typ, data = imap._simple_command(
                "LIST", '""', '"*"', "RETURN", f"({' '.join(options)})"
            )
            client._checkok("list", typ, data)
            _typ, rows = imap._untagged_response(typ, data, "LIST")
            _typ, status_rows = imap._untagged_response(typ, data, "STATUS")
            listed = client._proc_folder_list(rows)
        # a parent that is no folder itself: \NonExistent (RFC 5258), \Noselect to a plain LIST
        listed = [
            (tuple(b"\\Noselect" if f.lower() == b"\\nonexistent" else f for f in flags), *rest)
            for flags, *rest in listed
        ]
        statuses = self._parse_statuses(status_rows)
        return self._folders(listed, False), statuses

    def _folders(self, rows, use_xlist: bool) -> list[Folder]:
        folders = []
        for flags, delimiter, name in rows:
            flag_set = frozenset(_text(flag) for flag in flags)
            special = next((f for f in flag_set if f.lower() in SPECIAL_USE_FLAGS), None)
            if use_xlist and _text(name).upper() == "INBOX":
                special = None  # XLIST marks the inbox \Inbox: not a SPECIAL-USE folder
            folders.append(
                Folder(
                    name=_text(name),
                    delimiter=_text(delimiter) if delimiter else None,
                    flags=flag_set,
                    special_use=_canonical_special_use(special),
                )
            )
        return folders

    def status(self, folder: str) -> FolderStatus:
        """STATUS of a folder in one round trip, without selecting it.

        A server whose STATUS lacks UIDNEXT or UIDVALIDITY has the folder examined instead.
        """
        values = self._status_values(folder)
        if values.get("UIDVALIDITY") is None or values.get("UIDNEXT") is None:
            self.quirks.add("status_without_uids")
            return self.select(folder)
        status = _folder_status(folder, values, "MESSAGES")
        self._statuses[folder] = status
        return status

    def statuses(self, folders: Iterable[str]) -> dict[str, FolderStatus]:
        """STATUS of several folders in one round trip: the commands are sent together, then
        their answers read (pipelining, RFC 3501 5.5). A folder the server refuses, or whose
        answer lacks UIDVALIDITY or UIDNEXT, is left out: :meth:`status` asks for it alone (and
        raises the server's refusal)."""
        names = list(dict.fromkeys(folders))
        if not names:
            return {}
        what = f"({' '.join(self._status_items())})"
        rows = []
        with self._command() as client:
            imap = client._imap
            tags = [imap._command("STATUS", client._normalise_folder(name), what) for name in names]
            for tag in tags:
                try:
                    typ, data = imap._command_complete("STATUS", tag)
                except imaplib.IMAP4.abort:
                    raise
                except imaplib.IMAP4.error:  # BAD for this one folder: the others still answer
                    continue
                _typ, found = imap._untagged_response(typ, data, "STATUS")
                if typ == "OK":
                    rows.extend(found)
        statuses = self._parse_statuses(rows)
        return {name: statuses[name] for name in names if name in statuses}

    def _parse_statuses(self, rows) -> dict[str, FolderStatus]:
        """Untagged STATUS answers (``"INBOX" (MESSAGES 1 UIDNEXT 2 ...)``) by folder name."""
        rows = [row for row in rows or () if row not in (b"", None)]
        parsed = parse_response(rows) if rows else ()
        statuses = {}
        for index in range(0, len(parsed) - 1, 2):
            name, values = parsed[index], parsed[index + 1]
            if not isinstance(values, tuple):
                continue
            name = imap_utf7.decode(name) if isinstance(name, bytes) else str(name)
            values = _upper_keys(dict(zip(values[::2], values[1::2], strict=False)))
            if values.get("UIDVALIDITY") is None or values.get("UIDNEXT") is None:
                continue
            status = _folder_status(name, values, "MESSAGES")
            self._statuses[name] = statuses[name] = status
        return statuses

    def _status_items(self) -> list[str]:
        items = ["MESSAGES", "UIDNEXT", "UIDVALIDITY"]
        if self.has("CONDSTORE"):
            items.append("HIGHESTMODSEQ")
        return items

    def _status_values(self, folder: str) -> dict:
        with self._command() as client:
            data = client.folder_status(folder, self._status_items())
        return _upper_keys(data)

    def select(self, folder: str, *, readonly: bool = True) -> FolderStatus:
        """Select a folder, read-only (EXAMINE) unless ``readonly=False`` (needed to move mail).

        UIDVALIDITY or UIDNEXT missing from the answer are taken from the folder's STATUS (the
        one read earlier in this session when its UIDVALIDITY is the same, else asked for now);
        UIDNEXT, failing that, is computed from the highest UID.
        """
        with self._command() as client:
            data = client.select_folder(folder, readonly=readonly)
        self._selected = folder
        self._selected_readonly = readonly
        self._uids_of_selected = None
        values = _upper_keys(data)
        if values.get("UIDVALIDITY") is None or values.get("UIDNEXT") is None:
            values = self._complete_select(folder, values)
        return _folder_status(folder, values, "EXISTS")

    def _complete_select(self, folder: str, values: dict) -> dict:
        """Fill in what SELECT left out (see :meth:`select`)."""
        self.quirks.add("select_without_uidnext")
        known = self._statuses.get(folder)
        uidvalidity = _int_or_none(values.get("UIDVALIDITY"))
        if known is None or (uidvalidity is not None and known.uidvalidity != uidvalidity):
            try:
                extra = self._status_values(folder)
            except ImapError as error:
                if error.kind != "protocol":
                    raise
                extra = {}
            if uidvalidity is None or _int_or_none(extra.get("UIDVALIDITY")) == uidvalidity:
                values = {**extra, **{k: v for k, v in values.items() if v is not None}}
        else:
            values = {"UIDVALIDITY": known.uidvalidity, "UIDNEXT": known.uidnext, **values}
        if values.get("UIDNEXT") is None and values.get("UIDVALIDITY") is not None:
            values["UIDNEXT"] = self._computed_uidnext(_int_or_none(values.get("EXISTS")) or 0)
        return values

    def _computed_uidnext(self, exists: int) -> int:
        """The highest UID + 1 (a lower bound of UIDNEXT: enough to know what to fetch)."""
        self.quirks.add("uidnext_computed")
        if not exists:
            return 1
        with self._command() as client:
            response = _uid_fetch(client, "*", ["UID"])
        return max((int(uid) for uid in response), default=0) + 1

    @property
    def selected(self) -> str | None:
        return self._selected

    # ------------------------------------------------------------------ fetching

    def fetch_headers(
        self, uids: Iterable[int], fields: Sequence[str] | None = None
    ) -> list[FetchedHeader]:
        """Headers of the given UIDs of the selected folder, in UID order, flags untouched.

        ``fields`` names the header fields to fetch (``BODY.PEEK[HEADER.FIELDS (...)]``); None
        fetches the whole header (``BODY.PEEK[HEADER]``). UIDs that do not exist are left out.
        Pass a ``range`` for a UID range.
        """
        wanted = sorted(set(uids))
        if not wanted:
            return []
        section = f"HEADER.FIELDS ({' '.join(f.upper() for f in fields)})" if fields else "HEADER"
        items = [f"BODY.PEEK[{section}]", "RFC822.SIZE", "INTERNALDATE", "FLAGS"]
        condstore = self.has("CONDSTORE")
        if condstore:
            items.append("MODSEQ")
        response = self._fetch(wanted, items)
        headers = []
        for uid in sorted(response):
            data = response[uid]
            header = next(
                (v for k, v in data.items() if _text(k).upper().startswith("BODY[HEADER")), b""
            )
            headers.append(
                FetchedHeader(
                    uid=int(uid),
                    header=header or b"",
                    size=_int_or_none(data.get(b"RFC822.SIZE")),
                    internaldate=data.get(b"INTERNALDATE"),
                    flags=frozenset(_text(flag) for flag in data.get(b"FLAGS", ())),
                    modseq=_int_or_none(data.get(b"MODSEQ")) if condstore else None,
                )
            )
        return headers

    def fetch_bodies(self, uids: Iterable[int]) -> list[FetchedBody]:
        """Whole messages (``BODY.PEEK[]``) of the given UIDs of the selected folder, in UID order.

        The caller bounds memory by asking for a few at a time (:mod:`.sync` groups them by
        size). UIDs that no longer exist are left out.
        """
        wanted = sorted(set(uids))
        if not wanted:
            return []
        response = self._fetch(wanted, ["BODY.PEEK[]"])
        bodies = []
        for uid in sorted(response):
            raw = next((v for k, v in response[uid].items() if _text(k).upper() == "BODY[]"), None)
            if raw is not None:
                bodies.append(FetchedBody(int(uid), raw))
        return bodies

    def message_ids(self, uids: Iterable[int]) -> dict[int, str | None]:
        """``{uid: Message-Id}`` of those of ``uids`` that exist in the selected folder.

        The Message-Id is as written (angle brackets kept), or None when the mail has none.
        """
        found = {}
        for header in self.fetch_headers(uids, ["MESSAGE-ID"]):
            match = re.search(rb"<[^<>\s]+>", header.header)
            found[header.uid] = _text(match.group(0)) if match else None
        return found

    def _fetch(self, wanted: list[int], items: list[str]) -> dict:
        """UID FETCH of a sorted list of UIDs, sent as ranges, with the refused-set fallback."""
        if "uid_set_of_existing_only" in self.quirks:
            wanted = self._existing(wanted)
            if not wanted:
                return {}
        try:
            with self._command() as client:
                return _uid_fetch(client, uid_set(wanted), items)
        except ImapError as error:
            if error.kind != "protocol" or "uid_set_of_existing_only" in self.quirks:
                raise
            existing = self._existing(wanted)
            if existing == wanted:
                raise
            self.quirks.add("uid_set_of_existing_only")
            if not existing:
                return {}
            with self._command() as client:
                return _uid_fetch(client, uid_set(existing), items)

    def _existing(self, wanted: list[int]) -> list[int]:
        """Those of ``wanted`` that exist in the selected folder.

        Asked once per selected folder by message number (``FETCH 1:* (UID)``), which every server
        understands: the servers that refuse UID sets also misread UIDs in SEARCH.
        """
        if self._uids_of_selected is None:
            with self._command() as client:
                typ, data = client._imap.fetch("1:*", "(UID)")
            found = set()
            for line in data if typ == "OK" else []:
                match = re.search(rb"UID (\d+)", line if isinstance(line, bytes) else b"")
                if match:
                    found.add(int(match.group(1)))
            self._uids_of_selected = found
        return [uid for uid in wanted if uid in self._uids_of_selected]

    # ------------------------------------------------------------------ searching

    def search(
        self,
        *,
        address: str | Sequence[str] | None = None,
        fields: Sequence[str] = ("FROM", "TO", "CC", "BCC"),
        uid_range: tuple[int, int | None] | None = None,
        message_id: str | None = None,
    ) -> list[int]:
        """UIDs of the selected folder matching every criterion given, ascending.

        ``address``: mail where it (or, for a list, any of them) appears in any of ``fields``
        (IMAP matches substrings: the caller checks the parsed headers). ``uid_range``: ``(first,
        last)``, ``last`` None for "up to the newest". ``message_id``: mail whose Message-Id
        header contains it. With no criterion, all.
        """
        criteria: list = []
        uid_criterion = uid_range is not None and "uid_set_of_existing_only" not in self.quirks
        if uid_criterion:
            first, last = uid_range
            criteria += ["UID", f"{max(int(first), 1)}:{'*' if last is None else int(last)}"]
        if address:
            addresses = [address] if isinstance(address, str) else list(address)
            keys = [[field.upper(), one] for one in addresses for field in fields]
            criteria += _any_of(keys)
        if message_id:
            criteria += ["HEADER", "Message-ID", message_id.strip()]
        if not criteria:
            criteria = ["ALL"]
        charset = None if all(_is_ascii(c) for c in _flatten(criteria)) else "UTF-8"
        with self._command() as client:
            found = client.search(criteria, charset=charset)
        uids = sorted(int(uid) for uid in found)
        if uid_range is not None:
            # "n:*" includes the newest message even when its UID is below n (RFC 3501 6.4.8);
            # a server that ignores the UID criterion (or, like GNU Mailutils, reads it as message
            # numbers) is filtered here too
            first, last = uid_range
            inside = [uid for uid in uids if uid >= first and (last is None or uid <= last)]
            if uid_criterion and len(inside) != len(uids) and last is not None:
                self.quirks.add("uid_set_of_existing_only")
                return self.search(
                    address=address, fields=fields, uid_range=uid_range, message_id=message_id
                )
            uids = inside
        return uids

    # ------------------------------------------------------------------ writing

    def move(self, uids: Iterable[int], destination: str) -> str:
        """Move messages of the selected folder (selected with ``readonly=False``) elsewhere.

        Uses MOVE when offered, else COPY, ``\\Deleted`` and UID EXPUNGE of exactly these UIDs
        (UIDPLUS). Without UIDPLUS a plain EXPUNGE could remove other mail marked deleted, so the
        copies are made and the originals only flagged ``\\Deleted``. Returns the way used:
        ``"move"``, ``"copy_expunge"`` or ``"copy_flag"``.
        """
        wanted = sorted(set(uids))
        if not wanted:
            return "move"
        if self._selected is None or self._selected_readonly:
            raise ImapError("protocol", "select the folder with readonly=False before moving mail")
        uid_text = uid_set(wanted)
        if self.has("MOVE"):
            with self._command() as client:
                client.move(uid_text, destination)
            return "move"
        with self._command() as client:
            client.copy(uid_text, destination)
        with self._command() as client:
            client.add_flags(uid_text, [b"\\Deleted"], silent=True)
        if not self.has("UIDPLUS"):
            return "copy_flag"
        with self._command() as client:
            client.uid_expunge(uid_text)
        return "copy_expunge"

    def append(
        self, folder: str, raw: bytes, *, flags: Sequence[str] = (), when: datetime | None = None
    ) -> int | None:
        """APPEND a whole message to ``folder`` with ``flags`` (``("\\Seen",)`` for mail the owner
        sent); ``when`` becomes its INTERNALDATE (now by default). Returns its UID when the
        server says (UIDPLUS), else None. The only command that adds mail to the mailbox."""
        with self._command() as client:
            reply = client.append(folder, raw, flags=tuple(flags), msg_time=when)
        match = re.search(rb"APPENDUID \d+ (\d+)", reply if isinstance(reply, bytes) else b"")
        return int(match.group(1)) if match else None

    def wait_for_new_mail(
        self, seconds: float, should_stop: Callable[[], bool] = lambda: False
    ) -> bool:
        """Wait up to ``seconds`` for new mail in the selected folder; True once the server says
        the folder grew (an untagged EXISTS or RECENT).

        With IDLE (RFC 2177) the server tells at once; ``should_stop`` is asked every few seconds
        and ends the wait early. Without IDLE one NOOP asks, after ``seconds`` of sleep (polling).
        A server that drops the connection raises ``ImapError`` ("dropped" or "timeout").
        """
        if self._selected is None:
            raise ImapError("protocol", "no folder selected")
        if not self.has("IDLE"):
            deadline = time.monotonic() + seconds
            while not should_stop() and time.monotonic() < deadline:
                time.sleep(min(IDLE_SLICE, max(deadline - time.monotonic(), 0)))
            with self._command() as client:
                _text, responses = client.noop()
            return _announces_mail(responses)
        grew = False
        with self._command() as client:
            client.idle()
            try:
                deadline = time.monotonic() + seconds
                while not grew and not should_stop() and time.monotonic() < deadline:
                    wait = min(IDLE_SLICE, max(deadline - time.monotonic(), 0.01))
                    grew = _announces_mail(client.idle_check(timeout=wait))
            finally:
                _text, responses = client.idle_done()
        return grew or _announces_mail(responses)


def _announces_mail(responses) -> bool:
    """True when untagged responses (IDLE, NOOP) say the selected folder has more mail."""
    return any(
        isinstance(item, tuple) and len(item) >= 2 and item[1] in (b"EXISTS", b"RECENT")
        for item in responses or ()
    )


def _ranges(uids: Sequence[int]) -> list[tuple[int, int]]:
    """Sorted, distinct UIDs as ``(first, last)`` runs of consecutive numbers."""
    runs: list[tuple[int, int]] = []
    for uid in uids:
        if runs and uid == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], uid)
        else:
            runs.append((uid, uid))
    return runs


def uid_set(uids: Iterable[int]) -> str:
    """An IMAP UID set with ranges: ``[1, 2, 3, 5, 7, 8]`` gives ``"1:3,5,7:8"``."""
    runs = _ranges(sorted({int(uid) for uid in uids}))
    return ",".join(str(a) if a == b else f"{a}:{b}" for a, b in runs)


def _uid_fetch(client: IMAPClient, uids: str, items: Sequence[str]) -> dict:
    """``UID FETCH`` of a UID set given as text (ranges, ``*``), parsed as ``IMAPClient.fetch``
    parses it: that method accepts only lists of single UIDs."""
    typ, data = client._imap.uid("FETCH", uids, "(" + " ".join(items) + ")")
    if typ != "OK":
        raise imaplib.IMAP4.error(f"UID FETCH {uids} failed: {_text((data or [b''])[-1] or b'')}")
    return parse_fetch_response(data, client.normalise_times, True)


def _upper_keys(data: dict) -> dict:
    return {_text(key).upper(): value for key, value in data.items()}


def _capability_set(values: Iterable[bytes | str]) -> frozenset[str]:
    return frozenset(_text(value).upper() for value in values)


def _canonical_special_use(flag: str | None) -> str | None:
    if not flag:
        return None
    lowered = flag.lower()
    return "\\" + lowered[1:].capitalize() if lowered in SPECIAL_USE_FLAGS else None


def _folder_status(folder: str, data: dict, count_key: str) -> FolderStatus:
    values = {_text(key).upper(): value for key, value in data.items()}
    uidvalidity = _int_or_none(values.get("UIDVALIDITY"))
    uidnext = _int_or_none(values.get("UIDNEXT"))
    if uidvalidity is None or uidnext is None:
        raise ImapError("protocol", f"the server gave no UIDVALIDITY/UIDNEXT for {folder!r}")
    return FolderStatus(
        name=folder,
        uidvalidity=uidvalidity,
        uidnext=uidnext,
        messages=_int_or_none(values.get(count_key)) or 0,
        highestmodseq=_int_or_none(values.get("HIGHESTMODSEQ")),
    )


def _any_of(keys: list[list]) -> list:
    """IMAP's OR is binary: OR a (OR b c) for three keys.

    Split in halves, so that many keys nest only as deep as their logarithm (servers limit how
    deep a command's parentheses go).
    """
    if len(keys) == 1:
        return keys[0]
    half = len(keys) // 2
    return ["OR", _any_of(keys[:half]), _any_of(keys[half:])]


def _flatten(items) -> Iterator:
    for item in items:
        if isinstance(item, list | tuple):
            yield from _flatten(item)
        else:
            yield item


def _is_ascii(value) -> bool:
    return not isinstance(value, str) or value.isascii()


def _shutdown_quietly(client: IMAPClient) -> None:
    try:
        client.shutdown()
    except Exception:  # closing a connection that is already broken
        return


def fetch_certificate_fingerprint(
    host: str, port: int, security: str, *, timeout: float = DEFAULT_TIMEOUT
) -> str:
    """The SHA-256 fingerprint (hex) of the certificate a server presents, without verifying it.

    For a "trust this certificate" step: show it to the user, then pass it back as
    ``ImapSession(..., pinned_fingerprint=...)``. Nothing is sent but STARTTLS when asked.
    """
    if security not in ("ssl", "starttls"):
        raise ValueError("only TLS connections have a certificate")
    client = None
    try:
        client = IMAPClient(
            host,
            port,
            ssl=security == "ssl",
            ssl_context=_ssl_context_pinned() if security == "ssl" else None,
            timeout=timeout,
        )
        if security == "starttls":
            client.starttls(_ssl_context_pinned())
        return _fingerprint(client.socket())
    except Exception as exc:
        raise classify_exception(exc, "connect") from exc
    finally:
        if client is not None:
            _shutdown_quietly(client)
