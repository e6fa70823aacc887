import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../lib/log.ts';
import { loadConfig } from '../lib/config.ts';
import { createMailer } from '../notifications/mailer.ts';
import { freePort } from '../test/ports.ts';
import { startLocalSmtpServer } from './smtp-server.ts';

describe('the local SMTP server', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'afwd-smtp-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('takes mail over SMTP, keeps it as .eml files, and shows it in a read-only web mailbox, escaped', async () => {
    const log = createLogger({ level: 'silent' });
    const port = await freePort();
    const server = await startLocalSmtpServer({ port, mailboxPort: await freePort(), dir, log });
    try {
      const mailer = createMailer(loadConfig({ SMTP_URL: server.smtpUrl }).mail);
      await mailer.send({
        to: 'reader@example.test',
        subject: 'Hello <b>there</b>',
        text: 'Plain & simple',
        html: '<p>Plain &amp; simple</p>',
        headers: { 'List-Unsubscribe': '<https://api.example.test/u>' },
        messageId: '<fixed-1@afinewinedynasty.test>',
      });
      mailer.close();
      const message = await server.waitFor((m) => m.messageId === '<fixed-1@afinewinedynasty.test>', 5000);
      expect(message).toMatchObject({ recipients: ['reader@example.test'], subject: 'Hello <b>there</b>' });
      expect(message.text.trim()).toBe('Plain & simple');
      expect(message.headers['list-unsubscribe']).toBe('<https://api.example.test/u>');
      expect((await readdir(dir)).filter((f) => f.endsWith('.eml'))).toHaveLength(1);

      const list = await (await fetch(server.mailboxUrl!)).text();
      expect(list).toContain('<a href="/messages/0">Hello &lt;b&gt;there&lt;/b&gt;</a>');
      const view = await fetch(`${server.mailboxUrl}messages/0`);
      expect(view.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(await view.text()).toContain('Plain &amp; simple');
      expect((await fetch(`${server.mailboxUrl}messages/9`)).status).toBe(404);
      await expect(server.waitFor((m) => m.subject === 'never', 200)).rejects.toThrow(/no matching message/);
    } finally {
      await server.close();
    }
    // A restart reads the messages back from the folder.
    const again = await startLocalSmtpServer({ port: await freePort(), dir, log });
    try {
      expect((await again.messages()).map((m) => m.subject)).toEqual(['Hello <b>there</b>']);
    } finally {
      await again.close();
    }
  });
});
