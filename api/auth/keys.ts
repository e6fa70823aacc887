/**
 * The JWT signing keys and the access tokens they sign. The newest unretired key in `signing_keys` signs; when it is
 * older than `config.api.jwt.keyRotationDays` the next signing creates a new one (under an advisory lock, so two
 * instances do not both rotate) and retires the rest. A retired key still verifies, and stays in the JWKS, until
 * every token it signed has expired (the access-token lifetime plus the clock skew we allow).
 *
 * Verification trusts nothing in the token to choose how to verify it: the `kid` picks one of our keys, the algorithm
 * is pinned to that key's, and issuer, audience, expiry, not-before and the access-token `typ` are all checked.
 *
 * A signature check (Ed25519) is the costliest step of a cached request, and a client sends the same token for up
 * to 15 minutes: successful verifications are remembered in a bounded LRU keyed by the exact token text, each until
 * the token's own `exp` and never beyond (the injected clock decides), so a remembered token is refused exactly
 * when a fresh verification would start refusing it. Failures are never remembered. A key withdrawn from the
 * database early (not a normal rotation: a retired key verifies until its last token expires) would keep its
 * remembered tokens valid until they expire, at most 15 minutes.
 */
import { randomUUID } from 'node:crypto';
import {
  calculateJwkThumbprint,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  importJWK,
  jwtVerify,
  SignJWT,
  type CryptoKey,
  type JWK,
} from 'jose';
import type { Config } from '../../lib/config.ts';
import { withTransaction, type Pool } from '../../lib/db.ts';
import { insertSigningKey, lockRotation, usableSigningKeys, type SigningAlg } from '../../db/signing-keys.ts';
import { ROLES, type Role } from '../env.ts';

export interface KeyStore {
  /** Signs an access token for the user. */
  signAccessToken(claims: {
    userId: string;
    role: Role;
  }): Promise<{ token: string; expiresIn: number; tokenId: string }>;
  /** Verifies an access token: algorithm pinned, issuer and audience checked, `typ` must be an access token. Throws on anything wrong. */
  verifyAccessToken(token: string): Promise<{ userId: string; role: Role; tokenId: string }>;
  /** The claims of a token this process already verified and that has not expired; undefined otherwise. No crypto. */
  alreadyVerified(token: string): { userId: string; role: Role; tokenId: string } | undefined;
  /** The public keys, for /.well-known/jwks.json. */
  jwks(): Promise<{ keys: Record<string, unknown>[] }>;
}

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
/** Clock difference between us and the callers (or other instances) that we tolerate on exp, nbf and key retirement. */
export const CLOCK_SKEW_SECONDS = 30;
/** RFC 9068's media type for access tokens: a refresh token or any other JWT of ours cannot pass as one. */
export const ACCESS_TOKEN_TYP = 'at+jwt';
/**
 * A token naming an unknown kid reloads the keys (a key another instance just created must be found), but at most
 * once in this long, so made-up kids cannot hammer the database; one arriving sooner is refused at once (never held
 * waiting for a reload), unless a reload is already under way, which it waits for.
 */
const RELOAD_INTERVAL_MS = 2_000;
/** Verified tokens remembered (about 0.5 KiB each with their claims). */
export const VERIFIED_TOKEN_CACHE_ENTRIES = 10_000;
/** Other instances' rotations reach the JWKS within this long. */
const JWKS_MAX_AGE_MS = 60_000;
const MAX_TOKEN_LENGTH = 4_096;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Anything wrong with a presented token (as opposed to a failure of ours, such as the database being down). */
export class InvalidTokenError extends Error {
  override name = 'InvalidTokenError';
  /** True when the token is ours, correctly signed, and only past its expiry: a client that should refresh. */
  readonly expired: boolean;
  constructor(message: string, options: { expired?: boolean } = {}) {
    super(message);
    this.expired = options.expired ?? false;
  }
}

interface LoadedKey {
  kid: string;
  alg: SigningAlg;
  publicKey: CryptoKey;
  publicJwk: Record<string, unknown>;
  createdAt: Date;
  retiredAt: Date | null;
}

export async function createKeyStore(deps: { pool: Pool; config: Config; now(): Date }): Promise<KeyStore> {
  const { pool, config } = deps;
  const jwt = config.api.jwt;
  const rotationMs = jwt.keyRotationDays * 86_400_000;
  const verifyWindowMs = (ACCESS_TOKEN_TTL_SECONDS + CLOCK_SKEW_SECONDS) * 1000;

  let keys = new Map<string, LoadedKey>();
  let signer: { kid: string; alg: SigningAlg; privateKey: CryptoKey; createdAt: Date } | null = null;
  let loadedAtMs = Number.NEGATIVE_INFINITY;
  let loading: Promise<void> | null = null;
  let rotating: Promise<void> | null = null;
  let unknownKidReloadAtMs = Number.NEGATIVE_INFINITY;
  /** Token text to its claims and expiry (ms), oldest use first (Map order): an LRU. */
  const verified = new Map<string, { claims: { userId: string; role: Role; tokenId: string }; expMs: number }>();

  const stale = (createdAt: Date) => deps.now().getTime() - createdAt.getTime() >= rotationMs;
  const usable = (key: LoadedKey) =>
    key.retiredAt === null || key.retiredAt.getTime() + verifyWindowMs > deps.now().getTime();

  async function loadFrom(db: Pool): Promise<void> {
    const rows = await usableSigningKeys(db, new Date(deps.now().getTime() - verifyWindowMs));
    const next = new Map<string, LoadedKey>();
    for (const row of rows) {
      const known = keys.get(row.kid);
      const publicKey = known?.publicKey ?? ((await importJWK(row.publicJwk as JWK, row.alg)) as CryptoKey);
      next.set(row.kid, {
        kid: row.kid,
        alg: row.alg,
        publicKey,
        publicJwk: row.publicJwk,
        createdAt: row.createdAt,
        retiredAt: row.retiredAt,
      });
    }
    keys = next;
    const newest = rows.find((row) => row.retiredAt === null);
    if (!newest) signer = null;
    else if (signer?.kid !== newest.kid) {
      signer = {
        kid: newest.kid,
        alg: newest.alg,
        privateKey: (await importJWK(newest.privateJwk as JWK, newest.alg)) as CryptoKey,
        createdAt: newest.createdAt,
      };
    }
    loadedAtMs = performance.now();
  }

  function reload(): Promise<void> {
    loading ??= loadFrom(pool).finally(() => {
      loading = null;
    });
    return loading;
  }

  /** A reload that starts now: one in flight may have read the keys before a change this caller just committed. */
  async function reloadAfterChange(): Promise<void> {
    while (loading) await loading.catch(() => undefined);
    await reload();
  }

  async function rotate(): Promise<void> {
    await withTransaction(pool, async (client) => {
      await lockRotation(client);
      // Another instance may have rotated while we waited for the lock: then its key is ours too.
      const current = (await usableSigningKeys(client, deps.now())).find((row) => row.retiredAt === null);
      if (current && current.alg === jwt.alg && !stale(current.createdAt)) return;
      const { publicKey, privateKey } = await generateKeyPair(jwt.alg, {
        extractable: true,
        ...(jwt.alg === 'EdDSA' ? { crv: 'Ed25519' } : {}),
      });
      const publicJwk = await exportJWK(publicKey);
      const kid = await calculateJwkThumbprint(publicJwk);
      await insertSigningKey(client, {
        kid,
        alg: jwt.alg,
        publicJwk: { ...publicJwk },
        privateJwk: { ...(await exportJWK(privateKey)) },
        createdAt: deps.now(),
      });
    });
    await reloadAfterChange();
  }

  const needsRotation = () => !signer || signer.alg !== jwt.alg || stale(signer.createdAt);

  async function currentSigner() {
    if (needsRotation()) {
      await reload();
      if (needsRotation()) {
        rotating ??= rotate().finally(() => {
          rotating = null;
        });
        await rotating;
      }
    }
    if (!signer) throw new Error('no signing key after rotation');
    return signer;
  }

  async function keyFor(kid: string): Promise<LoadedKey | undefined> {
    const known = keys.get(kid);
    if (known) return known;
    if (loading) await loading;
    else if (performance.now() - unknownKidReloadAtMs >= RELOAD_INTERVAL_MS) {
      unknownKidReloadAtMs = performance.now();
      await reload();
    }
    return keys.get(kid);
  }

  function remembered(token: string): { userId: string; role: Role; tokenId: string } | undefined {
    const entry = verified.get(token);
    if (!entry) return undefined;
    verified.delete(token);
    if (deps.now().getTime() >= entry.expMs) return undefined;
    verified.set(token, entry);
    return entry.claims;
  }

  function remember(token: string, claims: { userId: string; role: Role; tokenId: string }, exp: number): void {
    verified.set(token, { claims, expMs: exp * 1000 });
    if (verified.size > VERIFIED_TOKEN_CACHE_ENTRIES) verified.delete(verified.keys().next().value!);
  }

  await reload();

  return {
    async signAccessToken({ userId, role }) {
      const key = await currentSigner();
      const tokenId = randomUUID();
      const iat = Math.floor(deps.now().getTime() / 1000);
      const token = await new SignJWT({ role })
        .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: ACCESS_TOKEN_TYP })
        .setIssuer(jwt.issuer)
        .setAudience(jwt.audience)
        .setSubject(userId)
        .setJti(tokenId)
        .setIssuedAt(iat)
        .setNotBefore(iat)
        .setExpirationTime(iat + ACCESS_TOKEN_TTL_SECONDS)
        .sign(key.privateKey);
      return { token, expiresIn: ACCESS_TOKEN_TTL_SECONDS, tokenId };
    },

    alreadyVerified(token) {
      const known = remembered(token);
      return known ? { ...known } : undefined;
    },

    async verifyAccessToken(token) {
      if (token.length > MAX_TOKEN_LENGTH) throw new InvalidTokenError('token too long');
      const known = remembered(token);
      // A copy: the caller may keep or alter its claims without touching the remembered ones.
      if (known) return { ...known };
      let header: ReturnType<typeof decodeProtectedHeader>;
      try {
        header = decodeProtectedHeader(token);
      } catch {
        throw new InvalidTokenError('not a JWS');
      }
      if (typeof header.kid !== 'string' || header.kid.length === 0 || header.kid.length > 128)
        throw new InvalidTokenError('no kid');
      const key = await keyFor(header.kid);
      if (!key || !usable(key)) throw new InvalidTokenError('unknown or expired key');
      if (header.alg !== key.alg) throw new InvalidTokenError('algorithm does not match the key');
      let payload: Awaited<ReturnType<typeof jwtVerify>>['payload'];
      try {
        ({ payload } = await jwtVerify(token, key.publicKey, {
          algorithms: [key.alg],
          issuer: jwt.issuer,
          audience: jwt.audience,
          typ: ACCESS_TOKEN_TYP,
          currentDate: deps.now(),
          clockTolerance: CLOCK_SKEW_SECONDS,
          requiredClaims: ['sub', 'jti', 'iat', 'nbf', 'exp'],
        }));
      } catch (error) {
        // jose checks the signature before the claims: an expired token was signed by us.
        const expired = (error as { code?: string }).code === 'ERR_JWT_EXPIRED';
        throw new InvalidTokenError(error instanceof Error ? error.message : 'invalid token', { expired });
      }
      const role = payload['role'];
      if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role))
        throw new InvalidTokenError('no valid role');
      if (typeof payload.sub !== 'string' || !UUID.test(payload.sub))
        throw new InvalidTokenError('subject is not a user id');
      const claims = { userId: payload.sub, role: role as Role, tokenId: payload.jti as string };
      // exp is a required claim, checked by jwtVerify: a number here.
      remember(token, claims, payload.exp!);
      return { ...claims };
    },

    async jwks() {
      if (performance.now() - loadedAtMs >= JWKS_MAX_AGE_MS) await reload();
      // Before the first token is signed there is no key yet: make one, so the set is never empty.
      if (needsRotation()) await currentSigner();
      return {
        keys: [...keys.values()]
          .filter(usable)
          .map((key) => ({ ...key.publicJwk, kid: key.kid, alg: key.alg, use: 'sig' })),
      };
    },
  };
}
