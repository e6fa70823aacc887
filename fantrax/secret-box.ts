/**
 * Encryption at rest of Fantrax Secret IDs: AES-256-GCM under a keyring. The key id is stored beside each
 * ciphertext, so new secrets are sealed with the newest key while older ones still open, and `reencrypt` moves a
 * sealed secret to the newest key (key rotation). The user id is bound as associated data: a ciphertext copied
 * onto another user's row does not open.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export interface KeyringKey {
  id: string;
  /** 32 bytes. */
  key: Buffer;
}

/** Keys, newest first: the first seals, any opens. */
export interface Keyring {
  keys: readonly KeyringKey[];
}

export interface SealedSecret {
  keyId: string;
  iv: Buffer;
  tag: Buffer;
  ciphertext: Buffer;
}

/** A keyring setting that cannot be used; the message says why (never the key itself). */
export class KeyringError extends Error {
  override name = 'KeyringError';
}

/** A sealed secret that does not open: an unknown key id, or a ciphertext, tag or user that does not match. */
export class SecretOpenError extends Error {
  override name = 'SecretOpenError';
}

const KEY_ID = /^[A-Za-z0-9_.-]{1,40}$/;

/**
 * Parses `id:base64,id:base64` (newest first). Every key must be 32 bytes and every id unique.
 * @example parseKeyring('k2026:' + randomBytes(32).toString('base64'))
 */
export function parseKeyring(text: string): Keyring {
  const keys = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((pair, i): KeyringKey => {
      const colon = pair.indexOf(':');
      const id = colon > 0 ? pair.slice(0, colon) : '';
      if (!KEY_ID.test(id))
        throw new KeyringError(`key ${i + 1}: expected id:base64 with an id of letters, digits, _ . -`);
      const key = Buffer.from(pair.slice(colon + 1), 'base64');
      if (key.length !== 32) throw new KeyringError(`key "${id}": must be 32 bytes in base64, got ${key.length} bytes`);
      return { id, key };
    });
  if (keys.length === 0) throw new KeyringError('the keyring holds no key');
  const ids = new Set(keys.map((k) => k.id));
  if (ids.size !== keys.length) throw new KeyringError('the keyring repeats a key id');
  return { keys };
}

/** The keyring as its setting spells it (for writing a generated one). */
export function formatKeyring(keyring: Keyring): string {
  return keyring.keys.map((k) => `${k.id}:${k.key.toString('base64')}`).join(',');
}

/** A fresh key with the given id. */
export function generateKey(id: string): KeyringKey {
  if (!KEY_ID.test(id)) throw new KeyringError(`bad key id "${id}"`);
  return { id, key: randomBytes(32) };
}

export interface SecretBox {
  /** The id of the key that seals. */
  readonly newestKeyId: string;
  seal(plaintext: string, boundTo: string): SealedSecret;
  open(sealed: SealedSecret, boundTo: string): string;
  /** The secret sealed again under the newest key; null when it already is. */
  reencrypt(sealed: SealedSecret, boundTo: string): SealedSecret | null;
}

export function createSecretBox(keyring: Keyring): SecretBox {
  const newest = keyring.keys[0];
  if (!newest) throw new KeyringError('the keyring holds no key');
  const byId = new Map(keyring.keys.map((k) => [k.id, k.key]));
  const seal = (plaintext: string, boundTo: string): SealedSecret => {
    // 96-bit random nonces: far below the 2^32 messages per key where collisions start to matter.
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', newest.key, iv);
    cipher.setAAD(Buffer.from(`${newest.id}|${boundTo}`));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return { keyId: newest.id, iv, tag: cipher.getAuthTag(), ciphertext };
  };
  const open = (sealed: SealedSecret, boundTo: string): string => {
    const key = byId.get(sealed.keyId);
    if (!key) throw new SecretOpenError(`no key "${sealed.keyId}" in the keyring`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.iv);
      decipher.setAAD(Buffer.from(`${sealed.keyId}|${boundTo}`));
      decipher.setAuthTag(sealed.tag);
      return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretOpenError(
        `the secret sealed with key "${sealed.keyId}" does not open (tampered, or bound to another owner)`,
      );
    }
  };
  return {
    newestKeyId: newest.id,
    seal,
    open,
    reencrypt: (sealed, boundTo) => (sealed.keyId === newest.id ? null : seal(open(sealed, boundTo), boundTo)),
  };
}
