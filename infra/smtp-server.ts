/**
 * The local SMTP server that stands in for a real one when SMTP_URL is unset (and that tests send to): the
 * `smtp-server` package on 127.0.0.1, no auth and no TLS, keeping every message it takes (in memory, and as .eml
 * files in `dir` when given), with a tiny read-only web mailbox (list + view) for `npm start` users.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { Logger } from '../lib/log.ts';

export interface ReceivedMessage {
  /** The To header as text. */
  to: string;
  /** The envelope's recipients (RCPT TO); empty for messages read back from `dir`. */
  recipients: string[];
  subject: string;
  text: string;
  html: string;
  /** Header names in lower case. */
  headers: Record<string, string>;
  messageId: string;
  receivedAt: Date;
}

/** A refusal for the sender: an SMTP reply code (4xx temporary, 5xx permanent) and its text. */
export interface SmtpRefusal {
  responseCode: number;
  message: string;
}

export interface LocalSmtpServerOptions {
  /** SMTP port on 127.0.0.1 (config.mail.localPort; tests: freePort()). */
  port: number;
  /** Folder to write each message into as `<time>-<id>.eml`. */
  dir?: string;
  /** Port of the web mailbox (config.mail.localPort + 1); none when unset. */
  mailboxPort?: number;
  log: Logger;
  /** Asked at each RCPT TO; a refusal is answered instead of accepting (tests of retries). */
  refuseRecipient?: (address: string) => SmtpRefusal | undefined;
}

export interface LocalSmtpServer {
  smtpUrl: string;
  mailboxUrl?: string;
  /** Every message taken so far, parsed, oldest first. */
  messages(): Promise<ReceivedMessage[]>;
  /** The first message (taken so far or later) that `predicate` accepts; rejects after `timeoutMs`. */
  waitFor(predicate: (message: ReceivedMessage) => boolean, timeoutMs?: number): Promise<ReceivedMessage>;
  close(): Promise<void>;
}

interface Stored {
  raw: Buffer;
  recipients: string[];
  receivedAt: Date;
  parsed?: Promise<ReceivedMessage>;
}

async function parse(stored: Stored): Promise<ReceivedMessage> {
  const mail = await simpleParser(stored.raw);
  const headers: Record<string, string> = {};
  for (const line of mail.headerLines) {
    headers[line.key] = line.line.slice(line.line.indexOf(':') + 1).trim();
  }
  const to = Array.isArray(mail.to) ? mail.to.map((a) => a.text).join(', ') : (mail.to?.text ?? '');
  return {
    to,
    recipients: stored.recipients,
    subject: mail.subject ?? '',
    text: mail.text ?? '',
    html: typeof mail.html === 'string' ? mail.html : '',
    headers,
    messageId: mail.messageId ?? '',
    receivedAt: stored.receivedAt,
  };
}

function escape(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!,
  );
}

export async function startLocalSmtpServer(options: LocalSmtpServerOptions): Promise<LocalSmtpServer> {
  const stored: Stored[] = [];
  const waiters = new Set<() => void>();
  const parsed = (s: Stored) => (s.parsed ??= parse(s));
  if (options.dir) {
    // Messages of earlier runs stay in the mailbox.
    await mkdir(options.dir, { recursive: true });
    for (const name of (await readdir(options.dir)).filter((n) => n.endsWith('.eml')).sort()) {
      const file = path.join(options.dir, name);
      stored.push({ raw: await readFile(file), recipients: [], receivedAt: (await stat(file)).mtime });
    }
  }

  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    banner: 'A Fine Wine Dynasty local mail',
    onRcptTo(address, _session, callback) {
      const refusal = options.refuseRecipient?.(address.address);
      if (!refusal) return callback();
      callback(Object.assign(new Error(refusal.message), { responseCode: refusal.responseCode }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', callback);
      stream.on('end', () => {
        const message: Stored = {
          raw: Buffer.concat(chunks),
          recipients: session.envelope.rcptTo.map((a) => a.address),
          receivedAt: new Date(),
        };
        const save = options.dir
          ? writeFile(
              path.join(
                options.dir,
                `${message.receivedAt.toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}.eml`,
              ),
              message.raw,
            )
          : Promise.resolve();
        save.then(
          () => {
            stored.push(message);
            for (const wake of waiters) wake();
            callback();
          },
          (error: Error) => callback(error),
        );
      });
    },
  });
  smtp.on('error', (error) => options.log.warn({ err: error }, 'local SMTP server error'));
  await new Promise<void>((resolve, reject) => {
    smtp.server.once('error', reject);
    smtp.listen(options.port, '127.0.0.1', () => resolve());
  });

  let web: Server | undefined;
  if (options.mailboxPort !== undefined) {
    web = createServer((req, res) => {
      void (async () => {
        const url = new URL(req.url ?? '/', 'http://localhost');
        const all = await Promise.all(stored.map(parsed));
        const page = (title: string, body: string) => {
          res.writeHead(200, {
            'content-type': 'text/html; charset=utf-8',
            'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
          });
          res.end(
            `<!doctype html><html><head><meta charset="utf-8"><title>${escape(title)}</title></head><body style="font-family:sans-serif">${body}</body></html>`,
          );
        };
        const view = /^\/messages\/(\d+)$/.exec(url.pathname);
        if (url.pathname === '/') {
          const rows = all
            .map(
              (m, i) =>
                `<tr><td>${escape(m.receivedAt.toISOString())}</td><td>${escape(m.to)}</td><td><a href="/messages/${i}">${escape(m.subject || '(no subject)')}</a></td></tr>`,
            )
            .reverse();
          return page(
            'Local mailbox',
            `<h1>Local mailbox</h1><p>${all.length} message(s), newest first.</p><table><tr><th>received</th><th>to</th><th>subject</th></tr>${rows.join('')}</table>`,
          );
        }
        const message = view ? all[Number(view[1])] : undefined;
        if (message) {
          const headers = Object.entries(message.headers)
            .map(([k, v]) => `${escape(k)}: ${escape(v)}`)
            .join('\n');
          return page(
            message.subject,
            `<p><a href="/">← all messages</a></p><h1>${escape(message.subject)}</h1><pre>${headers}</pre><hr><pre style="white-space:pre-wrap">${escape(message.text)}</pre>`,
          );
        }
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      })().catch((error: unknown) => {
        options.log.warn({ err: error }, 'local mailbox page failed');
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end();
      });
    });
    await new Promise<void>((resolve, reject) => {
      web!.once('error', reject);
      web!.listen(options.mailboxPort, '127.0.0.1', () => resolve());
    });
  }

  return {
    smtpUrl: `smtp://127.0.0.1:${options.port}`,
    ...(options.mailboxPort !== undefined ? { mailboxUrl: `http://127.0.0.1:${options.mailboxPort}/` } : {}),
    messages: () => Promise.all(stored.map(parsed)),
    async waitFor(predicate, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = (await Promise.all(stored.map(parsed))).find(predicate);
        if (found) return found;
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no matching message within ${timeoutMs} ms (${stored.length} received)`);
        await new Promise<void>((resolve) => {
          const wake = () => {
            waiters.delete(wake);
            clearTimeout(timer);
            resolve();
          };
          const timer = setTimeout(wake, left);
          waiters.add(wake);
        });
      }
    },
    async close() {
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
      if (web) await new Promise<void>((resolve) => web.close(() => resolve()));
    },
  };
}
