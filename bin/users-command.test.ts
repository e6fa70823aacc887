import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEntries } from '../db/audit-log.ts';
import { createUser, userByEmail } from '../db/users.ts';
import { ConfigError } from '../lib/config.ts';
import { createTestDatabase, type TestDatabase } from '../test/database.ts';
import { usersCommand } from './users-command.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await createUser(db.pool, { email: 'ann@example.com', passwordHash: 'x' });
  await createUser(db.pool, { email: 'bob@example.com', passwordHash: 'x' });
});
afterAll(async () => {
  await db?.drop();
});

describe('npm run users', () => {
  it('set-role finds the account by any form of its email, sets the role and audits it as the cli', async () => {
    const lines = await usersCommand(db.pool, ['set-role', ' Ann@Example.com', 'premium']);
    expect(lines[0]).toContain('ann@example.com: free -> premium');
    const ann = await userByEmail(db.pool, 'ann@example.com');
    expect(ann?.role).toBe('premium');
    expect(await auditEntries(db.pool, { action: 'user.set_role', subject: ann!.userId })).toMatchObject([
      { actor: 'cli', details: { from: 'free', to: 'premium' } },
    ]);
  });

  it('list prints every account, or those of one role', async () => {
    const all = await usersCommand(db.pool, ['list']);
    expect(all.at(-1)).toBe('2 accounts');
    const premium = await usersCommand(db.pool, ['list', '--role', 'premium']);
    expect(premium).toHaveLength(2);
    expect(premium[0]).toMatch(/^ann@example\.com\s+premium/);
  });

  it.each([
    [['set-role', 'nobody@example.com', 'premium']],
    [['set-role', 'ann@example.com', 'root']],
    [['set-role', 'ann@example.com']],
    [['list', '--role', 'root']],
    [['list', '--sort', 'email']],
    [['drop-all']],
    [[]],
  ])('refuses %j with a usage error', async (args) => {
    await expect(usersCommand(db.pool, args)).rejects.toBeInstanceOf(ConfigError);
  });
});
