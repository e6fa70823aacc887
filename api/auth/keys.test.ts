import { decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../lib/config.ts';
import { createTestDatabase, type TestDatabase } from '../../test/database.ts';
import { ACCESS_TOKEN_TTL_SECONDS, createKeyStore, InvalidTokenError, type KeyStore } from './keys.ts';

const DAY = 86_400_000;
const MINUTE = 60_000;
const USER = '0b7e2f0c-3f7a-4c59-9f7e-2b1d7d9d4c11';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

function storeAt(clock: { now: number }, env: Record<string, string> = {}): Promise<KeyStore> {
  const config = loadConfig({ ...process.env, DATABASE_URL: db.url, JWT_KEY_ROTATION_DAYS: '30', ...env });
  return createKeyStore({ pool: db.pool, config, now: () => new Date(clock.now) });
}

const kidOf = (token: string) => decodeProtectedHeader(token).kid;

describe('key store', () => {
  it('signs EdDSA access tokens with typ at+jwt and a kid from the JWKS, and verifies them', async () => {
    await db.pool.query('DELETE FROM signing_keys');
    const clock = { now: Date.parse('2026-01-01T00:00:00Z') };
    const keys = await storeAt(clock);
    const { token, expiresIn, tokenId } = await keys.signAccessToken({ userId: USER, role: 'premium' });
    expect(expiresIn).toBe(ACCESS_TOKEN_TTL_SECONDS);
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'EdDSA', typ: 'at+jwt' });
    expect(await keys.verifyAccessToken(token)).toEqual({ userId: USER, role: 'premium', tokenId });
    const { keys: published } = await keys.jwks();
    expect(published.map((k) => k['kid'])).toEqual([kidOf(token)]);
    expect(published[0]).not.toHaveProperty('d');
  });

  it('refuses its own token once expired (15 minutes plus the skew)', async () => {
    await db.pool.query('DELETE FROM signing_keys');
    const clock = { now: Date.parse('2026-02-01T00:00:00Z') };
    const keys = await storeAt(clock);
    const { token } = await keys.signAccessToken({ userId: USER, role: 'free' });
    clock.now += 15 * MINUTE;
    await expect(keys.verifyAccessToken(token)).resolves.toBeTruthy();
    clock.now += MINUTE;
    await expect(keys.verifyAccessToken(token)).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('remembers a verified token until its exp and no longer; a token altered by one character is verified anew and refused', async () => {
    await db.pool.query('DELETE FROM signing_keys');
    const clock = { now: Date.parse('2026-02-10T00:00:00Z') };
    const keys = await storeAt(clock);
    const { token, tokenId } = await keys.signAccessToken({ userId: USER, role: 'premium' });
    const first = await keys.verifyAccessToken(token);
    first.role = 'admin';
    // Remembered, and the caller's copy is its own: altering it changes nothing for the next request.
    expect(await keys.verifyAccessToken(token)).toEqual({ userId: USER, role: 'premium', tokenId });
    const [head, body, signature] = token.split('.');
    const flipped = signature![10] === 'A' ? 'B' : 'A';
    const forged = `${head}.${body}.${signature!.slice(0, 10)}${flipped}${signature!.slice(11)}`;
    await expect(keys.verifyAccessToken(forged)).rejects.toBeInstanceOf(InvalidTokenError);
    // Past exp the remembered entry is gone: the skew the verification allows still applies, then it is refused.
    clock.now += 15 * MINUTE + 10_000;
    await expect(keys.verifyAccessToken(token)).resolves.toMatchObject({ userId: USER });
    clock.now += MINUTE;
    await expect(keys.verifyAccessToken(token)).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('refuses a token with an unknown kid at once: one reload, then none for a while', async () => {
    await db.pool.query('DELETE FROM signing_keys');
    const clock = { now: Date.parse('2026-02-20T00:00:00Z') };
    const keys = await storeAt(clock);
    const { token } = await keys.signAccessToken({ userId: USER, role: 'free' });
    const [, body, signature] = token.split('.');
    const withKid = (kid: string) =>
      `${Buffer.from(JSON.stringify({ alg: 'EdDSA', kid, typ: 'at+jwt' })).toString('base64url')}.${body}.${signature}`;
    await expect(keys.verifyAccessToken(withKid('made-up-1'))).rejects.toBeInstanceOf(InvalidTokenError);
    const started = performance.now();
    for (let i = 2; i < 20; i++)
      await expect(keys.verifyAccessToken(withKid(`made-up-${i}`))).rejects.toBeInstanceOf(InvalidTokenError);
    // Before, each could wait up to 2 s for the next reload.
    expect(performance.now() - started).toBeLessThan(500);
    await expect(keys.verifyAccessToken(token)).resolves.toMatchObject({ userId: USER });
  });

  it("rotates after the rotation period: old tokens still verify, the JWKS shows both keys until the old one's tokens expired", async () => {
    await db.pool.query('DELETE FROM signing_keys');
    const start = Date.parse('2026-03-01T00:00:00Z');
    const clock = { now: start };
    const keys = await storeAt(clock);
    await keys.signAccessToken({ userId: USER, role: 'free' });
    clock.now = start + 30 * DAY - 5 * MINUTE;
    const old = (await keys.signAccessToken({ userId: USER, role: 'free' })).token;
    clock.now = start + 30 * DAY + 1000;
    const fresh = (await keys.signAccessToken({ userId: USER, role: 'free' })).token;
    expect(kidOf(fresh)).not.toBe(kidOf(old));
    await expect(keys.verifyAccessToken(old)).resolves.toMatchObject({ userId: USER });
    expect((await keys.jwks()).keys.map((k) => k['kid']).sort()).toEqual([kidOf(old), kidOf(fresh)].sort());

    // Another instance starting now knows both.
    const other = await storeAt(clock);
    await expect(other.verifyAccessToken(old)).resolves.toMatchObject({ userId: USER });
    await expect(other.verifyAccessToken(fresh)).resolves.toMatchObject({ userId: USER });

    clock.now = start + 30 * DAY + 16 * MINUTE;
    const later = await storeAt(clock);
    expect((await later.jwks()).keys.map((k) => k['kid'])).toEqual([kidOf(fresh)]);
    await expect(later.verifyAccessToken(old)).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('lets only one of several instances rotate, and each finds the key the other made', async () => {
    await db.pool.query('DELETE FROM signing_keys');
    const clock = { now: Date.parse('2026-05-01T00:00:00Z') };
    const stores = await Promise.all([storeAt(clock), storeAt(clock), storeAt(clock)]);
    const tokens = await Promise.all(stores.map((s) => s.signAccessToken({ userId: USER, role: 'free' })));
    expect(new Set(tokens.map((t) => kidOf(t.token))).size).toBe(1);
    const { rows } = await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM signing_keys');
    expect(rows[0]?.n).toBe(1);
    clock.now += 31 * DAY;
    const [a, b] = stores;
    const fromA = (await a.signAccessToken({ userId: USER, role: 'free' })).token;
    // b has not reloaded since a rotated: the unknown kid makes it look again.
    await expect(b.verifyAccessToken(fromA)).resolves.toMatchObject({ userId: USER });
    const fromB = (await b.signAccessToken({ userId: USER, role: 'free' })).token;
    expect(kidOf(fromB)).toBe(kidOf(fromA));
  });

  it('signs ES256 when configured, and a new algorithm starts a new key', async () => {
    await db.pool.query('DELETE FROM signing_keys');
    const clock = { now: Date.parse('2026-07-01T00:00:00Z') };
    const ed = await storeAt(clock);
    const edToken = (await ed.signAccessToken({ userId: USER, role: 'free' })).token;
    const es = await storeAt(clock, { JWT_ALG: 'ES256' });
    const esToken = (await es.signAccessToken({ userId: USER, role: 'admin' })).token;
    expect(decodeProtectedHeader(esToken).alg).toBe('ES256');
    await expect(es.verifyAccessToken(esToken)).resolves.toMatchObject({ role: 'admin' });
    await expect(es.verifyAccessToken(edToken)).resolves.toMatchObject({ role: 'free' });
  });

  it('gives every concurrent first signer the key one of them made (a reload begun before the key existed is not taken for fresh)', async () => {
    await db.pool.query('DELETE FROM signing_keys');
    const clock = { now: Date.parse('2026-05-01T00:00:00Z') };
    const config = loadConfig({ ...process.env, DATABASE_URL: db.url, JWT_KEY_ROTATION_DAYS: '30' });
    // Key reads (pool.query) answer 40 ms late, as on a loaded machine: a reload that read "no key" just before the
    // first signer's rotation committed is still in flight when that rotation reloads. Rotations use a client of
    // their own (withTransaction), so only reads are slowed.
    const slowReads = new Proxy(db.pool, {
      get(target, prop, receiver) {
        if (prop !== 'query') return Reflect.get(target, prop, receiver) as unknown;
        return async (...args: unknown[]) => {
          const result = await (target.query as (...a: unknown[]) => Promise<unknown>)(...args);
          await new Promise((resolve) => setTimeout(resolve, 40));
          return result;
        };
      },
    });
    const keys = await createKeyStore({ pool: slowReads, config, now: () => new Date(clock.now) });
    const signed = await Promise.allSettled(
      [0, 41, 43, 45, 47, 49, 51, 55].map((delay) =>
        new Promise((resolve) => setTimeout(resolve, delay)).then(() =>
          keys.signAccessToken({ userId: USER, role: 'free' }),
        ),
      ),
    );
    expect(signed.filter((s) => s.status === 'rejected').map((s) => String(s.reason))).toEqual([]);
    expect(new Set(signed.map((s) => kidOf((s as PromiseFulfilledResult<{ token: string }>).value.token))).size).toBe(
      1,
    );
  });
});
