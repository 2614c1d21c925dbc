"""A local OAuth 2.0 provider for the tests: the only stand-in for Google and Microsoft.

Plain module with no Odoo import (standard library only). :class:`OAuthServer` serves, on
127.0.0.1 and a free port, what Odoo's ``google_gmail`` and ``microsoft_outlook`` modules and the
test Dovecot ask a real provider for:

- ``POST /token``: the OAuth 2.0 token endpoint (RFC 6749): ``grant_type=authorization_code``
  turns a code from :meth:`OAuthServer.issue_code` into a refresh token and an access token;
  ``grant_type=refresh_token`` gives a new access token (and, as Microsoft does, a new refresh
  token and an ``id_token`` naming the account). A revoked or unknown grant gets
  ``400 {"error": "invalid_grant"}``, as the providers answer.
- ``GET /api/mail_oauth/1/gmail_access_token``: Odoo's IAP proxy for Gmail (used when no client id
  and secret are set): ``[access_token, expiration]`` for a refresh token.
- ``GET /oauth2/v2/userinfo``: Google's user information for an access token.
- ``POST /introspect``: token introspection (RFC 7662) for Dovecot's ``oauth2`` passdb:
  ``{"active": true, "email": <login>}`` for a valid access token, ``{"active": false}`` else.
- ``GET /authorize``: the consent page a browser is sent to (a plain page naming the client).

Access tokens live ``access_lifetime`` seconds (:meth:`expire_access_tokens` ends them at once);
:meth:`revoke` ends every token of an account, as a user removing the app's access does.
``requests`` lists every call (path and grant type, never a token) so that tests can check what
Odoo asked for.
"""

from __future__ import annotations

import base64
import json
import secrets
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer
from urllib.parse import parse_qs
from urllib.parse import urlsplit

HOST = "127.0.0.1"


@dataclass
class _Grant:
    login: str
    revoked: bool = False


class OAuthServer:
    """Start with :meth:`start` (or ``with``); ``url`` is its base URL, ``introspection_url`` the
    address to give Dovecot."""

    def __init__(self, access_lifetime: int = 3600):
        self.access_lifetime = access_lifetime
        self.requests: list[tuple[str, str]] = []
        self._codes: dict[str, str] = {}
        self._refresh: dict[str, _Grant] = {}
        self._access: dict[str, tuple[_Grant, float]] = {}
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> OAuthServer:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep the test output quiet (and tokens out of it)
                return

            def do_GET(self):
                parts = urlsplit(self.path)
                self._reply(*server._get(parts.path, _single(parse_qs(parts.query))))

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                form = _single(parse_qs(self.rfile.read(length).decode()))
                parts = urlsplit(self.path)
                self._reply(*server._post(parts.path, form))

            def _reply(self, status, body, content_type="application/json"):
                data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self._httpd = ThreadingHTTPServer((HOST, 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        httpd, self._httpd = self._httpd, None
        if httpd is not None:
            httpd.shutdown()
            httpd.server_close()

    def __enter__(self) -> OAuthServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def introspection_url(self) -> str:
        return f"{self.url}/introspect"

    # ------------------------------------------------------------------ what tests do

    def issue_code(self, login: str) -> str:
        """An authorization code for ``login``, as the provider gives after the user consents."""
        code = "code-" + secrets.token_urlsafe(12)
        with self._lock:
            self._codes[code] = login
        return code

    def grant(self, login: str) -> tuple[str, str, int]:
        """A refresh token, an access token and its expiry (epoch seconds) for ``login``, as
        Odoo's IAP proxy hands them to ``/google_gmail/iap_confirm``."""
        with self._lock:
            grant = _Grant(login)
            refresh = self._new_refresh(grant)
            access, expiry = self._new_access(grant)
        return refresh, access, expiry

    def expire_access_tokens(self) -> None:
        """Every access token given so far stops working (refresh tokens still do)."""
        with self._lock:
            self._access = {token: (grant, 0.0) for token, (grant, _exp) in self._access.items()}

    def revoke(self, login: str) -> None:
        """The account withdrew the app's access: its refresh and access tokens are refused."""
        with self._lock:
            for grant in [*self._refresh.values(), *(g for g, _e in self._access.values())]:
                if grant.login == login:
                    grant.revoked = True

    def check(self, login: str, access_token: str) -> bool:
        """Whether ``access_token`` is valid for ``login`` (for a stand-in SMTP server)."""
        grant = self._valid_access(access_token)
        return grant is not None and grant.login == login

    def count(self, path: str, grant_type: str = "") -> int:
        """How many requests were made to ``path`` (with ``grant_type``, when given)."""
        return sum(1 for p, g in self.requests if p == path and (not grant_type or g == grant_type))

    # ------------------------------------------------------------------ tokens

    def _new_refresh(self, grant: _Grant) -> str:
        token = "refresh-" + secrets.token_urlsafe(16)
        self._refresh[token] = grant
        return token

    def _new_access(self, grant: _Grant) -> tuple[str, int]:
        token = "access-" + secrets.token_urlsafe(16)
        expiry = time.time() + self.access_lifetime
        self._access[token] = (grant, expiry)
        return token, int(expiry)

    def _valid_access(self, token: str) -> _Grant | None:
        with self._lock:
            grant, expiry = self._access.get(token or "", (None, 0.0))
        if grant is None or grant.revoked or expiry <= time.time():
            return None
        return grant

    def _tokens(self, grant: _Grant, refresh: str) -> dict:
        access, _expiry = self._new_access(grant)
        payload = base64.urlsafe_b64encode(json.dumps({"email": grant.login}).encode())
        return {
            "token_type": "Bearer",
            "access_token": access,
            "expires_in": self.access_lifetime,
            "refresh_token": refresh,
            # unsigned: Odoo reads it from the token endpoint's own answer
            "id_token": "e30." + payload.decode().rstrip("=") + ".",
        }

    # ------------------------------------------------------------------ endpoints

    def _post(self, path: str, form: dict) -> tuple[int, dict]:
        self.requests.append((path, form.get("grant_type", "")))
        if path.endswith("/token"):
            return self._token(form)
        if path == "/introspect":
            grant = self._valid_access(form.get("token", ""))
            return 200, {"active": True, "email": grant.login} if grant else {"active": False}
        return 404, {"error": "not_found"}

    def _get(self, path: str, query: dict) -> tuple[int, dict | str] | tuple[int, str, str]:
        self.requests.append((path, ""))
        if path == "/api/mail_oauth/1/gmail_access_token":
            with self._lock:
                grant = self._refresh.get(query.get("refresh_token", ""))
                if grant is None or grant.revoked:
                    return 400, {"error": "invalid_grant"}
                access, expiry = self._new_access(grant)
            return 200, [access, expiry]
        if path == "/oauth2/v2/userinfo":
            grant = self._valid_access(query.get("access_token", ""))
            if grant is None:
                return 401, {"error": "invalid_token"}
            return 200, {"email": grant.login, "verified_email": True}
        if path.endswith("/authorize") or path == "/o/oauth2/v2/auth":
            client = query.get("client_id", "?")
            return 200, f"<html><body>Sign in to allow {client}</body></html>", "text/html"
        return 404, {"error": "not_found"}

    def _token(self, form: dict) -> tuple[int, dict]:
        grant_type = form.get("grant_type")
        with self._lock:
            if grant_type == "authorization_code":
                login = self._codes.pop(form.get("code", ""), None)
                if login is None:
                    return 400, {"error": "invalid_grant", "error_description": "Bad code."}
                grant = _Grant(login)
                return 200, self._tokens(grant, self._new_refresh(grant))
            if grant_type == "refresh_token":
                grant = self._refresh.get(form.get("refresh_token", ""))
                if grant is None or grant.revoked:
                    return 400, {
                        "error": "invalid_grant",
                        "error_description": "The grant was revoked or has expired.",
                    }
                return 200, self._tokens(grant, form["refresh_token"])
        return 400, {"error": "unsupported_grant_type"}


def _single(values: dict[str, list[str]]) -> dict[str, str]:
    return {key: items[0] for key, items in values.items() if items}
