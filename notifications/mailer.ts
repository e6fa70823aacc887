/**
 * Sending one e-mail over SMTP with nodemailer: SMTP_URL (smtp:// with STARTTLS when offered, smtps:// for implicit
 * TLS, credentials in the URL), or the local server `npm start` runs. The Message-ID is the outbox row's, fixed before
 * the first attempt.
 */
import nodemailer from 'nodemailer';
import type { Config } from '../lib/config.ts';

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
  /** `<...@domain>`, from the outbox row. */
  messageId: string;
}

export interface Mailer {
  /** Resolves once the server took the message; rejects with nodemailer's error (see smtp-errors.ts). */
  send(email: OutgoingEmail): Promise<void>;
  close(): void;
}

/** The domain Message-IDs are made under: the From address's. */
export function messageIdDomain(from: string): string {
  const match = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from);
  return match?.[1] ?? 'localhost';
}

export function createMailer(mail: Config['mail']): Mailer {
  const url = new URL(mail.smtpUrl ?? `smtp://127.0.0.1:${mail.localPort}`);
  const secure = url.protocol === 'smtps:';
  const transport = nodemailer.createTransport({
    host: url.hostname,
    port: Number(url.port || (secure ? 465 : 587)),
    secure,
    // The local server speaks plain SMTP on loopback; a real one is asked for STARTTLS when it offers it.
    ignoreTLS: mail.smtpUrl === undefined,
    ...(url.username
      ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } }
      : {}),
    // Well inside the send activity's 2-minute timeout, so the activity records the outcome itself.
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
  });
  return {
    async send(email) {
      await transport.sendMail({
        from: mail.from,
        to: email.to,
        subject: email.subject,
        text: email.text,
        html: email.html,
        headers: email.headers,
        messageId: email.messageId,
      });
    },
    close: () => transport.close(),
  };
}
