import { AppError, type ErrorBody } from '../../src-shared/contract';
import type { Backend } from '../backend';
import { mayReceive } from '../events/audience';
import { ANONYMOUS, type Principal } from '../operations/principal';
import type { FromBackend, ToBackend } from './ipc-protocol';

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

  constructor(
    private readonly backend: Backend,
    private readonly post: (msg: FromBackend) => void,
  ) {
    this.unsubscribe = backend.hub.subscribe((message) => {
      for (const [connId, conn] of this.conns) {
        if (!conn.streams.has(message.stream) || !mayReceive(conn.principal, message)) continue;
        const { stream, seq, data } = message;
        this.post({ kind: 'event', connId, message: { stream, seq, data } });
      }
    });
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
        return;
      case 'shutdown':
        this.close();
        await this.backend.close();
        return;
    }
  }

  close(): void {
    this.unsubscribe();
    this.conns.clear();
  }

  private async principalOf(token: string | undefined): Promise<Principal> {
    return this.backend.authenticator().fromToken(token);
  }

  private async call(msg: Extract<ToBackend, { kind: 'call' }>): Promise<void> {
    try {
      const principal = await this.principalOf(msg.token);
      const value = await this.backend.invoke(msg.name, msg.input, principal, 'ipc');
      this.post({ kind: 'result', id: msg.id, ok: true, value });
    } catch (err) {
      this.post({ kind: 'result', id: msg.id, ok: false, error: toErrorBody(err) });
    }
  }
}
