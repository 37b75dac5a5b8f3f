/**
 * The backend inside the desktop app: runs in an Electron utilityProcess so that SQLite and
 * the engine never block the main thread that owns the windows. It also listens on the local
 * port for external tools (REST, WebSocket).
 */
import { createBackend } from './backend';
import { configFromCli } from './config';
import { IpcDoor } from './transports/ipc';
import type { FromBackend, ToBackend } from '../src-shared/ipc';

async function main(): Promise<void> {
  // Electron gives a utilityProcess its parent port; plain Node (started by hand) has none.
  const port: Electron.ParentPort | undefined = process.parentPort;
  if (!port) throw new Error('backend-process must be started by the Electron main process');
  const config = configFromCli(process.argv.slice(2), process.env, {
    mode: 'desktop',
    sqliteNativeBinding: process.env.BOURSE_SQLITE_BINDING || undefined,
  });
  try {
    const backend = await createBackend(config);
    const door = new IpcDoor(backend, (m) => port.postMessage(m));
    // The main process is the only sender, and it posts `ToBackend` messages (src-shared/ipc.ts).
    port.on('message', (e) => void door.handle(e.data as ToBackend));
    const url = await backend.listen();
    port.postMessage({ kind: 'ready', url } satisfies FromBackend);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    port.postMessage({ kind: 'fatal', message } satisfies FromBackend);
    process.exit(1);
  }
}

void main();
