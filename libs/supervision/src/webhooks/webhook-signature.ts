import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'banli-signature';

/**
 * The `Banli-Signature` header of a delivery: `t=<unix seconds>,v1=<hex HMAC-SHA256>`, the HMAC taken
 * with the webhook's secret over `<t>.<raw body>`; one `v1` per valid secret while a secret is rotated.
 * Signing the time as well lets a receiver refuse a delivery replayed long after it was sent.
 */
export function signDelivery(secrets: string | readonly string[], body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  return [`t=${t}`, ...[secrets].flat().map((secret) => `v1=${hmac(secret, t, body)}`)].join(',');
}

/**
 * What a receiver runs: true when one of the header's signatures was made with this secret over this
 * exact body, and its time lies within `toleranceSeconds` of `now`.
 */
export function verifyDeliverySignature(secret: string, body: string, header: string | undefined, now = new Date(), toleranceSeconds = 300): boolean {
  const parts = (header ?? '').split(',').map((p) => p.split('=', 2) as [string, string | undefined]);
  const t = Number(parts.find(([k]) => k === 't')?.[1]);
  const signatures = parts.filter(([k, v]) => k === 'v1' && /^[0-9a-f]{64}$/.test(v ?? '')).map(([, v]) => Buffer.from(v!, 'hex'));
  if (!Number.isInteger(t) || signatures.length === 0) return false;
  if (Math.abs(now.getTime() / 1000 - t) > toleranceSeconds) return false;
  const expected = Buffer.from(hmac(secret, t, body), 'hex');
  return signatures.some((s) => timingSafeEqual(s, expected));
}

function hmac(secret: string, t: number, body: string): string {
  return createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
}

/**
 * The Standard Webhooks headers (standardwebhooks.com): `webhook-id`, `webhook-timestamp` and
 * `webhook-signature: v1,<base64>` over `<id>.<timestamp>.<body>`, one signature per valid secret. A
 * secret written `whsec_<base64>` is the key those bytes spell; any other secret is used as it is
 * written, so a receiver verifies with `new Webhook(secret, { format: 'raw' })`.
 */
export function standardWebhookHeaders(messageId: string, secrets: readonly string[], body: string, at: Date): Record<string, string> {
  const timestamp = String(Math.floor(at.getTime() / 1000));
  const signatures = secrets.map((secret) => `v1,${createHmac('sha256', standardKey(secret)).update(`${messageId}.${timestamp}.${body}`).digest('base64')}`);
  return { 'webhook-id': messageId, 'webhook-timestamp': timestamp, 'webhook-signature': signatures.join(' ') };
}

function standardKey(secret: string): Buffer {
  if (secret.startsWith('whsec_')) return Buffer.from(secret.slice('whsec_'.length), 'base64');
  // As the Standard Webhooks libraries read a raw secret: one byte per character.
  return Buffer.from(Uint8Array.from(secret, (c) => c.charCodeAt(0)));
}
