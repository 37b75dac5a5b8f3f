import type { UtilityProcess } from 'electron';
import type { ErrorBody } from '../../src-shared/contract';
import type { FromBackend, ToBackend } from '../../src-shared/ipc';
import type { BackendLink } from './ipc-main';

/**
 * The main process's side of the backend process: request/response correlation and event
 * delivery to windows. Results that are errors reject with the backend's ErrorBody, which
 * Electron passes to the renderer as the rejection's message (JSON).
 */
export class BackendHost implements BackendLink {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: Error) => void }
  >();
  readonly ready: Promise<string>;

  constructor(
    private readonly child: Pick<UtilityProcess, 'postMessage' | 'on'>,
    private readonly deliver: (connId: number, messages: unknown[]) => void,
  ) {
    this.ready = new Promise((resolve, reject) => {
      child.on('message', (msg: FromBackend) => {
        if (msg.kind === 'ready') resolve(msg.url);
        else if (msg.kind === 'fatal') reject(new Error(msg.message));
        else this.onMessage(msg);
      });
      child.on('exit', (code: number) => {
        reject(new Error(`The backend stopped (exit code ${code})`));
        for (const p of this.pending.values())
          p.reject(errorOf({ code: 'unavailable', message: 'The backend stopped' }));
        this.pending.clear();
      });
    });
  }

  call(name: string, input: unknown, token: string | undefined): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.post({ kind: 'call', id, name, input, token });
    });
  }

  post(msg: ToBackend): void {
    this.child.postMessage(msg);
  }

  private onMessage(msg: FromBackend): void {
    if (msg.kind === 'events') return this.deliver(msg.connId, msg.messages);
    if (msg.kind !== 'result') return;
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    if (msg.ok) p.resolve(msg.value);
    else p.reject(errorOf(msg.error));
  }
}

/** Electron serialises only the message of a rejected IPC promise: carry the body in it. */
function errorOf(body: ErrorBody): Error {
  return new Error(JSON.stringify(body));
}
