import { describe, expect, it } from 'vitest';
import { classifySmtpError, redactAddresses } from './smtp-errors.ts';

const smtpError = (message: string, fields: Record<string, unknown>) => Object.assign(new Error(message), fields);

describe('classifySmtpError', () => {
  it('retries a temporary refusal and gives up on a permanent one, without the address in the message', () => {
    const temporary = classifySmtpError(smtpError('Can\'t send mail - all recipients were rejected: 451 4.3.0 Try again <who@example.test>', { code: 'EENVELOPE', responseCode: 451, command: 'RCPT TO' }));
    expect(temporary.failure).toBe('retry');
    expect(temporary.message).not.toContain('who@example.test');
    expect(temporary.message).toContain('<address>');
    expect(classifySmtpError(smtpError('550 no such user', { code: 'EENVELOPE', responseCode: 550, command: 'RCPT TO' })).failure).toBe('permanent');
    expect(classifySmtpError(smtpError('No recipients defined', { code: 'EENVELOPE', command: 'API' })).failure).toBe('permanent');
  });

  it('retries when the server was never reached, and is in doubt when the connection broke', () => {
    expect(classifySmtpError(smtpError('connect ECONNREFUSED 127.0.0.1:2525', { code: 'ESOCKET', command: 'CONN' })).failure).toBe('retry');
    expect(classifySmtpError(smtpError('Connection closed unexpectedly', { code: 'ECONNECTION', command: 'CONN' })).failure).toBe('in-doubt');
    expect(classifySmtpError(smtpError('Timeout', { code: 'ETIMEDOUT' })).failure).toBe('in-doubt');
    expect(classifySmtpError('weird').failure).toBe('in-doubt');
  });

  it('redacts addresses wherever they appear', () => {
    expect(redactAddresses('to a.b+c@x.example.test, "d@e.f"')).toBe('to <address>, "<address>"');
  });
});
