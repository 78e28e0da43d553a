"""Text messages: how the outbox stores them, and the senders that deliver them.

An SMS row of the outbox (channel "sms") keeps in its ``body`` a small JSON object:
``{"kind": "tracking_code", "params": {"code": "EDQ-…"}, "text": "…"}``. ``text`` is the
message as the person reads it, in their language; ``kind`` names the gateway template in
``SMS_TEMPLATES`` (looked up when it is sent, so a renamed template applies to texts waiting);
``params`` are that template's values. Admins read ``text``; the worker sends all three.

``SMS_SENDER`` chooses the sender:

``log``
    writes the number and the text to the app's log (development).
``http``
    the HTTP gateway: one ``POST`` to ``SMS_GATEWAY_URL`` per text, with the header
    ``Authorization: Bearer <SMS_GATEWAY_KEY>`` and the JSON body
    ``{"to": "13800138000", "template": "PV_TRACKING_CODE", "params": {…}, "text": "…"}``.
    Any 2xx answer means the gateway took the text. A 4xx other than 401, 403 and 429 means it
    refused this number or text (counted against the number, ``addresses.record_failure``);
    anything else (5xx, 401/403/429, no connection, a timeout) is the gateway's trouble. Either
    way the outbox retries the text later, with its usual backoff.
"""

import json
import logging
import urllib.error
import urllib.request
from datetime import datetime, time, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

log = logging.getLogger(__name__)

GATEWAY_TIMEOUT = 10  # seconds
# Texts over the day's cap wait for the next day, until this hour of the district's morning.
MORNING_HOUR = 8
# A sign-in code is good for minutes: one over the cap is given up on instead of sent
# tomorrow, when it no longer works.
EXPIRING_KINDS = frozenset({"sign_in_code"})
_GATEWAY_FAULTS = (401, 403, 429)


class Text(NamedTuple):
    kind: str
    text: str
    params: dict


def text_body(kind: str, text: str, params: dict | None = None) -> str:
    """The outbox ``body`` of a text message (see the module's docstring)."""
    return json.dumps(
        {"kind": kind, "params": params or {}, "text": text}, ensure_ascii=False, sort_keys=True
    )


def parse_text_body(body: str) -> Text:
    """The kind, text and params of an SMS row's body; a body that is not our JSON (typed by
    hand, say) is sent as plain text of the kind "status"."""
    try:
        data = json.loads(body)
    except ValueError:
        return Text("status", body, {})
    if not isinstance(data, dict) or not isinstance(data.get("text"), str):
        return Text("status", body, {})
    params = data.get("params") if isinstance(data.get("params"), dict) else {}
    return Text(str(data.get("kind") or "status"), data["text"], params)


class SmsError(Exception):
    """The text was not sent; the outbox retries it later."""


class SmsRefusedError(SmsError):
    """The gateway refused this number or text (counted against the number)."""


class SmsUnreachableError(SmsError):
    """No answer from the gateway at all (the worker's round stops early, as for SMTP)."""


class LogSender:
    """Writes each text to the app's log (``SMS_SENDER = "log"``, for development)."""

    def __init__(self, config):
        self.templates = config["SMS_TEMPLATES"]

    def send(self, number: str, text: Text) -> None:
        log.info("SMS to %s [%s]: %s", number, self.templates.get(text.kind), text.text)


class HttpSender:
    """Posts each text to the HTTP gateway (``SMS_SENDER = "http"``; see the module)."""

    def __init__(self, config):
        self.url = config["SMS_GATEWAY_URL"]
        self.key = config["SMS_GATEWAY_KEY"]
        self.templates = config["SMS_TEMPLATES"]
        if not self.url.startswith(("https://", "http://")):
            raise RuntimeError("SMS_GATEWAY_URL must be an http(s) address when SMS_SENDER=http")

    def send(self, number: str, text: Text) -> None:
        payload = {
            "to": number,
            "template": self.templates.get(text.kind),
            "params": text.params,
            "text": text.text,
        }
        request = urllib.request.Request(  # noqa: S310 -- the scheme is checked above
            self.url,
            data=json.dumps(payload, ensure_ascii=False).encode(),
            method="POST",
            headers={
                "Authorization": f"Bearer {self.key}",
                "Content-Type": "application/json; charset=utf-8",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=GATEWAY_TIMEOUT) as response:  # noqa: S310
                response.read()
        except urllib.error.HTTPError as error:
            error.close()
            ours = error.code >= 500 or error.code in _GATEWAY_FAULTS
            fault = SmsError if ours else SmsRefusedError
            raise fault(f"gateway answered {error.code}") from error
        except OSError as error:  # URLError, a refused connection, a timeout
            raise SmsUnreachableError(f"gateway unreachable: {error}") from error


SENDERS = {"log": LogSender, "http": HttpSender}


def sender_from(config):
    """The sender ``SMS_SENDER`` names."""
    name = config["SMS_SENDER"]
    if name not in SENDERS:
        raise RuntimeError(f"SMS_SENDER must be one of {', '.join(SENDERS)}, not {name!r}")
    return SENDERS[name](config)


def district_day(now: datetime, zone: str) -> tuple[datetime, datetime]:
    """The start and end (aware, UTC) of the district's calendar day that contains ``now``."""
    local = now.astimezone(ZoneInfo(zone))
    start = datetime.combine(local.date(), time(), tzinfo=local.tzinfo)
    end = datetime.combine(local.date() + timedelta(days=1), time(), tzinfo=local.tzinfo)
    return start.astimezone(now.tzinfo), end.astimezone(now.tzinfo)


def next_morning(now: datetime, zone: str) -> datetime:
    """``MORNING_HOUR`` of the district's next day, when a text over today's cap is sent."""
    local = now.astimezone(ZoneInfo(zone))
    morning = datetime.combine(local.date() + timedelta(days=1), time(MORNING_HOUR), local.tzinfo)
    return morning.astimezone(now.tzinfo)
