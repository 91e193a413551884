// Verify an Onyx webhook (Standard Webhooks signatures), by hand, with node:crypto only.
// Onyx signs `${webhook-id}.${webhook-timestamp}.${raw body}` with HMAC-SHA256 under the
// endpoint's secret (`whsec_` + base64 key) and sends `v1,<base64 signature>` in
// `webhook-signature`, one per valid secret (two while a rotated secret is in its grace period).
import { createHmac, timingSafeEqual } from "node:crypto";
import type { components } from "./schema.js";

export type Event = components["schemas"]["Event"];

export const TOLERANCE_SECONDS = 5 * 60;

export class WebhookVerificationError extends Error {}

function key(secret: string): Buffer {
  return Buffer.from(secret.startsWith("whsec_") ? secret.slice(6) : secret, "base64");
}

export function sign(secret: string, id: string, timestamp: number, body: Buffer): string {
  const mac = createHmac("sha256", key(secret));
  mac.update(`${id}.${timestamp}.`);
  mac.update(body);
  return `v1,${mac.digest("base64")}`;
}

/** Returns the event when a signature matches and the timestamp is recent; throws otherwise. */
export function verify(
  secret: string,
  headers: Record<string, string | string[] | undefined>,
  body: Buffer,
  nowSeconds: number = Date.now() / 1000,
): Event {
  const header = (name: string): string | undefined => {
    const value = headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const id = header("webhook-id");
  const timestamp = header("webhook-timestamp");
  const signatures = header("webhook-signature");
  if (!id || !timestamp || !signatures) {
    throw new WebhookVerificationError("missing webhook-id, webhook-timestamp or webhook-signature");
  }
  const ts = Number(timestamp);
  if (!Number.isInteger(ts)) throw new WebhookVerificationError("webhook-timestamp is not a number");
  if (Math.abs(nowSeconds - ts) > TOLERANCE_SECONDS) {
    throw new WebhookVerificationError("webhook-timestamp is too far from now");
  }
  const expected = Buffer.from(sign(secret, id, ts, body));
  for (const candidate of signatures.split(" ")) {
    const given = Buffer.from(candidate);
    if (given.length === expected.length && timingSafeEqual(given, expected)) {
      const event = JSON.parse(body.toString("utf8")) as Event;
      if (event.id !== id) throw new WebhookVerificationError("the body's id is not webhook-id");
      return event;
    }
  }
  throw new WebhookVerificationError("no signature matches");
}
