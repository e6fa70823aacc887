/**
 * The JWT signing keys: the newest signs, older ones verify until their tokens expire; rotated every
 * JWT_KEY_ROTATION_DAYS; public keys published as a JWKS. Stored in `signing_keys` (db/signing-keys.ts). STUB.
 */
import type { Config } from '../../lib/config.ts';
import type { Pool } from '../../lib/db.ts';
import type { Role } from '../env.ts';

export interface KeyStore {
  /** Signs an access token for the user. */
  signAccessToken(claims: { userId: string; role: Role }): Promise<{ token: string; expiresIn: number; tokenId: string }>;
  /** Verifies an access token: algorithm pinned, issuer and audience checked, `typ` must be an access token. Throws on anything wrong. */
  verifyAccessToken(token: string): Promise<{ userId: string; role: Role; tokenId: string }>;
  /** The public keys, for /.well-known/jwks.json. */
  jwks(): Promise<{ keys: Record<string, unknown>[] }>;
}

/** The key store over `signing_keys`. STUB: to be built. */
export async function createKeyStore(deps: { pool: Pool; config: Config; now(): Date }): Promise<KeyStore> {
  void deps;
  const missing = () => Promise.reject(new Error('the key store is not built yet'));
  return { signAccessToken: missing, verifyAccessToken: missing, jwks: missing };
}
