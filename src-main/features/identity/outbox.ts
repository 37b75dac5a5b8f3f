import crypto from 'node:crypto';
import type { MailSender } from '../../connectors/mail/mailer';

export type Delivery = 'manual' | 'sending' | 'sent' | 'failed';

export interface OutboxMessage {
  id: string;
  to: string;
  subject: string;
  body: string;
  tsCreated: number;
  tsExpires: number;
  /** `manual`: no mail server, an administrator hands it over. */
  delivery: Delivery;
  attempts: number;
  /** The last SMTP error, for the administrator. */
  error: string | null;
  tsSent: number | null;
  /** The link's secret was replaced by `MASK` for this reader. */
  masked: boolean;
}

/** What a reader without the right to see reset links gets in place of the secret. */
export const MASK = '[hidden]';

/** Waits before each attempt: at once, then after 5 s and 30 s. */
export const SEND_DELAYS_MS = [0, 5_000, 30_000];

/**
 * Messages for people: password reset links. Held in memory only, until they expire: they
 * are secrets and never reach the database or logs. Without a mail server an administrator
 * delivers them by hand (Admin › Outbox). With SMTP configured each is sent at once, retried
 * twice on failure; once sent, its body is dropped from memory, so the link is in the
 * recipient's mailbox only. A message that could not be sent stays for an administrator.
 */
export class Outbox {
  private readonly messages: OutboxMessage[] = [];
  private readonly pending = new Set<Promise<void>>();
  /** The secret inside each message's body, masked for readers who may not see it. */
  private readonly secrets = new WeakMap<OutboxMessage, string>();

  constructor(
    private readonly now: () => number,
    private readonly sender?: MailSender,
    private readonly delaysMs: readonly number[] = SEND_DELAYS_MS,
  ) {}

  /** True when messages go out by e-mail (SMTP configured). */
  get mailing(): boolean {
    return this.sender !== undefined;
  }

  /** `secret`: the part of the body only the recipient and privileged readers may see. */
  add(
    m: Pick<OutboxMessage, 'to' | 'subject' | 'body' | 'tsExpires'> & { secret?: string },
  ): OutboxMessage {
    const { secret, ...fields } = m;
    const message: OutboxMessage = {
      ...fields,
      id: crypto.randomUUID(),
      tsCreated: this.now(),
      delivery: this.sender ? 'sending' : 'manual',
      attempts: 0,
      error: null,
      tsSent: null,
      masked: false,
    };
    this.messages.push(message);
    if (secret) this.secrets.set(message, secret);
    if (this.sender) {
      const p = this.deliver(this.sender, message).finally(() => this.pending.delete(p));
      this.pending.add(p);
    }
    return message;
  }

  /** Live messages, newest first; without `reveal` each message's secret is masked. */
  list(reveal: boolean): OutboxMessage[] {
    const t = this.now();
    for (let i = this.messages.length - 1; i >= 0; i--) {
      if (this.messages[i]!.tsExpires <= t) this.messages.splice(i, 1);
    }
    return this.messages.map((m) => this.view(m, reveal)).reverse();
  }

  private view(m: OutboxMessage, reveal: boolean): OutboxMessage {
    const secret = this.secrets.get(m);
    if (reveal || !secret || !m.body.includes(secret)) return { ...m };
    return { ...m, body: m.body.split(secret).join(MASK), masked: true };
  }

  /** Drops the messages for an address (a reset was completed). */
  removeFor(to: string): void {
    for (let i = this.messages.length - 1; i >= 0; i--) {
      if (this.messages[i]!.to === to) this.messages.splice(i, 1);
    }
  }

  /** Resolves when every send in flight has finished (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  private async deliver(sender: MailSender, m: OutboxMessage): Promise<void> {
    for (const delay of this.delaysMs) {
      if (delay > 0) await new Promise((r) => setTimeout(r, delay).unref());
      if (!this.messages.includes(m)) return; // completed or expired meanwhile
      m.attempts += 1;
      try {
        await sender.send({ to: m.to, subject: m.subject, text: m.body });
        m.delivery = 'sent';
        m.tsSent = this.now();
        m.error = null;
        m.body = `Sent by e-mail through ${sender.describe}.`;
        return;
      } catch (error) {
        m.error = error instanceof Error ? error.message : String(error);
      }
    }
    m.delivery = 'failed';
  }
}
