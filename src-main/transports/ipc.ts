import { AppError, type ErrorBody, type StreamMessage } from '../../src-shared/contract';
import { mayReceive } from '../events/audience';
import type { EventHub } from '../events/hub';
import type { Authenticator } from '../operations/auth';
import type { Door } from '../operations/context';
import { ANONYMOUS, type Principal } from '../operations/principal';
import type { FromBackend, ToBackend } from '../../src-shared/ipc';

/**
 * What the IPC door needs of the backend, declared here so the transport does not import the
 * composition root (the root's `Backend` satisfies it).
 */
export interface IpcBackend {
  hub: Pick<EventHub, 'subscribe'>;
  authenticator(): Pick<Authenticator, 'fromToken'>;
  invoke(name: string, input: unknown, principal: Principal, door?: Door): Promise<unknown>;
  close(): Promise<void>;
}

interface IpcConn {
  principal: Principal;
  streams: Set<string>;
}

function toErrorBody(err: unknown): ErrorBody {
  if (err instanceof AppError) return err.toBody();
  return { code: 'internal', message: 'Internal error' };
}

/**
 * The IPC door, on the backend side: the desktop renderer's calls arrive here (through the
 * main process, which has already checked the sender) and go through the same catalogue,
 * authentication and validation as HTTP. Pure message handling, so it is tested under Node.
 */
export class IpcDoor {
  private readonly conns = new Map<number, IpcConn>();
  private readonly unsubscribe: () => void;
  /**
   * Stream messages not yet posted, per window. A group commit publishes an event per order,
   * fill and balance; posted one by one, a bot's burst became tens of thousands of messages a
   * second through two process hops, each a separate task on the renderer's main thread.
   * They go as one message per window per event-loop turn instead.
   */
  private readonly outbox = new Map<number, StreamMessage[]>();
  private flushing: NodeJS.Immediate | undefined;

  constructor(
    private readonly backend: IpcBackend,
    private readonly post: (msg: FromBackend) => void,
  ) {
    this.unsubscribe = backend.hub.subscribe(
      (message) => {
        for (const [connId, conn] of this.conns) {
          if (!conn.streams.has(message.stream) || !mayReceive(conn.principal, message)) continue;
          // `data` is read now: a lazily built view describes the state as of its publication.
          const { stream, seq, data } = message;
          let box = this.outbox.get(connId);
          if (!box) this.outbox.set(connId, (box = []));
          box.push({ stream, seq, data });
          this.flushing ??= setImmediate(() => this.flush());
        }
      },
      (stream) => {
        for (const conn of this.conns.values()) if (conn.streams.has(stream)) return true;
        return false;
      },
    );
  }

  /** Posts every window's waiting stream messages, each window's as one message. */
  flush(): void {
    if (this.flushing) clearImmediate(this.flushing);
    this.flushing = undefined;
    for (const [connId, messages] of this.outbox) this.post({ kind: 'events', connId, messages });
    this.outbox.clear();
  }

  async handle(msg: ToBackend): Promise<void> {
    switch (msg.kind) {
      case 'call':
        return this.call(msg);
      case 'subscribe': {
        const conn = this.conns.get(msg.connId) ?? { principal: ANONYMOUS, streams: new Set() };
        conn.principal = await this.principalOf(msg.token);
        for (const s of msg.streams) conn.streams.add(s);
        this.conns.set(msg.connId, conn);
        return;
      }
      case 'unsubscribe':
        for (const s of msg.streams) this.conns.get(msg.connId)?.streams.delete(s);
        return;
      case 'disconnect':
        this.conns.delete(msg.connId);
        this.outbox.delete(msg.connId);
        return;
      case 'shutdown':
        this.close();
        await this.backend.close();
        return;
    }
  }

  close(): void {
    this.unsubscribe();
    if (this.flushing) clearImmediate(this.flushing);
    this.flushing = undefined;
    this.outbox.clear();
    this.conns.clear();
  }

  private async principalOf(token: string | undefined): Promise<Principal> {
    return this.backend.authenticator().fromToken(token);
  }

  private async call(msg: Extract<ToBackend, { kind: 'call' }>): Promise<void> {
    try {
      const principal = await this.principalOf(msg.token);
      const value = await this.backend.invoke(msg.name, msg.input, principal, 'ipc');
      // The events a call caused reach the window before its result, as when each was
      // posted at once: a screen that reloads on the result does not then replay them.
      this.flush();
      this.post({ kind: 'result', id: msg.id, ok: true, value });
    } catch (err) {
      this.flush();
      this.post({ kind: 'result', id: msg.id, ok: false, error: toErrorBody(err) });
    }
  }
}
