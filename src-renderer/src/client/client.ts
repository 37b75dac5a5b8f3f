import type {
  OperationInput,
  OperationName,
  OperationOutput,
  StreamMessage,
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

  subscribe(streams: string[], handler: (m: StreamMessage) => void): () => void {
    return this.transport.subscribe(streams, handler, this.token);
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
