import {
  isMessageOf,
  type OperationInput,
  type OperationName,
  type OperationOutput,
  type StreamMessageOf,
  type StreamName,
  type StreamPayloads,
} from '../../../src-shared/contract';
import { bridgeTransport, httpTransport, type Transport } from './transport';

/**
 * The renderer's one way to the backend, typed from the catalogue: the same calls work over
 * IPC in the desktop app and over HTTP in a browser.
 */
export class BourseClient {
  private token?: string;

  constructor(readonly transport: Transport) {}

  setToken(token: string | undefined): void {
    this.token = token;
    this.transport.setToken?.(token);
  }

  call<N extends OperationName>(name: N, input: OperationInput<N>): Promise<OperationOutput<N>> {
    return this.transport.call(name, input, this.token) as Promise<OperationOutput<N>>;
  }

  /**
   * Calls `handler` with each payload of `stream`, typed from the contract's `StreamPayloads`.
   * Messages of other streams are dropped here: the desktop bridge hands every message of the
   * window to every handler, so this check is what makes the payload type true.
   */
  subscribe<S extends StreamName>(
    stream: S,
    handler: (data: StreamPayloads[S], message: StreamMessageOf<S>) => void,
  ): () => void {
    return this.transport.subscribe(
      [stream],
      (m) => {
        if (isMessageOf(m, stream)) handler(m.data, m);
      },
      this.token,
    );
  }
}

declare global {
  interface Window {
    bourse?: Parameters<typeof bridgeTransport>[0];
  }
}

/** Picks the transport: the preload bridge when present, otherwise the serving origin. */
export function createClient(): BourseClient {
  if (window.bourse) return new BourseClient(bridgeTransport(window.bourse));
  const wsProto = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return new BourseClient(
    httpTransport(window.location.origin, `${wsProto}//${window.location.host}/ws`),
  );
}

export const client = createClient();
