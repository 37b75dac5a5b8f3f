import type net from 'node:net';

/** Every TCP connection the HTTP server holds now, HTTP and upgraded WebSocket alike. */
export interface OpenSockets {
  readonly size: number;
  /** Cuts every connection still open (shutdown, after its grace period). */
  destroyAll(): void;
}

/**
 * Tracks the server's connections from accept to close. Node's `server.close()` waits for all
 * of them, and Fastify closes only the idle ones: a client holding a request open or a
 * WebSocket that does not answer the close handshake (a frozen window, a bot that stopped
 * reading) would otherwise hold the shutdown until its timeout, and the features would never
 * get to stop before the database closes.
 */
export function trackSockets(server: net.Server): OpenSockets {
  const open = new Set<net.Socket>();
  server.on('connection', (socket: net.Socket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  });
  return {
    get size() {
      return open.size;
    },
    destroyAll() {
      for (const socket of open) socket.destroy();
    },
  };
}
