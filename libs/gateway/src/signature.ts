import { createHmac, timingSafeEqual } from 'node:crypto';

/** Header carrying `t=<unix seconds>,v1=<hex HMAC-SHA256>`; Node lower-cases incoming names. */
export const SIGNATURE_HEADER = 'x-silvertrace-signature';
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export type SignatureVerification = { ok: true } | { ok: false; reason: string };

const HEX_SHA256 = /^[0-9a-f]{64}$/;

function nowInSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** HMAC-SHA256 over `${t}.${rawBody}`. Bytes are hashed as received, so a Buffer is signed verbatim. */
export function computeSignature(secret: string, t: number, rawBody: string | Uint8Array): string {
  return createHmac('sha256', secret).update(`${t}.`).update(rawBody).digest('hex');
}

/** Returns the header value for `rawBody`; sign exactly the bytes that go on the wire. */
export function signBody(
  rawBody: string | Uint8Array,
  secret: string,
  nowSeconds: number = nowInSeconds(),
): string {
  if (!secret) throw new Error('signBody: an empty secret would sign nothing');
  const t = Math.floor(nowSeconds);
  return `t=${t},v1=${computeSignature(secret, t, rawBody)}`;
}

/**
 * Checks a signature header against the raw body. Several `v1` values are accepted (any may match)
 * so a sender can sign with an old and a new secret while keys rotate; unknown schemes are ignored.
 */
export function verifySignature(
  header: string | undefined,
  rawBody: string | Uint8Array,
  secret: string,
  nowSeconds: number = nowInSeconds(),
  toleranceSeconds: number = SIGNATURE_TOLERANCE_SECONDS,
): SignatureVerification {
  if (!secret) return { ok: false, reason: 'no gateway secret configured' };
  if (header === undefined || header.trim() === '') {
    return { ok: false, reason: 'missing signature header' };
  }

  let t: number | undefined;
  const candidates: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) return { ok: false, reason: 'malformed signature header' };
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') {
      if (t !== undefined || !/^\d{1,12}$/.test(value)) {
        return { ok: false, reason: 'malformed signature header: bad timestamp' };
      }
      t = Number(value);
    } else if (key === 'v1') {
      if (!HEX_SHA256.test(value.toLowerCase())) {
        return { ok: false, reason: 'malformed signature header: bad v1 digest' };
      }
      candidates.push(value.toLowerCase());
    }
  }
  if (t === undefined) return { ok: false, reason: 'malformed signature header: no timestamp' };
  if (candidates.length === 0) return { ok: false, reason: 'malformed signature header: no v1' };

  const now = Math.floor(nowSeconds);
  if (t < now - toleranceSeconds) return { ok: false, reason: 'signature timestamp too old' };
  if (t > now + toleranceSeconds) return { ok: false, reason: 'signature timestamp in the future' };

  const expected = Buffer.from(computeSignature(secret, t, rawBody), 'hex');
  // Check every candidate so the time taken does not reveal which one matched.
  let matched = false;
  for (const candidate of candidates) {
    if (timingSafeEqual(expected, Buffer.from(candidate, 'hex'))) matched = true;
  }
  return matched ? { ok: true } : { ok: false, reason: 'signature mismatch' };
}
