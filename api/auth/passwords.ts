/**
 * Password hashing: argon2id with OWASP's parameters (19 MiB, 2 passes, 1 lane). `verifyPassword` costs the same
 * whether or not the account exists: without one it verifies against a fixed dummy hash, so login timing does not
 * tell which addresses have accounts.
 */
import { hash, verify, type Algorithm } from '@node-rs/argon2';
import { z } from '@hono/zod-openapi';

// `Algorithm` is an ambient const enum, which isolated modules cannot read: 2 is Argon2id.
const ARGON2ID = 2 as Algorithm;
export const ARGON2_OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const PASSWORD_MIN_LENGTH = 10;
/** Long enough for any passphrase, short enough that a request cannot make us hash megabytes. */
export const PASSWORD_MAX_LENGTH = 256;

export const PasswordSchema = z.string().min(PASSWORD_MIN_LENGTH).max(PASSWORD_MAX_LENGTH);

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

let dummyHash: Promise<string> | undefined;

/** The hash verified when there is no account: same parameters as a real one, so the same cost. */
function dummy(): Promise<string> {
  dummyHash ??= hashPassword('no account has this password, it only spends the time a real one would');
  return dummyHash;
}

/** True when `password` matches `storedHash`; with no stored hash, spends the same time and answers false. */
export async function verifyPassword(storedHash: string | null, password: string): Promise<boolean> {
  if (storedHash === null) {
    await verify(await dummy(), password).catch(() => false);
    return false;
  }
  try {
    return await verify(storedHash, password);
  } catch {
    // A malformed stored hash is no match, never a 500 that a caller could tell from "wrong password".
    return false;
  }
}

/** Computes the dummy hash ahead of the first login, so that login is not the slow one. */
export async function warmUpPasswords(): Promise<void> {
  await dummy();
}
