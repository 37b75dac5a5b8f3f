import crypto from 'node:crypto';

export interface OutboxMessage {
  id: string;
  to: string;
  subject: string;
  body: string;
  tsCreated: number;
  tsExpires: number;
}

/**
 * Messages an administrator delivers by hand (there is no mail server). Held in memory
 * only, until they expire: reset links are secrets and never reach the database or logs.
 */
export class Outbox {
  private readonly messages: OutboxMessage[] = [];

  constructor(private readonly now: () => number) {}

  add(m: Omit<OutboxMessage, 'id' | 'tsCreated'>): OutboxMessage {
    const message = { ...m, id: crypto.randomUUID(), tsCreated: this.now() };
    this.messages.push(message);
    return message;
  }

  list(): OutboxMessage[] {
    const t = this.now();
    for (let i = this.messages.length - 1; i >= 0; i--) {
      if (this.messages[i]!.tsExpires <= t) this.messages.splice(i, 1);
    }
    return [...this.messages].reverse();
  }

  /** Drops the messages for an address (a reset was completed). */
  removeFor(to: string): void {
    for (let i = this.messages.length - 1; i >= 0; i--) {
      if (this.messages[i]!.to === to) this.messages.splice(i, 1);
    }
  }
}
