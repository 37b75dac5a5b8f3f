import { afterEach, describe, expect, it } from 'vitest';
import { smtpSender } from '../../../src-main/connectors/mail/mailer';
import { Outbox } from '../../../src-main/features/identity/outbox';
import { FakeSmtpServer } from '../../fakes/smtp-server';
import { startTestBackend, type TestBackend } from '../../helpers/backend';
import { createOwner, createUser, enableTwoFactor, identityOf } from '../../helpers/auth';

let backend: TestBackend | undefined;
let smtp: FakeSmtpServer | undefined;
afterEach(async () => {
  await backend?.cleanup();
  await smtp?.stop();
  backend = undefined;
  smtp = undefined;
});

async function fakeSmtp(): Promise<{ server: FakeSmtpServer; port: number }> {
  smtp = new FakeSmtpServer('bourse', 's3cret pass');
  return { server: smtp, port: await smtp.start() };
}

const HOUR = 3_600_000;

/** RFC 2045 quoted-printable: soft line breaks and =XX escapes. */
const quotedPrintable = (s: string) =>
  s
    .replace(/=\r\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));

describe('password reset links by e-mail (optional SMTP)', () => {
  it('e-mails the link, keeps it out of the admin outbox, and the link works once', async () => {
    const { server, port } = await fakeSmtp();
    backend = await startTestBackend({
      smtpUrl: `smtp://bourse:${encodeURIComponent('s3cret pass')}@127.0.0.1:${port}`,
      smtpFrom: 'Bourse <bourse@example.test>',
    });
    const owner = await enableTwoFactor(backend, await createOwner(backend));
    const user = await createUser(backend, 'trader');
    const post = (url: string, payload: object) =>
      backend!.http.inject({ method: 'POST', url, payload });
    const asked = await post('/api/v1/password-reset', { email: user.email });
    expect(asked.json()).toEqual({ ok: true, delivery: 'email' });
    await identityOf(backend).outbox.settled();

    expect(server.received).toHaveLength(1);
    const mail = server.received[0]!;
    expect(mail).toMatchObject({ from: 'bourse@example.test', to: [user.email], user: 'bourse' });
    expect(mail.data).toMatch(/^Subject: Reset your Bourse password$/m);
    const body = /^Content-Transfer-Encoding: quoted-printable$/m.test(mail.data)
      ? quotedPrintable(mail.data.slice(mail.data.indexOf('\r\n\r\n') + 4))
      : mail.data;
    const token = /#\/reset\?token=([A-Za-z0-9_.-]+)/.exec(body)![1]!;

    const outbox = (
      await backend.http.inject({
        method: 'GET',
        url: '/api/v1/admin/outbox',
        headers: owner.headers,
      })
    ).json().items as Array<Record<string, unknown>>;
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({ to: user.email, delivery: 'sent', attempts: 1, error: null });
    expect(JSON.stringify(outbox)).not.toContain(token.split('.')[1]!);

    const done = await post('/api/v1/password-reset/complete', {
      token,
      newPassword: 'a brand new passphrase',
    });
    expect(done.statusCode).toBe(200);
  });

  it('retries a temporary failure', async () => {
    const { server, port } = await fakeSmtp();
    server.failNext(1);
    const outbox = new Outbox(
      () => 0,
      smtpSender(
        `smtp://bourse:${encodeURIComponent('s3cret pass')}@127.0.0.1:${port}`,
        'b@x.test',
      ),
      [0, 10, 10],
    );
    outbox.add({ to: 'a@example.test', subject: 'Hi', body: 'link', tsExpires: HOUR });
    await outbox.settled();
    expect(outbox.list(true)[0]).toMatchObject({ delivery: 'sent', attempts: 2, error: null });
    expect(server.received).toHaveLength(1);
    expect(server.log).toContain('S: 451 4.3.0 Temporary failure, try again later');
  });

  it('keeps the link for an administrator when the server refuses the login', async () => {
    const { server, port } = await fakeSmtp();
    const outbox = new Outbox(
      () => 0,
      smtpSender(`smtp://bourse:wrong@127.0.0.1:${port}`, 'b@x.test'),
      [0, 10, 10],
    );
    outbox.add({ to: 'a@example.test', subject: 'Hi', body: 'the link', tsExpires: HOUR });
    await outbox.settled();
    expect(outbox.list(true)[0]).toMatchObject({
      delivery: 'failed',
      attempts: 3,
      body: 'the link',
    });
    expect(outbox.list(true)[0]!.error).toMatch(/535/);
    expect(server.received).toHaveLength(0);
  });

  it('the fake is strict: no mail without login, no RCPT before MAIL', async () => {
    const { server, port } = await fakeSmtp();
    const net = await import('node:net');
    const lines: string[] = [];
    const socket = net.connect(port, '127.0.0.1');
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => lines.push(...d.split('\r\n').filter(Boolean)));
    const say = async (line: string) => {
      socket.write(`${line}\r\n`);
      await new Promise((r) => setTimeout(r, 30));
    };
    await new Promise((r) => socket.once('connect', r));
    await say('MAIL FROM:<a@x.test>');
    await say('EHLO client.test');
    await say('RCPT TO:<b@x.test>');
    await say('MAIL FROM:<a@x.test>');
    await say('QUIT');
    socket.destroy();
    expect(lines).toContain('503 5.5.1 EHLO first');
    expect(lines).toContain('503 5.5.1 Need MAIL before RCPT');
    expect(lines).toContain('530 5.7.0 Authentication required');
    expect(server.received).toHaveLength(0);
  });

  it('refuses a URL that is not smtp:// or smtps://', () => {
    expect(() => smtpSender('http://mail.example.test', 'b@x.test')).toThrow(
      /smtp:\/\/ or smtps:\/\//,
    );
  });
});
