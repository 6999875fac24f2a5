import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'banli-signature';

/**
 * The `Banli-Signature` header of a delivery: `t=<unix seconds>,v1=<hex HMAC-SHA256>`, the HMAC taken
 * with the webhook's secret over `<t>.<raw body>`. Signing the time as well lets a receiver refuse a
 * delivery replayed long after it was sent.
 */
export function signDelivery(secret: string, body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  return `t=${t},v1=${hmac(secret, t, body)}`;
}

/**
 * What a receiver runs: true when the header was made with this secret over this exact body, and its
 * time lies within `toleranceSeconds` of `now`.
 */
export function verifyDeliverySignature(secret: string, body: string, header: string | undefined, now = new Date(), toleranceSeconds = 300): boolean {
  const parts = new Map((header ?? '').split(',').map((p) => p.split('=', 2) as [string, string]));
  const t = Number(parts.get('t'));
  const v1 = parts.get('v1') ?? '';
  if (!Number.isInteger(t) || !/^[0-9a-f]{64}$/.test(v1)) return false;
  if (Math.abs(now.getTime() / 1000 - t) > toleranceSeconds) return false;
  return timingSafeEqual(Buffer.from(v1, 'hex'), Buffer.from(hmac(secret, t, body), 'hex'));
}

function hmac(secret: string, t: number, body: string): string {
  return createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
}
