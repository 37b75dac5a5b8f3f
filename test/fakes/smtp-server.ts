import net from 'node:net';

/** One message the fake accepted. */
export interface ReceivedMail {
  from: string;
  to: string[];
  /** The DATA section, dot-unstuffed, without the final `.` line. */
  data: string;
  user: string;
}

/**
 * A strict SMTP server (RFC 5321, AUTH PLAIN/LOGIN of RFC 4954) for tests: commands out of
 * order answer 503, mail before a successful AUTH answers 530, wrong credentials 535,
 * unknown commands 500. `failNext(n)` answers the next n MAIL commands with 451 (a
 * temporary failure the client should retry).
 */
export class FakeSmtpServer {
  readonly received: ReceivedMail[] = [];
  readonly log: string[] = [];
  private server: net.Server | undefined;
  private failures = 0;

  constructor(
    private readonly user: string,
    private readonly pass: string,
  ) {}

  failNext(n: number): void {
    this.failures = n;
  }

  async start(): Promise<number> {
    this.server = net.createServer((socket) => this.session(socket));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as net.AddressInfo).port;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
  }

  private session(socket: net.Socket): void {
    let greeted = false;
    let authedAs: string | undefined;
    let from: string | undefined;
    let to: string[] = [];
    let inData = false;
    let data: string[] = [];
    let authStep: 'none' | 'plain' | 'login-user' | 'login-pass' = 'none';
    let loginUser = '';
    let buffer = '';
    const reply = (line: string) => {
      this.log.push(`S: ${line}`);
      socket.write(`${line}\r\n`);
    };
    const checkAuth = (user: string, pass: string) => {
      if (user === this.user && pass === this.pass) {
        authedAs = user;
        reply('235 2.7.0 Authentication successful');
      } else {
        reply('535 5.7.8 Authentication credentials invalid');
      }
    };
    const b64 = (s: string) => Buffer.from(s, 'base64').toString('utf8');
    const onLine = (line: string) => {
      if (inData) {
        if (line === '.') {
          inData = false;
          this.received.push({ from: from!, to, data: data.join('\r\n'), user: authedAs! });
          from = undefined;
          to = [];
          data = [];
          reply('250 2.0.0 Ok: queued');
        } else {
          data.push(line.startsWith('..') ? line.slice(1) : line);
        }
        return;
      }
      this.log.push(`C: ${line.startsWith('AUTH') ? 'AUTH …' : line}`);
      if (authStep === 'plain') {
        authStep = 'none';
        const [, user = '', pass = ''] = b64(line).split('\u0000');
        return checkAuth(user, pass);
      }
      if (authStep === 'login-user') {
        loginUser = b64(line);
        authStep = 'login-pass';
        return reply('334 UGFzc3dvcmQ6');
      }
      if (authStep === 'login-pass') {
        authStep = 'none';
        return checkAuth(loginUser, b64(line));
      }
      const [verb = '', ...rest] = line.split(' ');
      const arg = rest.join(' ');
      switch (verb.toUpperCase()) {
        case 'EHLO':
          if (!arg) return reply('501 5.5.4 EHLO needs a domain');
          greeted = true;
          socket.write('250-fake.smtp.test\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n');
          return;
        case 'HELO':
          if (!arg) return reply('501 5.5.4 HELO needs a domain');
          greeted = true;
          return reply('250 fake.smtp.test');
        case 'AUTH': {
          if (!greeted) return reply('503 5.5.1 EHLO first');
          if (authedAs) return reply('503 5.5.1 Already authenticated');
          const [mech = '', initial] = arg.split(' ');
          if (mech.toUpperCase() === 'PLAIN') {
            if (initial) {
              const [, user = '', pass = ''] = b64(initial).split('\u0000');
              return checkAuth(user, pass);
            }
            authStep = 'plain';
            return reply('334 ');
          }
          if (mech.toUpperCase() === 'LOGIN') {
            if (initial) {
              loginUser = b64(initial);
              authStep = 'login-pass';
              return reply('334 UGFzc3dvcmQ6');
            }
            authStep = 'login-user';
            return reply('334 VXNlcm5hbWU6');
          }
          return reply('504 5.5.4 Unrecognized authentication type');
        }
        case 'MAIL': {
          if (!greeted) return reply('503 5.5.1 EHLO first');
          if (!authedAs) return reply('530 5.7.0 Authentication required');
          if (from !== undefined) return reply('503 5.5.1 Nested MAIL command');
          const m = /^FROM:\s*<([^>]*)>/i.exec(arg);
          if (!m) return reply('501 5.5.4 Syntax: MAIL FROM:<address>');
          if (this.failures > 0) {
            this.failures -= 1;
            return reply('451 4.3.0 Temporary failure, try again later');
          }
          from = m[1];
          return reply('250 2.1.0 Ok');
        }
        case 'RCPT': {
          if (from === undefined) return reply('503 5.5.1 Need MAIL before RCPT');
          const m = /^TO:\s*<([^>]+)>/i.exec(arg);
          if (!m) return reply('501 5.5.4 Syntax: RCPT TO:<address>');
          to.push(m[1]!);
          return reply('250 2.1.5 Ok');
        }
        case 'DATA':
          if (from === undefined || to.length === 0)
            return reply('503 5.5.1 Need RCPT before DATA');
          inData = true;
          return reply('354 End data with <CR><LF>.<CR><LF>');
        case 'RSET':
          from = undefined;
          to = [];
          return reply('250 2.0.0 Ok');
        case 'NOOP':
          return reply('250 2.0.0 Ok');
        case 'QUIT':
          reply('221 2.0.0 Bye');
          socket.end();
          return;
        default:
          return reply('500 5.5.2 Command not recognized');
      }
    };
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      let i: number;
      while ((i = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 2);
        onLine(line);
      }
    });
    socket.on('error', () => socket.destroy());
    reply('220 fake.smtp.test ESMTP');
  }
}
