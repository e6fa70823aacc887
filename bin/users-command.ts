/**
 * The account commands behind `npm run users`: `set-role <email> <free|premium|admin>` (audited, actor 'cli') and
 * `list [--role R]`. Premium is set here by hand until the payments issue records subscriptions.
 */
import { parseArgs } from 'node:util';
import { normalizeEmail } from '../api/auth/email.ts';
import { ROLES, type Role } from '../api/env.ts';
import { writeAudit } from '../db/audit-log.ts';
import { changeRole, listUsers, userByEmail } from '../db/users.ts';
import { ConfigError } from '../lib/config.ts';
import { withTransaction, type Pool } from '../lib/db.ts';

export const USAGE =
  'usage: npm run users -- set-role <email> <free|premium|admin>\n       npm run users -- list [--role free|premium|admin]';

function role(value: string | undefined): Role {
  if (!value || !(ROLES as readonly string[]).includes(value))
    throw new ConfigError(`the role must be one of ${ROLES.join(', ')}, got "${value ?? ''}"; ${USAGE}`);
  return value as Role;
}

/** Runs one command; returns the lines to print. */
export async function usersCommand(pool: Pool, args: string[]): Promise<string[]> {
  const [command, ...rest] = args;
  if (command === 'set-role') {
    const [rawEmail, rawRole, extra] = rest;
    if (!rawEmail || extra !== undefined) throw new ConfigError(USAGE);
    const target = role(rawRole);
    const email = normalizeEmail(rawEmail);
    const user = await userByEmail(pool, email);
    if (!user) throw new ConfigError(`no account has the email ${email}`);
    const changed = await withTransaction(pool, async (client) => {
      const result = await changeRole(client, user.userId, target);
      if (result)
        await writeAudit(client, {
          actor: 'cli',
          action: 'user.set_role',
          subject: user.userId,
          details: { from: result.previousRole, to: target, via: 'cli' },
        });
      return result;
    });
    if (!changed) throw new ConfigError(`no account has the email ${email}`);
    return [
      `${email}: ${changed.previousRole} -> ${target} (takes effect at the user's next login or token refresh, within 15 minutes)`,
    ];
  }
  if (command === 'list') {
    let values: { role?: string | undefined };
    try {
      ({ values } = parseArgs({ args: rest, options: { role: { type: 'string' } }, strict: true }));
    } catch (error) {
      throw new ConfigError(`${(error as Error).message}; ${USAGE}`);
    }
    const filter = values.role === undefined ? undefined : role(values.role);
    const lines: string[] = [];
    let offset = 0;
    for (;;) {
      const page = await listUsers(pool, { limit: 500, offset, role: filter });
      for (const u of page.users) {
        lines.push(
          [
            u.email.padEnd(40),
            u.role.padEnd(8),
            u.createdAt.toISOString(),
            u.lastLoginAt?.toISOString() ?? 'never logged in',
          ].join('  '),
        );
      }
      offset += page.users.length;
      if (page.users.length === 0 || offset >= page.total) break;
    }
    lines.push(`${offset} account${offset === 1 ? '' : 's'}`);
    return lines;
  }
  throw new ConfigError(USAGE);
}
