"""End-to-end check of the generated Python client against a running service (.ci/contract.sh):
token, packages, a sandbox order followed to an active service, activation materials, and a
received webhook verified with the hand-written verifier.

Environment: ONYX_BASE_URL, ONYX_CLIENT_ID, ONYX_CLIENT_SECRET (a sandbox credential).
"""

import http.server
import os
import queue
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "onyx-partner-api-client"))

from onyx_partner_api_client import AuthenticatedClient, Client  # noqa: E402
from onyx_partner_api_client.api.activation import get_activation, get_activation_qr  # noqa: E402
from onyx_partner_api_client.api.auth import create_access_token  # noqa: E402
from onyx_partner_api_client.api.catalogue import list_packages  # noqa: E402
from onyx_partner_api_client.api.orders import create_order, get_order  # noqa: E402
from onyx_partner_api_client.api.sandbox import sandbox_install_service  # noqa: E402
from onyx_partner_api_client.api.services import get_service  # noqa: E402
from onyx_partner_api_client.api.webhooks import create_webhook_endpoint  # noqa: E402
from onyx_partner_api_client.models import (  # noqa: E402
    CreateEndpoint,
    CreateOrder,
    EndpointWithSecret,
    EventType,
    ItemInput,
    Order,
    OrderType,
    TokenRequest,
    TokenResponse,
)

from onyx_webhooks import WebhookVerificationError, verify  # noqa: E402

BASE = os.environ["ONYX_BASE_URL"]
DEADLINE = time.monotonic() + 60


def step(text):
    print(f"[python e2e] {text}", flush=True)


def expect(value, kind, what):
    if not isinstance(value, kind):
        raise SystemExit(f"{what}: expected {kind.__name__}, got {value!r}")
    return value


def wait_for(what, check):
    while time.monotonic() < DEADLINE:
        result = check()
        if result:
            return result
        time.sleep(0.1)
    raise SystemExit(f"timed out waiting for {what}")


received = queue.Queue()


class Receiver(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        received.put((dict((k.lower(), v) for k, v in self.headers.items()), body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


def main():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()

    token = create_access_token.sync(
        client=Client(base_url=BASE),
        body=TokenRequest(
            grant_type="client_credentials",
            client_id=os.environ["ONYX_CLIENT_ID"],
            client_secret=os.environ["ONYX_CLIENT_SECRET"],
        ),
    )
    token = expect(token, TokenResponse, "token")
    step("token issued")
    api = AuthenticatedClient(base_url=BASE, token=token.access_token)

    packages = list_packages.sync(client=api)
    plan = next(p for p in packages.data if p.kind.value == "plan" and not p.compliance_requirements)
    step(f"{len(packages.data)} packages; plan {plan.package_id}")

    endpoint = create_webhook_endpoint.sync(
        client=api,
        body=CreateEndpoint(
            url=f"http://127.0.0.1:{server.server_port}/onyx",
            event_types=[EventType("service.active")],
        ),
    )
    endpoint = expect(endpoint, EndpointWithSecret, "webhook endpoint")
    step(f"webhook endpoint {endpoint.id}")

    order = create_order.sync(
        client=api,
        body=CreateOrder(
            type_=OrderType.ACTIVATE_SUBSCRIPTION,
            customer_reference="python-e2e",
            items=[ItemInput(package_id=plan.package_id)],
        ),
        idempotency_key=f"python-e2e-{time.time_ns()}",
    )
    order = expect(order, Order, "order")
    step(f"order {order.id} {order.state.value}")

    def completed():
        o = get_order.sync(order.id, client=api)
        return o if o.state.value == "completed" else None

    order = wait_for("the order to complete", completed)
    service_id = order.service_id
    step(f"order completed; service {service_id}")
    wait_for(
        "the service to be ready to install",
        lambda: get_service.sync(service_id, client=api).state.value == "ready_to_install",
    )
    materials = get_activation.sync(service_id, client=api)
    if not materials.activation_code.startswith("LPA:1$"):
        raise SystemExit(f"unexpected activation code {materials.activation_code!r}")
    step(f"activation materials read (ICCID {materials.iccid})")
    qr = get_activation_qr.sync_detailed(service_id, client=api)
    if qr.status_code != 200 or not qr.content.startswith(b"\x89PNG"):
        raise SystemExit(f"QR code: {qr.status_code}")
    step(f"QR code: {len(qr.content)} bytes of PNG")

    sandbox_install_service.sync(service_id, client=api)
    wait_for("the service to be active", lambda: get_service.sync(service_id, client=api).state.value == "active")
    step("service active")

    headers, body = received.get(timeout=max(1, DEADLINE - time.monotonic()))
    event = verify(endpoint.secret, headers, body)
    if event["type"] != "service.active" or event["data"]["service"]["id"] != service_id:
        raise SystemExit(f"unexpected event {event}")
    try:
        verify(endpoint.secret, headers, body.replace(b"active", b"failed"))
        raise SystemExit("a tampered body verified")
    except WebhookVerificationError:
        pass
    step(f"webhook {event['id']} ({event['type']}) verified; a tampered copy refused")
    server.shutdown()
    step("ok")


if __name__ == "__main__":
    main()
