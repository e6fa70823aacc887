import { createServer, type AddressInfo, type Socket } from 'node:net';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { describe, expect, it } from 'vitest';
import { classifySmtpError, redactAddresses } from './smtp-errors.ts';

const smtpError = (message: string, fields: Record<string, unknown>) => Object.assign(new Error(message), fields);

describe('classifySmtpError', () => {
  it('retries a temporary refusal and gives up on a permanent one, without the address in the message', () => {
    const temporary = classifySmtpError(
      smtpError("Can't send mail - all recipients were rejected: 451 4.3.0 Try again <who@example.test>", {
        code: 'EENVELOPE',
        responseCode: 451,
        command: 'RCPT TO',
      }),
    );
    expect(temporary.failure).toBe('retry');
    expect(temporary.message).not.toContain('who@example.test');
    expect(temporary.message).toContain('<address>');
    expect(
      classifySmtpError(smtpError('550 no such user', { code: 'EENVELOPE', responseCode: 550, command: 'RCPT TO' }))
        .failure,
    ).toBe('permanent');
    expect(classifySmtpError(smtpError('No recipients defined', { code: 'EENVELOPE', command: 'API' })).failure).toBe(
      'permanent',
    );
  });

  it('retries when the server was never reached, and is in doubt when the connection broke', () => {
    expect(
      classifySmtpError(smtpError('connect ECONNREFUSED 127.0.0.1:2525', { code: 'ESOCKET', command: 'CONN' })).failure,
    ).toBe('retry');
    expect(
      classifySmtpError(smtpError('Connection closed unexpectedly', { code: 'ECONNECTION', command: 'CONN' })).failure,
    ).toBe('in-doubt');
    expect(classifySmtpError(smtpError('Timeout', { code: 'ETIMEDOUT' })).failure).toBe('in-doubt');
    expect(classifySmtpError('weird').failure).toBe('in-doubt');
  });

  it('redacts addresses wherever they appear', () => {
    expect(redactAddresses('to a.b+c@x.example.test, "d@e.f"')).toBe('to <address>, "<address>"');
  });
});

describe('classifySmtpError on what nodemailer really raises', () => {
  const send = (port: number, extra: Record<string, unknown> = {}) =>
    nodemailer
      .createTransport({
        host: '127.0.0.1',
        port,
        secure: false,
        ignoreTLS: true,
        greetingTimeout: 200,
        connectionTimeout: 1000,
        ...extra,
      })
      .sendMail({ from: 'a@example.test', to: 'b@example.test', subject: 's', text: 't' })
      .then(
        () => null,
        (error: unknown) => error,
      );

  it('retries a server that takes the connection but never greets: nothing was handed over', async () => {
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => {
      sockets.add(socket);
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const error = await send((silent.address() as AddressInfo).port);
      expect(error).toMatchObject({ code: 'ETIMEDOUT' });
      expect(classifySmtpError(error).failure).toBe('retry');
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('retries a refused login (535): the credentials are wrong, not the message', async () => {
    const server = new SMTPServer({
      authOptional: false,
      disabledCommands: ['STARTTLS'],
      onAuth: (_auth, _session, callback) => callback(new Error('Invalid username or password')),
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const error = await send((server.server.address() as AddressInfo).port, { auth: { user: 'u', pass: 'wrong' } });
      expect(error).toMatchObject({ code: 'EAUTH', responseCode: 535 });
      expect(classifySmtpError(error).failure).toBe('retry');
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
