/**
 * What a failed SMTP hand-off means for an outbox row: the server refused the message (retry later, or give up on a
 * permanent 5xx), it was never reached (retry), or the connection broke while the message may have been taken
 * ('in-doubt': never resent, so one Message-ID is at most one delivery). Messages are stripped of addresses.
 */

export type SmtpFailure = 'retry' | 'permanent' | 'in-doubt';

export interface ClassifiedSmtpError {
  failure: SmtpFailure;
  /** For last_error and logs: no e-mail address in it. */
  message: string;
}

/** Never reached the server: nothing was handed over. */
const UNREACHED = /\b(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH)\b/;

export function redactAddresses(text: string): string {
  return text.replace(/[^\s<>()[\]"',;:]+@[^\s<>()[\]"',;:]+/g, '<address>');
}

/** Reads nodemailer's error fields (`responseCode`, `code`, `command`, `response`). */
/** nodemailer's timeouts of the connection phases (connect, greeting, STARTTLS): before any envelope is sent. */
const SETUP_TIMEOUTS = new Set(['CONNECT_TIMEOUT', 'GREETING_TIMEOUT', 'UPGRADE_TIMEOUT']);

export function classifySmtpError(error: unknown): ClassifiedSmtpError {
  const e = (error ?? {}) as {
    message?: unknown;
    responseCode?: unknown;
    code?: unknown;
    command?: unknown;
    timeoutType?: unknown;
  };
  const raw = typeof e.message === 'string' ? e.message : String(error);
  const responseCode = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const code = typeof e.code === 'string' ? e.code : '';
  const text = redactAddresses(
    `${code ? `${code} ` : ''}${typeof e.command === 'string' ? `[${e.command}] ` : ''}${raw}`,
  ).slice(0, 500);
  // Login refused (535 included): our credentials, not the message; nothing was handed over, so retry.
  if (code === 'EAUTH') return { failure: 'retry', message: text };
  // The connection was never set up: nothing was handed over.
  if (code === 'ETIMEDOUT' && typeof e.timeoutType === 'string' && SETUP_TIMEOUTS.has(e.timeoutType))
    return { failure: 'retry', message: text };
  // The server answered with a refusal: the message was not taken.
  if (responseCode !== undefined && responseCode >= 500) return { failure: 'permanent', message: text };
  if (responseCode !== undefined && responseCode >= 400) return { failure: 'retry', message: text };
  // Refused by nodemailer itself before anything was sent (no recipient, bad address, bad message).
  if (code === 'EENVELOPE' || code === 'EMESSAGE') return { failure: 'permanent', message: text };
  if (code === 'EDNS' || code === 'ETLS' || UNREACHED.test(raw)) return { failure: 'retry', message: text };
  return { failure: 'in-doubt', message: text };
}
