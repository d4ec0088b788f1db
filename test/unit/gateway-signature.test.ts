import { createHmac } from 'node:crypto';
import { SIGNATURE_HEADER, signBody, verifySignature } from '../../libs/gateway/src';

const secret = 'test-gateway-secret';
const body = JSON.stringify({ reference: 'ZA-2025-0001', decision: 'published' });
const now = 1_760_000_000;

function reasonOf(result: ReturnType<typeof verifySignature>): string | undefined {
  return result.ok ? undefined : result.reason;
}

describe('gateway signature', () => {
  it('names the header in lower case, as Node exposes incoming headers', () => {
    expect(SIGNATURE_HEADER).toBe('x-silvertrace-signature');
  });

  it('produces t=<seconds>,v1=<HMAC-SHA256 over "t.body">', () => {
    const header = signBody(body, secret, now);
    const expected = createHmac('sha256', secret).update(`${now}.${body}`).digest('hex');
    expect(header).toBe(`t=${now},v1=${expected}`);
  });

  it('verifies a good signature, also from the raw bytes', () => {
    const header = signBody(body, secret, now);
    expect(verifySignature(header, body, secret, now)).toEqual({ ok: true });
    expect(verifySignature(header, Buffer.from(body), secret, now + 299)).toEqual({ ok: true });
  });

  it('accepts a second v1 so senders can rotate secrets', () => {
    const old = signBody(body, 'old-secret', now).split(',')[1];
    expect(verifySignature(`${signBody(body, secret, now)},${old}`, body, secret, now)).toEqual({
      ok: true,
    });
  });

  it('rejects a tampered body', () => {
    const header = signBody(body, secret, now);
    expect(
      reasonOf(verifySignature(header, body.replace('published', 'refused'), secret, now)),
    ).toBe('signature mismatch');
  });

  it('rejects a wrong secret', () => {
    const header = signBody(body, 'another-secret', now);
    expect(reasonOf(verifySignature(header, body, secret, now))).toBe('signature mismatch');
  });

  it('rejects a signature older than 300 s', () => {
    const header = signBody(body, secret, now - 301);
    expect(reasonOf(verifySignature(header, body, secret, now))).toBe(
      'signature timestamp too old',
    );
    expect(verifySignature(signBody(body, secret, now - 300), body, secret, now)).toEqual({
      ok: true,
    });
  });

  it('rejects a timestamp too far in the future', () => {
    const header = signBody(body, secret, now + 301);
    expect(reasonOf(verifySignature(header, body, secret, now))).toBe(
      'signature timestamp in the future',
    );
  });

  it('honours a custom tolerance', () => {
    const header = signBody(body, secret, now - 10);
    expect(reasonOf(verifySignature(header, body, secret, now, 5))).toBe(
      'signature timestamp too old',
    );
  });

  it.each([
    [undefined, 'missing signature header'],
    ['', 'missing signature header'],
    ['garbage', 'malformed signature header'],
    [`v1=${'a'.repeat(64)}`, 'malformed signature header: no timestamp'],
    [`t=${now}`, 'malformed signature header: no v1'],
    [`t=soon,v1=${'a'.repeat(64)}`, 'malformed signature header: bad timestamp'],
    [`t=${now},t=${now},v1=${'a'.repeat(64)}`, 'malformed signature header: bad timestamp'],
    [`t=${now},v1=abc`, 'malformed signature header: bad v1 digest'],
    [`t=${now},v1=${'z'.repeat(64)}`, 'malformed signature header: bad v1 digest'],
  ])('rejects malformed header %p', (header, reason) => {
    expect(reasonOf(verifySignature(header, body, secret, now))).toBe(reason);
  });

  it('refuses to verify or sign without a secret', () => {
    expect(reasonOf(verifySignature(signBody(body, secret, now), body, '', now))).toBe(
      'no gateway secret configured',
    );
    expect(() => signBody(body, '', now)).toThrow(/empty secret/);
  });
});
