/**
 * The JWT signing keys (`signing_keys`). The private JWK is stored beside the public one, so every API instance
 * signs with the same key: whoever can read this table can mint tokens, so the database's access control is the
 * key's protection (encrypting it under a KMS key is the next step when there is a KMS).
 */
import type { Queryable } from '../lib/db.ts';

export type SigningAlg = 'EdDSA' | 'ES256';

export interface SigningKeyRow {
  kid: string;
  alg: SigningAlg;
  publicJwk: Record<string, unknown>;
  privateJwk: Record<string, unknown>;
  createdAt: Date;
  retiredAt: Date | null;
}

/** An arbitrary constant: the advisory lock under which one instance at a time may rotate. */
const ROTATION_LOCK = 4_242_013;

/** Keys still of use: unretired, or retired after `retiredSince`. Newest first. */
export async function usableSigningKeys(db: Queryable, retiredSince: Date): Promise<SigningKeyRow[]> {
  const { rows } = await db.query<{
    kid: string;
    alg: SigningAlg;
    public_jwk: Record<string, unknown>;
    private_jwk: Record<string, unknown>;
    created_at: Date;
    retired_at: Date | null;
  }>(
    `SELECT kid, alg, public_jwk, private_jwk, created_at, retired_at FROM signing_keys
     WHERE retired_at IS NULL OR retired_at > $1 ORDER BY created_at DESC, kid`,
    [retiredSince],
  );
  return rows.map((r) => ({
    kid: r.kid,
    alg: r.alg,
    publicJwk: r.public_jwk,
    privateJwk: r.private_jwk,
    createdAt: r.created_at,
    retiredAt: r.retired_at,
  }));
}

/** Serializes rotations across instances until the transaction ends; call inside one. */
export async function lockRotation(db: Queryable): Promise<void> {
  await db.query(`SELECT pg_advisory_xact_lock($1)`, [ROTATION_LOCK]);
}

/** Adds the new signing key and retires every other unretired one, as of `at`. */
export async function insertSigningKey(db: Queryable, key: Omit<SigningKeyRow, 'retiredAt'>): Promise<void> {
  await db.query(`UPDATE signing_keys SET retired_at = $1 WHERE retired_at IS NULL`, [key.createdAt]);
  await db.query(
    `INSERT INTO signing_keys (kid, alg, public_jwk, private_jwk, created_at) VALUES ($1, $2, $3, $4, $5)`,
    [key.kid, key.alg, JSON.stringify(key.publicJwk), JSON.stringify(key.privateJwk), key.createdAt],
  );
}
