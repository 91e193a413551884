// End-to-end check of the generated TypeScript types against a running service
// (.ci/contract.sh): token, packages, a sandbox order followed to an active service,
// activation materials, and a received webhook verified with the hand-written verifier.
// Environment: ONYX_BASE_URL, ONYX_CLIENT_ID, ONYX_CLIENT_SECRET (a sandbox credential).
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import type { components, paths } from "./schema.js";
import { verify, WebhookVerificationError } from "./webhooks.js";

type Schemas = components["schemas"];
type Json<P extends keyof paths, M extends keyof paths[P], S extends number> =
  paths[P][M] extends { responses: { [K in S]: { content: { "application/json": infer T } } } } ? T : never;

const base = process.env.ONYX_BASE_URL!;
const deadline = Date.now() + 60_000;
const step = (text: string) => console.log(`[typescript e2e] ${text}`);

async function call<T>(method: string, path: string, token: string | null, body?: unknown, extra: Record<string, string> = {}): Promise<T> {
  const headers: Record<string, string> = { ...extra };
  if (token) headers.authorization = `Bearer ${token}`;
  let payload: string | undefined;
  if (body instanceof URLSearchParams) {
    headers["content-type"] = "application/x-www-form-urlencoded";
    payload = body.toString();
  } else if (body !== undefined) {
    headers["content-type"] = "application/json";
    payload = JSON.stringify(body);
  }
  const resp = await fetch(base + path, { method, headers, body: payload });
  if (!resp.ok) throw new Error(`${method} ${path}: ${resp.status} ${await resp.text()}`);
  return (await resp.json()) as T;
}

async function waitFor<T>(what: string, check: () => Promise<T | undefined>): Promise<T> {
  while (Date.now() < deadline) {
    const result = await check();
    if (result !== undefined) return result;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function main() {
  const received: Array<{ headers: IncomingHttpHeaders; body: Buffer }> = [];
  const receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  const port = (receiver.address() as AddressInfo).port;

  const form: Schemas["TokenRequest"] = {
    grant_type: "client_credentials",
    client_id: process.env.ONYX_CLIENT_ID!,
    client_secret: process.env.ONYX_CLIENT_SECRET!,
  };
  const token = await call<Json<"/v1/oauth/token", "post", 200>>(
    "POST", "/v1/oauth/token", null, new URLSearchParams(form as Record<string, string>));
  step("token issued");
  const t = token.access_token;

  const packages = await call<Json<"/v1/packages", "get", 200>>("GET", "/v1/packages", t);
  const plan = packages.data.find((p) => p.kind === "plan" && p.compliance_requirements.length === 0);
  if (!plan) throw new Error("no plan without compliance requirements");
  step(`${packages.data.length} packages; plan ${plan.package_id}`);

  const endpointBody: Schemas["CreateEndpoint"] = {
    url: `http://127.0.0.1:${port}/onyx`,
    event_types: ["service.active"],
  };
  const endpoint = await call<Json<"/v1/webhook-endpoints", "post", 201>>("POST", "/v1/webhook-endpoints", t, endpointBody);
  step(`webhook endpoint ${endpoint.id}`);

  const orderBody: Schemas["CreateOrder"] = {
    type: "activate_subscription",
    customer_reference: "typescript-e2e",
    items: [{ package_id: plan.package_id }],
  };
  const order = await call<Json<"/v1/orders", "post", 201>>("POST", "/v1/orders", t, orderBody,
    { "idempotency-key": `typescript-e2e-${Date.now()}` });
  step(`order ${order.id} ${order.state}`);

  const done = await waitFor("the order to complete", async () => {
    const o = await call<Json<"/v1/orders/{order_id}", "get", 200>>("GET", `/v1/orders/${order.id}`, t);
    return o.state === "completed" ? o : undefined;
  });
  const serviceId = done.service_id!;
  step(`order completed; service ${serviceId}`);
  await waitFor("the service to be ready to install", async () => {
    const s = await call<Json<"/v1/services/{service_id}", "get", 200>>("GET", `/v1/services/${serviceId}`, t);
    return s.state === "ready_to_install" ? s : undefined;
  });
  const materials = await call<Json<"/v1/services/{service_id}/activation", "get", 200>>(
    "GET", `/v1/services/${serviceId}/activation`, t);
  if (!materials.activation_code.startsWith("LPA:1$")) throw new Error(`activation code ${materials.activation_code}`);
  step(`activation materials read (ICCID ${materials.iccid})`);

  await call<Json<"/v1/sandbox/services/{service_id}/install", "post", 200>>(
    "POST", `/v1/sandbox/services/${serviceId}/install`, t);
  await waitFor("the service to be active", async () => {
    const s = await call<Schemas["Service"]>("GET", `/v1/services/${serviceId}`, t);
    return s.state === "active" ? s : undefined;
  });
  step("service active");

  const delivery = await waitFor("a webhook", async () => received[0]);
  const event = verify(endpoint.secret, delivery.headers, delivery.body);
  const data = event.data as Schemas["ServiceEventData"];
  if (event.type !== "service.active" || data.service.id !== serviceId) {
    throw new Error(`unexpected event ${JSON.stringify(event)}`);
  }
  let refused = false;
  try {
    verify(endpoint.secret, delivery.headers, Buffer.from(delivery.body.toString().replace("active", "failed")));
  } catch (e) {
    refused = e instanceof WebhookVerificationError;
  }
  if (!refused) throw new Error("a tampered body verified");
  step(`webhook ${event.id} (${event.type}) verified; a tampered copy refused`);
  receiver.close();
  step("ok");
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
