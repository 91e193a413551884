"""Schemathesis extensions for the contract run (.ci/schemathesis.sh loads this file).

Two things the OpenAPI document cannot carry on its own:

1. The `cursor` string format. A cursor is opaque: only a `next_cursor` this API returned is
   valid, so no JSON Schema describes it. The document marks cursor parameters
   `format: cursor`; the strategy below draws cursors the way the service writes them
   (URL-safe base64 of `<microseconds since 1970>|<id>`, see src/pagination.rs), so positive
   cases page from somewhere real. Stateful runs also feed back real `next_cursor` values.

2. The 422 `validation_failed` guard. `positive_data_acceptance` is configured (in the
   script's schemathesis.toml) to accept 422 besides its defaults, because a 422 with a
   business-rule `code` (`package_not_found`, `insufficient_funds`, `service_not_found`,
   `idempotency_key_reused`, ...) depends on the state of the data, exactly like the 404 and
   409 the check accepts by default. The check below takes the other half back: a request
   valid by the document answered 422 `validation_failed` is a contract failure - the document
   failed to state a field rule - unless every field error is one of the few rules no schema
   can state, listed in STATEFUL_FIELD_RULES with the reason.
"""

from __future__ import annotations

import base64
import string

import schemathesis
from hypothesis import strategies as st

# --- 1. cursors ---------------------------------------------------------------------------

# The times the service accepts in a cursor: 1970-01-01T00:00:00Z to 9999-12-31T23:59:59Z
# (src/time.rs accepted_range), in microseconds.
_MAX_MICROS = 253_402_300_799_000_000
_ID = st.text(alphabet=string.ascii_letters + string.digits + "_", min_size=1, max_size=40)


def _cursor(micros: int, item_id: str) -> str:
    raw = f"{micros}|{item_id}".encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


schemathesis.openapi.format("cursor", st.builds(_cursor, st.integers(0, _MAX_MICROS), _ID))

# --- 2. field rules no schema can state ---------------------------------------------------

ANY_OPERATION = "*"

# (operation label or ANY_OPERATION, field code) -> why the rule depends on more than the request.
STATEFUL_FIELD_RULES = {
    (ANY_OPERATION, "in_future"): "a measurement time is compared with the server's clock",
    # A package update must leave a valid package: the patch is merged with the stored package
    # first, so whether a field is required or not allowed depends on the package's kind and
    # current values (src/catalogue/admin.rs).
    ("PATCH /v1/admin/packages/{package_id}", "required"): "merged with the stored package",
    ("PATCH /v1/admin/packages/{package_id}", "not_allowed"): "merged with the stored package",
    ("PATCH /v1/admin/packages/{package_id}", "local_single_country"): "merged with the stored package",
}


def _is_stateful(operation: str, field_code: str) -> bool:
    return (operation, field_code) in STATEFUL_FIELD_RULES or (
        ANY_OPERATION,
        field_code,
    ) in STATEFUL_FIELD_RULES


@schemathesis.check
def schema_valid_data_passes_validation(ctx, response, case):
    """A request the document calls valid is never refused with 422 `validation_failed`."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive or response.status_code != 422:
        return None
    try:
        problem = response.json()
    except ValueError:
        raise AssertionError("422 without a JSON problem body") from None
    if not isinstance(problem, dict) or problem.get("code") != "validation_failed":
        # A business rule about the current data (documented code), like a 404 or 409.
        return None
    errors = problem.get("errors") or [{}]
    unstated = [
        f"`{e.get('field')}`: {e.get('code')} ({e.get('message')})"
        for e in errors
        if not _is_stateful(case.operation.label, str(e.get("code")))
    ]
    if unstated:
        raise AssertionError(
            "Schema-valid request refused as invalid; the document does not state these rules:\n"
            + "\n".join(f"- {line}" for line in unstated)
        )
    return None
