import nodemailer from 'nodemailer';

/** Sends one plain-text e-mail; rejects with the server's reason. */
export interface MailSender {
  /** Where mail goes, for people (host and port, never the credentials). */
  readonly describe: string;
  send(message: { to: string; subject: string; text: string }): Promise<void>;
}

/**
 * SMTP through nodemailer (a maintained SMTP client: STARTTLS, implicit TLS, AUTH PLAIN/
 * LOGIN, dot-stuffing — none of it worth hand-writing). `url` is
 * `smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://user:pass@host:465`.
 */
export function smtpSender(url: string, from: string): MailSender {
  const parsed = new URL(url);
  if (parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:') {
    throw new Error(`BOURSE_SMTP_URL must start with smtp:// or smtps:// (got ${parsed.protocol})`);
  }
  const transport = nodemailer.createTransport(url);
  return {
    describe: `${parsed.protocol}//${parsed.hostname}:${parsed.port || (parsed.protocol === 'smtps:' ? 465 : 587)}`,
    async send(m) {
      await transport.sendMail({ from, to: m.to, subject: m.subject, text: m.text });
    },
  };
}
