import WebSocket from 'ws';

/** Opens a WebSocket and collects every JSON message it receives, in order. */
export function openSocket<T = Record<string, unknown>>(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ ws: WebSocket; messages: T[] }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    const messages: T[] = [];
    ws.on('message', (d) => messages.push(JSON.parse(d.toString()) as T));
    ws.once('open', () => resolve({ ws, messages }));
    ws.once('error', reject);
  });
}

/** Waits until `cond` holds, polling every 10 ms; fails after `ms`. */
export async function until(cond: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}
