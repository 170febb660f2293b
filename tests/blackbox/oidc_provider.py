"""A district's identity provider for the app's sign-in tests: OpenID Connect authorization code flow with PKCE,
over real HTTP (a test double for a system we do not run, speaking its protocol).

Discovery (`/.well-known/openid-configuration`), the authorization endpoint (the user is taken as signed in at
the provider: `user` holds their claims; `deny` answers access_denied instead), the token endpoint (a code once,
within 60 s, for the client and redirect URI it was issued to, and only with the PKCE verifier whose S256
challenge came with it), and the key set. Access tokens are RS256 JWTs for the API (`aud` homegrown) carrying
the user's claims; ID tokens are for the client, with the nonce. CORS for the app's origin, as providers answer
browser clients. Every request is recorded.
"""

from __future__ import annotations

import base64
import hashlib
import http.server
import json
import secrets
import threading
import time
from urllib.parse import parse_qs, urlencode, urlparse

import jwt

from hgtest import AUDIENCE
from test_jwks import Key


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Provider(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, client_id: str, redirect_uri: str, origin: str, port: int = 0) -> None:
        self.issuer = ""  # known once bound (port 0: any free port)
        self.client_id = client_id
        self.redirect_uri = redirect_uri
        self.origin = origin
        self.key = Key("idp-rsa-1", "rsa")
        self.user: dict = {}
        self.deny = False
        self.codes: dict[str, dict] = {}
        self.requests: list[dict] = []
        self.issued: list[str] = []  # access tokens
        provider = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _send(self, status: int, body: dict | None = None, headers: dict | None = None) -> None:
                data = json.dumps(body).encode() if body is not None else b""
                self.send_response(status)
                for k, v in {"Access-Control-Allow-Origin": provider.origin, "Cache-Control": "no-store",
                             **(headers or {})}.items():
                    self.send_header(k, v)
                if body is not None:
                    self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_OPTIONS(self) -> None:  # noqa: N802 - http.server's name
                self._send(204, None, {"Access-Control-Allow-Methods": "GET, POST",
                                       "Access-Control-Allow-Headers": "Content-Type, Authorization"})

            def do_GET(self) -> None:  # noqa: N802
                url = urlparse(self.path)
                q = {k: v[0] for k, v in parse_qs(url.query).items()}
                provider.requests.append({"method": "GET", "path": url.path, "query": q})
                if url.path == "/idp/.well-known/openid-configuration":
                    base = provider.issuer
                    self._send(200, {"issuer": base, "authorization_endpoint": f"{base}/authorize",
                                     "token_endpoint": f"{base}/token", "jwks_uri": f"{base}/jwks",
                                     "response_types_supported": ["code"],
                                     "response_modes_supported": ["query", "fragment"],
                                     "grant_types_supported": ["authorization_code"],
                                     "subject_types_supported": ["public"],
                                     "id_token_signing_alg_values_supported": ["RS256"],
                                     "code_challenge_methods_supported": ["S256"],
                                     "token_endpoint_auth_methods_supported": ["none"]})
                elif url.path == "/idp/jwks":
                    self._send(200, {"keys": [provider.key.jwk()]})
                elif url.path == "/idp/authorize":
                    self._authorize(q)
                else:
                    self._send(404, {"error": "not_found"})

            def _authorize(self, q: dict) -> None:
                # A bad client or redirect URI is never redirected to (RFC 6749 4.1.2.1): an error page.
                if q.get("client_id") != provider.client_id or q.get("redirect_uri") != provider.redirect_uri:
                    self._send(400, {"error": "invalid_request", "error_description": "unknown client or redirect"})
                    return
                answer = {"state": q.get("state", "")}
                if (q.get("response_type") != "code" or q.get("code_challenge_method") != "S256"
                        or not q.get("code_challenge") or not q.get("state")):
                    answer["error"] = "invalid_request"
                elif provider.deny:
                    answer["error"] = "access_denied"
                else:
                    code = secrets.token_urlsafe(24)
                    provider.codes[code] = {"challenge": q["code_challenge"], "nonce": q.get("nonce"),
                                            "at": time.time(), "used": False}
                    answer["code"] = code
                sep = "#" if q.get("response_mode") == "fragment" else "?"
                self._send(302, None, {"Location": provider.redirect_uri + sep + urlencode(answer)})

            def do_POST(self) -> None:  # noqa: N802
                url = urlparse(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                provider.requests.append({"method": "POST", "path": url.path, "form": form})
                if url.path != "/idp/token":
                    self._send(404, {"error": "not_found"})
                    return
                grant = provider.codes.get(form.get("code", ""))
                verifier = form.get("code_verifier", "")
                ok = (form.get("grant_type") == "authorization_code" and grant is not None and not grant["used"]
                      and time.time() - grant["at"] < 60 and form.get("client_id") == provider.client_id
                      and form.get("redirect_uri") == provider.redirect_uri
                      and _b64url(hashlib.sha256(verifier.encode()).digest()) == grant["challenge"])
                if grant is not None:
                    grant["used"] = True  # a code once, whatever happens
                if not ok:
                    self._send(400, {"error": "invalid_grant"})
                    return
                now = int(time.time())
                access = jwt.encode({"iss": provider.issuer, "aud": AUDIENCE, "iat": now, "exp": now + 300,
                                     "azp": provider.client_id, **provider.user},
                                    provider.key.private, algorithm="RS256", headers={"kid": provider.key.kid})
                ident = jwt.encode({"iss": provider.issuer, "aud": provider.client_id, "iat": now, "exp": now + 300,
                                    "sub": provider.user.get("sub"),
                                    **({"nonce": grant["nonce"]} if grant["nonce"] else {})},
                                   provider.key.private, algorithm="RS256", headers={"kid": provider.key.kid})
                provider.issued.append(access)
                self._send(200, {"access_token": access, "id_token": ident, "token_type": "Bearer",
                                 "expires_in": 300, "scope": "openid profile email"})

            def log_message(self, *args) -> None:
                pass

        super().__init__(("127.0.0.1", port), Handler)
        self.issuer = f"http://127.0.0.1:{self.server_address[1]}/idp"
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def jwks_url(self) -> str:
        return f"{self.issuer}/jwks"
