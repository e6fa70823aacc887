import {
  base64url,
  exportJWK,
  generateKeyPair,
  importJWK,
  SignJWT,
  type CryptoKey,
  type JWK,
  type JWTPayload,
} from 'jose';
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from '../../test/api.ts';
import { createUser, type TestUser } from '../../test/api-users.ts';
import { BAD_TOKEN_LIMIT } from './rate-limit.ts';

let api: TestApi;
let user: TestUser;
let kid: string;
let privateKey: CryptoKey;
let publicJwk: JWK;

beforeAll(async () => {
  api = await createTestApi();
  user = await createUser(api);
  const { rows } = await api.deps.pool.query<{ kid: string; private_jwk: JWK; public_jwk: JWK }>(
    `SELECT kid, private_jwk, public_jwk FROM signing_keys WHERE retired_at IS NULL`,
  );
  kid = rows[0]!.kid;
  publicJwk = rows[0]!.public_jwk;
  privateKey = (await importJWK(rows[0]!.private_jwk, 'EdDSA')) as CryptoKey;
});
afterAll(async () => {
  await api?.close();
});

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** A token signed with the real key, with the claims and header a test wants. */
function forge(
  claims: JWTPayload = {},
  header: Record<string, unknown> = {},
  key: CryptoKey = privateKey,
): Promise<string> {
  const iat = nowSeconds();
  const { issuer, audience } = api.deps.config.api.jwt;
  return new SignJWT({
    role: 'admin',
    iss: issuer,
    aud: audience,
    sub: user.userId,
    jti: crypto.randomUUID(),
    iat,
    nbf: iat,
    exp: iat + 600,
    ...claims,
  })
    .setProtectedHeader({ alg: 'EdDSA', kid, typ: 'at+jwt', ...header })
    .sign(key);
}

const segment = (value: unknown) => base64url.encode(JSON.stringify(value));
const me = (token: string) => api.request('GET', '/api/v1/users/me', { token });

async function expect401(res: Response) {
  expect(res.status).toBe(401);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  expect(res.headers.get('www-authenticate')).toContain('Bearer');
}

describe('authenticate', () => {
  it('accepts a token forged exactly like ours (the control for every case below)', async () => {
    expect((await me(await forge({ role: 'free' }))).status).toBe(200);
    expect((await me(user.accessToken)).status).toBe(200);
  });

  it('refuses alg: none, with or without a signature', async () => {
    const good = await forge();
    const [, payload] = good.split('.');
    for (const alg of ['none', 'None', 'NONE']) {
      await expect401(await me(`${segment({ alg, kid, typ: 'at+jwt' })}.${payload}.`));
    }
    await expect401(await me(`${segment({ alg: 'none', typ: 'at+jwt' })}.${payload}.${good.split('.')[2]}`));
  });

  it('refuses HS256 signed with our public key as the secret (algorithm confusion)', async () => {
    const head = `${segment({ alg: 'HS256', kid, typ: 'at+jwt' })}.${(await forge()).split('.')[1]}`;
    const mac = createHmac('sha256', JSON.stringify(publicJwk)).update(head).digest('base64url');
    await expect401(await me(`${head}.${mac}`));
  });

  it('refuses a token signed with another key, under our kid or its own', async () => {
    const { privateKey: other, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    await expect401(await me(await forge({}, {}, other)));
    await expect401(await me(await forge({}, { kid: 'attacker-key', jwk: await exportJWK(publicKey) }, other)));
  });

  it('refuses expired and not-yet-valid tokens', async () => {
    await expect401(
      await me(await forge({ exp: nowSeconds() - 120, iat: nowSeconds() - 1000, nbf: nowSeconds() - 1000 })),
    );
    await expect401(await me(await forge({ nbf: nowSeconds() + 3600 })));
  });

  it('refuses a tampered payload (role raised after signing)', async () => {
    const [head, payload, signature] = (await forge({ role: 'free' })).split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    await expect401(await me(`${head}.${segment({ ...claims, role: 'admin' })}.${signature}`));
  });

  it('refuses the wrong issuer or audience', async () => {
    await expect401(await me(await forge({ iss: 'someone-else' })));
    await expect401(await me(await forge({ aud: 'another-api' })));
  });

  it('refuses a JWT that is not an access token (typ), and a refresh token used as one', async () => {
    await expect401(await me(await forge({}, { typ: 'JWT' })));
    await expect401(await me(await forge({}, { typ: undefined })));
    await expect401(await me(user.refreshToken));
  });

  it('refuses an unknown role or a subject that is not a user id', async () => {
    await expect401(await me(await forge({ role: 'root' })));
    await expect401(await me(await forge({ sub: "' OR 1=1 --" })));
  });

  it('refuses malformed Authorization headers and oversized tokens, never as anonymous', async () => {
    for (const authorization of [
      'Bearer',
      'Basic dXNlcjpwYXNz',
      'Bearer a b',
      'Bearer not.a.jwt',
      `Bearer ${'a'.repeat(5000)}`,
    ]) {
      await expect401(await api.request('GET', '/api/v1/users/me', { headers: { authorization } }));
    }
  });

  it('ignores the header outside /api/v1 and on the token endpoints, so an expired access token cannot block a refresh', async () => {
    const expired = await forge({ exp: nowSeconds() - 120, iat: nowSeconds() - 1000, nbf: nowSeconds() - 1000 });
    expect(
      (await api.request('GET', '/.well-known/jwks.json', { headers: { authorization: 'Bearer garbage' } })).status,
    ).toBe(200);
    expect((await api.request('GET', '/healthz', { token: expired })).status).toBe(200);
    const fresh = await createUser(api);
    const res = await api.request('POST', '/api/v1/auth/refresh', {
      token: expired,
      body: { refreshToken: fresh.refreshToken },
    });
    expect(res.status).toBe(200);
  });
});

describe('bad tokens count against the IP that sends them', () => {
  let proxied: TestApi;
  beforeAll(async () => {
    // A trusted proxy: the last X-Forwarded-For hop gives in-process requests an address.
    proxied = await createTestApi({ env: { API_TRUST_PROXY: '1' } });
  });
  afterAll(async () => {
    await proxied?.close();
  });

  const from = (ip: string, authorization: string) =>
    proxied.request('GET', '/api/v1/users/me', { headers: { authorization, 'x-forwarded-for': ip } });

  it(`answers 401 to ${BAD_TOKEN_LIMIT} bad tokens a minute, then 429 with Retry-After, for that address only`, async () => {
    const ip = '198.51.100.23';
    const statuses: number[] = [];
    for (let i = 0; i < BAD_TOKEN_LIMIT; i++) {
      // Malformed headers and tokens that fail verification count alike.
      statuses.push((await from(ip, i % 2 ? 'Bearer not.a.jwt' : 'Bearer')).status);
    }
    expect(statuses).toEqual(Array.from({ length: BAD_TOKEN_LIMIT }, () => 401));

    const refused = await from(ip, 'Bearer not.a.jwt');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(((await refused.json()) as { detail: string }).detail).toMatch(/invalid access tokens/);
    const metrics = await (await proxied.request('GET', '/metrics')).text();
    expect(metrics).toMatch(/rate_limited_total\{bucket="bad-token"\} 1/);

    // Another address still gets its 401.
    await expect401(await from('198.51.100.24', 'Bearer not.a.jwt'));
  });

  it("stops verifying a limited address's tokens: one verified before still works, a new one waits, and the 429 still names the token", async () => {
    const ip = '198.51.100.31';
    const before = await createUser(proxied);
    expect((await from(ip, `Bearer ${before.accessToken}`)).status).toBe(200);
    for (let i = 0; i <= BAD_TOKEN_LIMIT; i++) await from(ip, 'Bearer not.a.jwt');
    // A shared NAT: the user whose token this process already verified keeps working.
    expect((await from(ip, `Bearer ${before.accessToken}`)).status).toBe(200);
    // A token never seen is not verified at all while the address is limited (no signature check per forged token).
    const after = await createUser(proxied);
    const refused = await from(ip, `Bearer ${after.accessToken}`);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await from('198.51.100.32', `Bearer ${after.accessToken}`)).status).toBe(200);
  });

  it('does not count expired tokens of ours: those clients should refresh, not be limited', async () => {
    const ip = '198.51.100.41';
    const { rows } = await proxied.deps.pool.query<{ kid: string; private_jwk: JWK }>(
      `SELECT kid, private_jwk FROM signing_keys WHERE retired_at IS NULL`,
    );
    const key = (await importJWK(rows[0]!.private_jwk, 'EdDSA')) as CryptoKey;
    const owner = await createUser(proxied);
    const { issuer, audience } = proxied.deps.config.api.jwt;
    const past = nowSeconds() - 3600;
    const expired = await new SignJWT({
      role: 'free',
      iss: issuer,
      aud: audience,
      sub: owner.userId,
      jti: crypto.randomUUID(),
      iat: past,
      nbf: past,
      exp: past + 900,
    })
      .setProtectedHeader({ alg: 'EdDSA', kid: rows[0]!.kid, typ: 'at+jwt' })
      .sign(key);
    for (let i = 0; i <= BAD_TOKEN_LIMIT + 5; i++) await expect401(await from(ip, `Bearer ${expired}`));
  });
});
