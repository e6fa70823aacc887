import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../lib/config.ts';
import { KEY_FILE, loadKeyring } from './keyring.ts';
import {
  createSecretBox,
  formatKeyring,
  generateKey,
  KeyringError,
  parseKeyring,
  SecretOpenError,
} from './secret-box.ts';

const SECRET = 'a1b2c3d4e5f6secret';

describe('secret box', () => {
  it('seals with the newest key and opens what an older key sealed', () => {
    const old = generateKey('k2025');
    const sealedOld = createSecretBox({ keys: [old] }).seal(SECRET, 'user-1');
    const box = createSecretBox({ keys: [generateKey('k2026'), old] });
    const sealedNew = box.seal(SECRET, 'user-1');
    expect(sealedNew.keyId).toBe('k2026');
    expect(sealedNew.ciphertext.toString('utf8')).not.toContain(SECRET);
    expect(box.open(sealedNew, 'user-1')).toBe(SECRET);
    expect(box.open(sealedOld, 'user-1')).toBe(SECRET);
  });

  it('re-encrypts an older secret under the newest key, and leaves a current one alone', () => {
    const old = generateKey('old');
    const sealed = createSecretBox({ keys: [old] }).seal(SECRET, 'u');
    const box = createSecretBox({ keys: [generateKey('new'), old] });
    const rotated = box.reencrypt(sealed, 'u');
    expect(rotated?.keyId).toBe('new');
    expect(box.open(rotated!, 'u')).toBe(SECRET);
    expect(box.reencrypt(rotated!, 'u')).toBeNull();
  });

  it('refuses a tampered ciphertext, another owner, and an unknown key id', () => {
    const box = createSecretBox({ keys: [generateKey('k')] });
    const sealed = box.seal(SECRET, 'u1');
    const flipped = Buffer.from(sealed.ciphertext);
    flipped[0] = flipped[0]! ^ 1;
    expect(() => box.open({ ...sealed, ciphertext: flipped }, 'u1')).toThrow(SecretOpenError);
    expect(() => box.open(sealed, 'u2')).toThrow(SecretOpenError);
    expect(() => box.open({ ...sealed, keyId: 'gone' }, 'u1')).toThrow(/no key "gone"/);
  });

  it('parses a keyring setting and rejects short keys, bad ids and repeats without echoing a key', () => {
    const a = generateKey('a');
    const b = generateKey('b');
    const parsed = parseKeyring(formatKeyring({ keys: [a, b] }));
    expect(parsed.keys.map((k) => k.id)).toEqual(['a', 'b']);
    expect(parsed.keys[0]!.key.equals(a.key)).toBe(true);
    expect(() => parseKeyring(`a:${Buffer.alloc(16).toString('base64')}`)).toThrow(/32 bytes/);
    expect(() => parseKeyring(`:${a.key.toString('base64')}`)).toThrow(KeyringError);
    expect(() => parseKeyring(`${formatKeyring({ keys: [a] })},${formatKeyring({ keys: [a] })}`)).toThrow(/repeats/);
    expect(() => parseKeyring('')).toThrow(/no key/);
  });

  it('generates one local key into the data dir (mode 0600) and reads the same key back', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'afwd-keys-'));
    const config = loadConfig({ AFWD_DATA_DIR: dataDir });
    const first = await loadKeyring(config);
    const again = await loadKeyring(config);
    expect(again.keys[0]!.key.equals(first.keys[0]!.key)).toBe(true);
    const file = path.join(dataDir, KEY_FILE);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readFile(file, 'utf8')).toContain(first.keys[0]!.id);
    const configured = loadConfig({
      AFWD_DATA_DIR: dataDir,
      FANTRAX_SECRET_KEYS: formatKeyring({ keys: [generateKey('set')] }),
    });
    expect((await loadKeyring(configured)).keys[0]!.id).toBe('set');
  });
});
