import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEntries } from '../db/audit-log.ts';
import { linkOf, resealLink, saveLink } from '../db/fantrax-links.ts';
import { createUser } from '../db/users.ts';
import { createSecretBox, generateKey } from '../fantrax/secret-box.ts';
import { createTestDatabase, type TestDatabase } from '../test/database.ts';
import { formatRotationReport, rotateFantraxKeys } from './fantrax-rotate-keys-command.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

describe('npm run fantrax:rotate-keys', () => {
  it('re-encrypts every secret under the newest key, leaves current ones, and reports the unreadable', async () => {
    const old = generateKey('k-old');
    const lost = generateKey('k-lost');
    const users = await Promise.all(
      ['a', 'b', 'c'].map(async (n) => (await createUser(db.pool, { email: `${n}@example.test`, passwordHash: 'x' }))!),
    );
    await saveLink(db.pool, users[0]!, createSecretBox({ keys: [old] }).seal('secret-a', users[0]!));
    await saveLink(db.pool, users[1]!, createSecretBox({ keys: [lost] }).seal('secret-b', users[1]!));
    const keyring = { keys: [generateKey('k-new'), old] };
    await saveLink(db.pool, users[2]!, createSecretBox(keyring).seal('secret-c', users[2]!));

    const report = await rotateFantraxKeys(db.pool, keyring);
    expect(report).toEqual({ newestKeyId: 'k-new', rotated: 1, alreadyCurrent: 1, unreadable: [users[1]] });
    const a = await linkOf(db.pool, users[0]!);
    expect(a?.sealed.keyId).toBe('k-new');
    // Only the newest key is needed now.
    expect(createSecretBox({ keys: [keyring.keys[0]!] }).open(a!.sealed, users[0]!)).toBe('secret-a');
    expect(formatRotationReport(report).join('\n')).not.toMatch(/secret-/);
    expect(await auditEntries(db.pool, { action: 'fantrax_keys_rotated' })).toMatchObject([
      { actor: 'cli', details: { newestKeyId: 'k-new', rotated: 1, unreadable: 1 } },
    ]);
    expect((await rotateFantraxKeys(db.pool, keyring)).rotated).toBe(0);
  });

  it('leaves a relink made meanwhile under the old key (an API not yet given the new key) as it is', async () => {
    const old = generateKey('k-old');
    const keyring = { keys: [generateKey('k-new'), old] };
    const user = (await createUser(db.pool, { email: 'relink@example.test', passwordHash: 'x' }))!;
    await saveLink(db.pool, user, createSecretBox({ keys: [old] }).seal('secret-before', user));
    const read = (await linkOf(db.pool, user))!;
    const resealed = createSecretBox(keyring).reencrypt(read.sealed, user)!;
    // The user relinks between the rotation's read and its write, through an API still sealing with k-old.
    await saveLink(db.pool, user, createSecretBox({ keys: [old] }).seal('secret-after', user));
    expect(await resealLink(db.pool, user, read.sealed, resealed)).toBe(false);
    const now = (await linkOf(db.pool, user))!;
    expect(createSecretBox(keyring).open(now.sealed, user)).toBe('secret-after');
    // Unchanged since the read: replaced.
    expect(await resealLink(db.pool, user, now.sealed, createSecretBox(keyring).reencrypt(now.sealed, user)!)).toBe(
      true,
    );
    expect((await linkOf(db.pool, user))!.sealed.keyId).toBe('k-new');
  });
});
