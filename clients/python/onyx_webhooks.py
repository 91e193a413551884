"""Verify an Onyx webhook (Standard Webhooks signatures), by hand: no dependency beyond the
standard library. Onyx signs `{webhook-id}.{webhook-timestamp}.{raw body}` with HMAC-SHA256
under the endpoint's secret (`whsec_` + base64 key) and sends `v1,<base64 signature>` in
`webhook-signature`, one per valid secret (two while a rotated secret is in its grace period).

    event = verify(secret, request_headers, raw_body)  # raises WebhookVerificationError
"""

import base64
import hashlib
import hmac
import json
import time

TOLERANCE_SECONDS = 5 * 60


class WebhookVerificationError(Exception):
    pass


def _key(secret: str) -> bytes:
    return base64.b64decode(secret[len("whsec_"):] if secret.startswith("whsec_") else secret)


def sign(secret: str, webhook_id: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(_key(secret), f"{webhook_id}.{timestamp}.".encode() + body, hashlib.sha256)
    return "v1," + base64.b64encode(mac.digest()).decode()


def verify(secret: str, headers, body: bytes, now: float | None = None) -> dict:
    """Returns the event (parsed body) when a signature matches and the timestamp is recent."""
    get = (lambda name: headers.get(name)) if hasattr(headers, "get") else headers
    webhook_id = get("webhook-id")
    timestamp = get("webhook-timestamp")
    signatures = get("webhook-signature")
    if not webhook_id or not timestamp or not signatures:
        raise WebhookVerificationError("missing webhook-id, webhook-timestamp or webhook-signature")
    try:
        ts = int(timestamp)
    except ValueError as e:
        raise WebhookVerificationError("webhook-timestamp is not a number") from e
    now = time.time() if now is None else now
    if abs(now - ts) > TOLERANCE_SECONDS:
        raise WebhookVerificationError("webhook-timestamp is too far from now")
    expected = sign(secret, webhook_id, ts, body)
    for candidate in signatures.split(" "):
        if hmac.compare_digest(candidate, expected):
            event = json.loads(body)
            if event.get("id") != webhook_id:
                raise WebhookVerificationError("the body's id is not webhook-id")
            return event
    raise WebhookVerificationError("no signature matches")
