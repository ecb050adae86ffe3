#!/usr/bin/env python3
"""A Microsoft Graph calling bot using only the Python 3 standard library.

It answers incoming calls, plays a menu, listens for DTMF (1 = transfer to a PSTN number, 2 = opening hours then
hang up, 0 = hang up, anything else = the menu again), keeps calls alive and logs one line per event.

Configuration comes from the environment (the bot contract, see examples/README.md): GRAPH_BASE_URL (ending in
/v1.0), GRAPH_AUTHORITY, GRAPH_TENANT_ID, GRAPH_CLIENT_ID, GRAPH_CLIENT_SECRET, GRAPH_CA_FILE,
GRAPH_CALLBACK_OPENID_CONFIGURATION, GRAPH_CLOCK_RATE, BOT_PORT; optional BOT_CALLBACK_URL, BOT_TRANSFER_TARGET,
BOT_PROMPT_BASE_URL, BOT_KEEPALIVE_MINUTES. Graph posts notifications to http://127.0.0.1:$BOT_PORT/api/calling.
It prints "listening on <url>" once it takes calls and exits cleanly on SIGTERM or SIGINT.

Request shapes follow the Graph v1.0 docs (microsoftgraph/microsoft-graph-docs-contrib, api-reference/v1.0/api/),
named at each request.
"""

import base64
import hashlib
import hmac
import json
import os
import queue
import re
import signal
import ssl
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MAX_BODY = 1024 * 1024
CLOCK_SKEW_SECONDS = 300
# Graph's callback tokens are issued by the Bot Framework; some samples also accept tokens issued as Graph.
EXTRA_ISSUERS = ("https://graph.microsoft.com",)
HOURS_THEN_HANG_UP = "hours-then-hang-up"


def log_event(event, **fields):
    """One line per event on stdout: time, event name, then key=value pairs. Never a token or secret."""
    parts = []
    for key, value in fields.items():
        if value is None or value == "":
            continue
        text = value if isinstance(value, str) and not re.search(r"\s", value) else json.dumps(value)
        parts.append(f"{key}={text}")
    stamp = datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    sys.stdout.write(f"{stamp} {event}{' ' + ' '.join(parts) if parts else ''}\n")
    sys.stdout.flush()


class Config:
    def __init__(self, env):
        def need(name):
            value = (env.get(name) or "").strip()
            if not value:
                raise ValueError(f"{name} is not set: the bot needs GRAPH_BASE_URL, GRAPH_AUTHORITY, GRAPH_TENANT_ID, "
                                 "GRAPH_CLIENT_ID, GRAPH_CLIENT_SECRET and GRAPH_CALLBACK_OPENID_CONFIGURATION "
                                 "(see examples/README.md).")
            return value

        self.graph_base_url = need("GRAPH_BASE_URL").rstrip("/")
        if not self.graph_base_url.endswith("/v1.0"):
            raise ValueError(f"GRAPH_BASE_URL must end in /v1.0, not {self.graph_base_url!r}.")
        self.authority = need("GRAPH_AUTHORITY").rstrip("/")
        self.tenant_id = need("GRAPH_TENANT_ID")
        self.client_id = need("GRAPH_CLIENT_ID")
        self.client_secret = need("GRAPH_CLIENT_SECRET")
        self.openid_configuration = need("GRAPH_CALLBACK_OPENID_CONFIGURATION")
        def number(name, default, kind=float):
            text = (env.get(name) or "").strip() or default
            try:
                return kind(text)
            except ValueError:
                raise ValueError(f"{name} must be a number, not {text!r}.")

        self.clock_rate = number("GRAPH_CLOCK_RATE", "1")
        if not self.clock_rate > 0:
            raise ValueError("GRAPH_CLOCK_RATE must be a number above 0.")
        self.port = number("BOT_PORT", "3978", int)
        if not 0 <= self.port <= 65535:
            raise ValueError("BOT_PORT must be a port number (0 picks a free one).")
        # The scenario runner names it GRAPH_CALLBACK_URL (the bot contract); BOT_CALLBACK_URL is for running by hand.
        self.callback_url = (env.get("GRAPH_CALLBACK_URL") or env.get("BOT_CALLBACK_URL") or "").strip() or None
        self.transfer_target = (env.get("BOT_TRANSFER_TARGET") or "").strip() or "+14255550101"
        self.prompt_base_url = ((env.get("BOT_PROMPT_BASE_URL") or "").strip() or "https://cdn.contoso.example/prompts").rstrip("/")
        self.keepalive_minutes = number("BOT_KEEPALIVE_MINUTES", "15")
        if not 1 <= self.keepalive_minutes <= 44:
            raise ValueError("BOT_KEEPALIVE_MINUTES must be from 1 to 44.")
        ca_file = (env.get("GRAPH_CA_FILE") or "").strip()
        # With GRAPH_CA_FILE only that CA is trusted (the loopback emulator); without it, the system's CAs
        # (which honour SSL_CERT_FILE).
        self.ssl_context = ssl.create_default_context(cafile=ca_file) if ca_file else ssl.create_default_context()


class GraphError(Exception):
    def __init__(self, status, code, message):
        super().__init__(message)
        self.status = status
        self.code = code


def http_json(method, url, context, body=None, headers=None, form=None):
    """One HTTPS request; returns (status, headers, parsed JSON or None). 4xx/5xx are returned, not raised."""
    data = None
    headers = dict(headers or {})
    if form is not None:
        data = urllib.parse.urlencode(form).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    elif body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    elif method == "POST":
        data = b""
    req = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, context=context, timeout=30) as res:
            status, res_headers, text = res.status, res.headers, res.read()
    except urllib.error.HTTPError as err:
        status, res_headers, text = err.code, err.headers, err.read()
    try:
        parsed = json.loads(text) if text else None
    except ValueError:
        parsed = None
    return status, res_headers, parsed


class GraphClient:
    """Graph requests with an app-only token from the client-credentials grant (Entra's token endpoint)."""

    def __init__(self, config):
        self.config = config
        self._token = None
        self._token_expires = 0.0
        self._lock = threading.Lock()

    def token(self):
        with self._lock:
            # Renew five minutes early, as msal does.
            if self._token and time.time() < self._token_expires - 300:
                return self._token
            status, _, body = http_json("POST", f"{self.config.authority}/oauth2/v2.0/token", self.config.ssl_context, form={
                "client_id": self.config.client_id,
                "client_secret": self.config.client_secret,
                "grant_type": "client_credentials",
                "scope": "https://graph.microsoft.com/.default",
            })
            if status != 200 or not body or "access_token" not in body:
                reason = (body or {}).get("error_description") or (body or {}).get("error") or f"HTTP {status}"
                raise RuntimeError(f"sign-in failed: {reason.splitlines()[0]}")
            self._token = body["access_token"]
            self._token_expires = time.time() + float(body.get("expires_in", 3599))
            return self._token

    def send(self, method, path, body=None):
        """One Graph request. 429 and 503 are retried (up to 3 times) after Retry-After, per Graph's throttling
        guidance; the service did not act on those, so retrying a POST is safe."""
        client_request_id = str(uuid.uuid4())
        attempt = 1
        while True:
            status, headers, parsed = http_json(method, f"{self.config.graph_base_url}{path}", self.config.ssl_context, body=body, headers={
                "Authorization": f"Bearer {self.token()}",
                "client-request-id": client_request_id,
            })
            if status in (429, 503) and attempt <= 3:
                try:
                    wait = float(headers.get("Retry-After"))
                except (TypeError, ValueError):
                    wait = 2.0 ** attempt
                time.sleep(wait)
                attempt += 1
                continue
            if status >= 400:
                err = (parsed or {}).get("error") or {}
                raise GraphError(status, err.get("code", "unknown"), f"{method} {path} failed: HTTP {status} {err.get('code', '')} {err.get('message', '')}".strip())
            return parsed


# ---- callback token validation ------------------------------------------------------------------------------

# DER prefix of a PKCS#1 v1.5 DigestInfo for SHA-256 (RFC 8017, section 9.2, note 1).
SHA256_DIGEST_INFO = bytes.fromhex("3031300d060960864801650304020105000420")


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def rsa_pkcs1v15_sha256_verify(n, e, message, signature):
    """RSASSA-PKCS1-v1_5 verification with SHA-256 (RFC 8017, 8.2.2): s^e mod n must be exactly the encoded digest."""
    k = (n.bit_length() + 7) // 8
    if len(signature) != k:
        return False
    s = int.from_bytes(signature, "big")
    if s >= n:
        return False
    em = pow(s, e, n).to_bytes(k, "big")
    t = SHA256_DIGEST_INFO + hashlib.sha256(message).digest()
    if k < len(t) + 11:
        return False
    expected = b"\x00\x01" + b"\xff" * (k - len(t) - 3) + b"\x00" + t
    # Comparing the whole encoding (not parsing it) avoids the classic lenient-parser forgeries.
    return hmac.compare_digest(em, expected)


class CallbackAuthError(Exception):
    pass


class CallbackTokenValidator:
    """Checks the Bearer token on each notification, as the calling docs ask (MicrosoftDocs/msteams-docs,
    bots/calls-and-meetings/call-notifications.md): RS256, signed by a key published at the OpenID configuration's
    jwks_uri, that configuration's issuer, audience = our app id, not expired."""

    REFETCH_AFTER_SECONDS = 60

    def __init__(self, config):
        self.config = config
        self._lock = threading.Lock()
        self._issuer = None
        self._keys = {}
        self._fetched_at = 0.0

    def _fetch_keys(self):
        try:
            self._fetch_keys_once()
        except (OSError, ValueError, KeyError) as err:  # unreachable, not JSON, a key without n or e
            raise CallbackAuthError(f"cannot load the callback signing keys: {err}")

    def _fetch_keys_once(self):
        status, _, doc = http_json("GET", self.config.openid_configuration, self.config.ssl_context)
        if status != 200 or not isinstance(doc, dict) or "issuer" not in doc or "jwks_uri" not in doc:
            raise CallbackAuthError(f"cannot load the callback OpenID configuration (HTTP {status})")
        status, _, jwks = http_json("GET", doc["jwks_uri"], self.config.ssl_context)
        if status != 200 or not isinstance(jwks, dict):
            raise CallbackAuthError(f"cannot load the callback signing keys (HTTP {status})")
        keys = {}
        for jwk in jwks.get("keys", []):
            if jwk.get("kty") == "RSA" and jwk.get("kid"):
                keys[jwk["kid"]] = (int.from_bytes(b64url_decode(jwk["n"]), "big"), int.from_bytes(b64url_decode(jwk["e"]), "big"))
        self._issuer, self._keys, self._fetched_at = doc["issuer"], keys, time.time()

    def prefetch(self):
        """Loads the signing keys now, so the first notification is not slowed by two extra requests."""
        with self._lock:
            self._fetch_keys()

    def _key(self, kid):
        with self._lock:
            # Keys roll over: look again for an unknown kid, but not more than once a minute, so forged kids cannot
            # make us hammer the endpoint.
            if not self._fetched_at or (kid not in self._keys and time.time() - self._fetched_at > self.REFETCH_AFTER_SECONDS):
                self._fetch_keys()
            if kid not in self._keys:
                raise CallbackAuthError(f"unknown signing key {kid}")
            return self._keys[kid], self._issuer

    def validate(self, authorization):
        m = re.fullmatch(r"Bearer ([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]*)", authorization or "")
        if not m:
            raise CallbackAuthError("no Bearer JWT in Authorization")
        h, p, s = m.groups()
        try:
            header = json.loads(b64url_decode(h))
            claims = json.loads(b64url_decode(p))
            signature = b64url_decode(s)
        except ValueError:
            raise CallbackAuthError("the token is not base64url JSON")
        if not isinstance(header, dict) or not isinstance(claims, dict):
            raise CallbackAuthError("the token is not a JWT")
        if header.get("alg") != "RS256":
            raise CallbackAuthError(f"alg {header.get('alg')} is not RS256")
        if not isinstance(header.get("kid"), str):
            raise CallbackAuthError("the token names no kid")
        (n, e), issuer = self._key(header["kid"])
        if not rsa_pkcs1v15_sha256_verify(n, e, f"{h}.{p}".encode(), signature):
            raise CallbackAuthError("bad signature")
        now = time.time()
        if claims.get("iss") != issuer and claims.get("iss") not in EXTRA_ISSUERS:
            raise CallbackAuthError(f"issuer {claims.get('iss')} is not {issuer}")
        aud = claims.get("aud")
        if self.config.client_id not in (aud if isinstance(aud, list) else [aud]):
            raise CallbackAuthError(f"audience {aud} is not this app")
        if not isinstance(claims.get("exp"), (int, float)) or claims["exp"] + CLOCK_SKEW_SECONDS < now:
            raise CallbackAuthError("expired")
        if isinstance(claims.get("nbf"), (int, float)) and claims["nbf"] - CLOCK_SKEW_SECONDS > now:
            raise CallbackAuthError("not valid yet")
        if "tid" in claims and str(claims["tid"]).lower() != self.config.tenant_id.lower():
            raise CallbackAuthError(f"tenant {claims['tid']} is not ours")
        return claims


# ---- the IVR --------------------------------------------------------------------------------------------------

RESOURCE_URL = re.compile(r"/communications/calls/([^/]+)(?:/(operations|participants)(?:/([^/]+))?)?$", re.IGNORECASE)


class CallContext:
    def __init__(self, call_id):
        self.id = call_id
        self.established = False
        self.transferring = False
        self.last_tone_sequence = 0
        self.keepalive = None
        self.ended = False


class Ivr:
    """Notifications are handled in order on one worker thread; the HTTP handler only queues them, since Graph
    wants its answer within 5 seconds."""

    def __init__(self, config, graph, callback_url):
        self.config = config
        self.graph = graph
        self.callback_url = callback_url
        self.calls = {}
        self.ended = {}  # call ids that ended, oldest first (a dict keeps insertion order)
        self.lock = threading.Lock()
        self.inbox = queue.Queue()
        self.worker = threading.Thread(target=self._run, name="ivr", daemon=True)
        self.worker.start()

    def accept(self, body):
        for n in body.get("value") or []:
            if isinstance(n, dict):
                self.inbox.put(n)

    def _run(self):
        while True:
            n = self.inbox.get()
            if n is None:
                return
            url = n.get("resourceUrl") or n.get("resource") or ""
            # Ids may come upper-case without dashes: take them as they are, never as a strict GUID.
            m = RESOURCE_URL.search(url)
            if not m:
                log_event("notification.ignored", changeType=n.get("changeType"), resourceUrl=url)
                continue
            try:
                self._handle(m.group(1), (m.group(2) or "").lower() or None, m.group(3), n)
            except Exception as err:  # one bad notification must not stop the bot
                log_event("error", call=m.group(1), message=str(err))

    def _handle(self, call_id, child, child_id, n):
        data = n.get("resourceData") or {}
        change = n.get("changeType")
        if child == "operations":
            return self._on_operation(call_id, child_id, change, data)
        if child == "participants":
            log_event("participants", call=call_id, count=len(data) if isinstance(data, list) else None)
            return
        state = data.get("state")
        result = data.get("resultInfo") or {}
        if change == "created" and state == "incoming":
            return self._answer(call_id, data)
        call = self.calls.get(call_id.lower())
        if change == "deleted" or state == "terminated":
            if call_id.lower() in self.ended:
                return
            log_event("call.terminated", call=call_id, changeType=change, code=result.get("code"), subcode=result.get("subcode"), message=result.get("message"))
            self._forget(call_id)
            return
        if call is None:
            log_event("notification.unknownCall", call=call_id, changeType=change, state=state)
            return
        if state and state != "established":
            log_event(f"call.{state}", call=call_id)
        if state == "established":
            if call.transferring and data.get("resultInfo"):
                # A failed transfer puts the call back to established with the reason (call-transfer.md); an update
                # without resultInfo (a key pressed before "transferring" arrived) is not one.
                call.transferring = False
                log_event("transfer.failed", call=call_id, code=result.get("code"), subcode=result.get("subcode", result.get("subCode")), message=result.get("message"))
                self._play_prompt(call, "menu.wav", "menu")
            elif not call.established:
                call.established = True
                log_event("call.established", call=call_id)
                self._schedule_keepalive(call)
                self._subscribe_to_tone(call)
                self._play_prompt(call, "menu.wav", "menu")
        tone = data.get("toneInfo") or {}
        if isinstance(tone.get("sequenceId"), int) and tone["sequenceId"] > call.last_tone_sequence:
            call.last_tone_sequence = tone["sequenceId"]
            self._on_tone(call, str(tone.get("tone")))

    # docs: api-reference/v1.0/api/call-answer.md (service-hosted media example)
    def _answer(self, call_id, data):
        identity = (data.get("source") or {}).get("identity") or {}
        caller = (identity.get("user") or {}).get("displayName") or (identity.get("phone") or {}).get("id") or "unknown"
        log_event("call.incoming", call=call_id, **{"from": caller})
        self.calls[call_id.lower()] = CallContext(call_id)
        try:
            self.graph.send("POST", f"/communications/calls/{call_id}/answer", {
                "callbackUri": self.callback_url,
                "acceptedModalities": ["audio"],
                "mediaConfig": {"@odata.type": "#microsoft.graph.serviceHostedMediaConfig"},
            })
        except Exception:
            # Not ours any more; the notification that the call ended (408/1106 when too late) is still logged.
            self.calls.pop(call_id.lower(), None)
            raise
        log_event("call.answered", call=call_id)

    # docs: api-reference/v1.0/api/call-subscribetotone.md
    def _subscribe_to_tone(self, call):
        op = self.graph.send("POST", f"/communications/calls/{call.id}/subscribeToTone", {"clientContext": "ivr"}) or {}
        log_event("tones.subscribed", call=call.id, status=op.get("status"))

    # docs: api-reference/v1.0/api/call-playprompt.md
    def _play_prompt(self, call, file, client_context):
        op = self.graph.send("POST", f"/communications/calls/{call.id}/playPrompt", {
            "clientContext": client_context,
            "prompts": [{
                "@odata.type": "#microsoft.graph.mediaPrompt",
                "mediaInfo": {"@odata.type": "#microsoft.graph.mediaInfo", "uri": f"{self.config.prompt_base_url}/{file}"},
            }],
        }) or {}
        log_event("prompt.started", call=call.id, prompt=file, operation=op.get("id"))

    def _on_tone(self, call, tone):
        log_event("dtmf", call=call.id, tone=tone)
        if tone == "tone1":
            self._transfer(call)
        elif tone == "tone2":
            self._play_prompt(call, "hours.wav", HOURS_THEN_HANG_UP)
        elif tone == "tone0":
            self._hang_up(call)
        else:
            self._play_prompt(call, "menu.wav", "menu")

    # docs: api-reference/v1.0/api/call-transfer.md, "Example 3: Call transfer from a peer-to-peer call to PSTN number"
    def _transfer(self, call):
        call.transferring = True
        try:
            self.graph.send("POST", f"/communications/calls/{call.id}/transfer", {
                "transferTarget": {
                    "endpointType": "default",
                    "identity": {"phone": {"@odata.type": "#microsoft.graph.identity", "id": self.config.transfer_target}},
                },
            })
        except GraphError as err:
            call.transferring = False
            log_event("transfer.refused", call=call.id, target=self.config.transfer_target, message=str(err))
            if err.status < 500:
                self._play_prompt(call, "menu.wav", "menu")
            return
        log_event("transfer.requested", call=call.id, target=self.config.transfer_target)

    # docs: api-reference/v1.0/api/call-delete.md
    def _hang_up(self, call):
        self.graph.send("DELETE", f"/communications/calls/{call.id}")
        log_event("call.hungUp", call=call.id)

    def _on_operation(self, call_id, op_id, change, op):
        """A finished operation arrives as a `deleted` notification carrying the operation."""
        result = op.get("resultInfo") or {}
        log_event("operation", call=call_id, operation=op_id, changeType=change, type=str(op.get("@odata.type", "")).replace("#microsoft.graph.", ""),
                  status=op.get("status"), clientContext=op.get("clientContext"), code=result.get("code"), subcode=result.get("subcode"))
        call = self.calls.get(call_id.lower())
        if call and not call.ended and op.get("clientContext") == HOURS_THEN_HANG_UP and op.get("status") in ("completed", "failed"):
            self._hang_up(call)

    # docs: api-reference/v1.0/api/call-keepalive.md ("at least every 45 minutes"; one every 15 by default)
    def _schedule_keepalive(self, call):
        every = self.config.keepalive_minutes * 60 / self.config.clock_rate

        def tick():
            with self.lock:
                if call.ended:
                    return
                call.keepalive = threading.Timer(every, tick)
                call.keepalive.daemon = True
                call.keepalive.start()
            try:
                self.graph.send("POST", f"/communications/calls/{call.id}/keepAlive")
                log_event("keepAlive", call=call.id)
            except Exception as err:
                log_event("keepAlive.failed", call=call.id, message=str(err))
                # 404: the call is gone, as call-keepalive.md says; nothing left to keep alive.
                if isinstance(err, GraphError) and err.status == 404:
                    self._forget(call.id)

        with self.lock:
            call.keepalive = threading.Timer(every, tick)
            call.keepalive.daemon = True
            call.keepalive.start()

    def _forget(self, call_id):
        key = call_id.lower()
        with self.lock:
            self.ended[key] = True
            if len(self.ended) > 1000:
                del self.ended[next(iter(self.ended))]
            call = self.calls.pop(key, None)
            if call is None:
                return
            call.ended = True
            if call.keepalive:
                call.keepalive.cancel()

    def active_calls(self):
        return len(self.calls)

    def dispose(self):
        for key in list(self.calls):
            self._forget(key)
        self.inbox.put(None)


# ---- the HTTP side ----------------------------------------------------------------------------------------------

def make_handler(validator, get_ivr):
    class CallbackHandler(BaseHTTPRequestHandler):
        server_version = "GraphCallsSampleBot/1.0"

        def log_message(self, format, *args):  # the bot logs events, not every request
            pass

        def _reply(self, status, text=""):
            data = text.encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            self._reply(405 if self.path.split("?")[0] == "/api/calling" else 404, "POST Graph callbacks to /api/calling.")

        def do_POST(self):
            if self.path.split("?")[0] != "/api/calling":
                return self._reply(404, "Graph callbacks go to /api/calling.")
            try:
                length = int(self.headers.get("Content-Length") or "0")
            except ValueError:
                return self._reply(400, "Bad Content-Length.")
            if length < 0 or length > MAX_BODY:
                return self._reply(413, "Body too large.")
            raw = self.rfile.read(length)
            try:
                validator.validate(self.headers.get("Authorization"))
            except CallbackAuthError as err:
                log_event("callback.rejected", reason=str(err), **{"from": self.client_address[0]})
                # The calling docs: a notification whose token does not validate gets 403.
                return self._reply(403, "Forbidden")
            try:
                body = json.loads(raw)
            except ValueError:
                return self._reply(400, "Not JSON.")
            if not isinstance(body, dict) or not isinstance(body.get("value"), list):
                return self._reply(400, "Expected a commsNotifications body with value[].")
            get_ivr().accept(body)
            self._reply(202)

    return CallbackHandler


def main():
    try:
        config = Config(os.environ)
    except (ValueError, OSError, ssl.SSLError) as err:
        sys.stderr.write(f"bot failed to start: {err}\n")
        return 1
    graph = GraphClient(config)
    validator = CallbackTokenValidator(config)
    holder = {}
    try:
        server = ThreadingHTTPServer(("127.0.0.1", config.port), make_handler(validator, lambda: holder["ivr"]))
    except OSError as err:
        sys.stderr.write(f"bot failed to start: cannot listen on 127.0.0.1:{config.port}: {err}\n")
        return 1
    server.daemon_threads = True
    port = server.server_address[1]
    local_url = f"http://127.0.0.1:{port}/api/calling"
    ivr = holder["ivr"] = Ivr(config, graph, config.callback_url or local_url)
    log_event("config", graph=config.graph_base_url, clockRate=config.clock_rate, transferTarget=config.transfer_target, keepAliveMinutes=config.keepalive_minutes)

    def stop(signum, _frame):
        log_event("stopping", signal=signal.Signals(signum).name, activeCalls=ivr.active_calls())
        ivr.dispose()
        # shutdown() waits for serve_forever, which runs on this (main) thread: ask from another one.
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    sys.stdout.write(f"listening on {local_url}\n")
    sys.stdout.flush()

    def prefetch():
        # Token and callback keys now, so the first answer (15 s window, less on an accelerated clock) does not wait
        # for three extra requests; if Graph is not reachable yet, they load on first use.
        try:
            graph.token()
            validator.prefetch()
            log_event("prefetched")
        except Exception as err:
            log_event("prefetch.failed", message=str(err))

    threading.Thread(target=prefetch, name="prefetch", daemon=True).start()
    server.serve_forever(poll_interval=0.2)
    server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
