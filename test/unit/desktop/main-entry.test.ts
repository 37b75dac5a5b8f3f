import type { EventEmitter } from 'node:events';
import { beforeAll, describe, expect, it, vi } from 'vitest';

// The Electron entry, loaded with the `electron` module stubbed: it must create a locked-down
// window, take the single-instance lock, deny permissions and register the checked IPC.
const state = vi.hoisted(() => ({
  windows: [] as Array<{ options: Record<string, unknown>; contents: unknown }>,
  ipcChannels: [] as string[],
  permissionHandlerSet: false,
  forked: [] as string[],
  lockRequested: false,
  menu: [] as unknown[],
  child: undefined as EventEmitter | undefined,
  opened: [] as string[],
  order: [] as string[],
  loaded: [] as string[],
  privileged: [] as unknown[],
  handlers: new Map<string, (request: { url: string; method: string }) => Promise<Response>>(),
}));

vi.mock('electron', async () => {
  const { EventEmitter } = await import('node:events');
  class FakeContents extends EventEmitter {
    id = 1;
    setWindowOpenHandler = vi.fn();
    send = vi.fn();
  }
  class BrowserWindow extends EventEmitter {
    static all: BrowserWindow[] = [];
    static getAllWindows = () => BrowserWindow.all;
    webContents = new FakeContents();
    constructor(options: Record<string, unknown>) {
      super();
      BrowserWindow.all.push(this);
      state.windows.push({ options, contents: this.webContents });
    }
    loadFile = vi.fn(async (file: string) => void state.loaded.push(`file:${file}`));
    loadURL = vi.fn(async (url: string) => void state.loaded.push(url));
    show = vi.fn();
    isMinimized = () => false;
    focus = vi.fn();
  }
  const app = Object.assign(new EventEmitter(), {
    requestSingleInstanceLock: () => {
      state.lockRequested = true;
      return true;
    },
    isPackaged: true,
    whenReady: () => {
      state.order.push('whenReady');
      return Promise.resolve();
    },
    getPath: () => '/tmp/bourse-user-data',
    quit: vi.fn(),
    exit: vi.fn(),
  });
  const child = Object.assign(new EventEmitter(), { postMessage: vi.fn() });
  state.child = child;
  return {
    app,
    BrowserWindow,
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => {
        state.order.push('registerSchemesAsPrivileged');
        state.privileged.push(...schemes);
      },
      handle: (scheme: string, fn: (r: { url: string; method: string }) => Promise<Response>) => {
        state.order.push(`handle:${scheme}`);
        state.handlers.set(scheme, fn);
      },
    },
    ipcMain: {
      handle: (ch: string) => state.ipcChannels.push(ch),
      on: (ch: string) => state.ipcChannels.push(ch),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: () => (state.permissionHandlerSet = true),
        setPermissionCheckHandler: vi.fn(),
      },
    },
    shell: { openExternal: (url: string) => state.opened.push(url) },
    Menu: {
      buildFromTemplate: (template: unknown[]) => ({ template }),
      setApplicationMenu: (menu: { template: unknown[] }) => (state.menu = menu.template),
    },
    utilityProcess: {
      fork: (file: string) => {
        state.forked.push(file);
        return child;
      },
    },
  };
});

beforeAll(async () => {
  // A packaged app ignores a dev server URL from the environment.
  process.env.ELECTRON_RENDERER_URL = 'http://localhost:5173/';
  await import('../../../src-main/index');
  delete process.env.ELECTRON_RENDERER_URL;
  await new Promise((r) => setTimeout(r, 10));
});

describe('Electron entry (electron stubbed)', () => {
  it('takes the single-instance lock and starts the backend off the UI thread', () => {
    expect(state.lockRequested).toBe(true);
    expect(state.forked).toHaveLength(1);
    expect(state.forked[0]).toMatch(/backend-process\.js$/);
  });

  it('creates one window with isolation, sandbox and no Node integration', () => {
    expect(state.windows).toHaveLength(1);
    const prefs = state.windows[0]!.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    });
    expect(String(prefs.preload)).toMatch(/preload[\\/]index\.js$/);
  });

  it('registers the privileged app:// scheme before ready and loads the UI from it', () => {
    expect(state.privileged).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
    expect(state.order.indexOf('registerSchemesAsPrivileged')).toBeLessThan(
      state.order.indexOf('whenReady'),
    );
    expect(state.order).toContain('handle:app');
    expect(state.loaded).toEqual(['app://bourse/index.html']);
  });

  it('serves the built renderer through the handler, with the CSP, and nothing outside', async () => {
    const handle = state.handlers.get('app')!;
    const outside = await handle({ url: 'app://bourse/..%2f..%2fpackage.json', method: 'GET' });
    expect(outside.status).toBe(400);
    expect(outside.headers.get('content-security-policy')).toContain("connect-src 'none'");
  });

  it('denies permissions and registers only the bridge channels', () => {
    expect(state.permissionHandlerSet).toBe(true);
    expect(state.ipcChannels.sort()).toEqual([
      'bourse:call',
      'bourse:subscribe',
      'bourse:unsubscribe',
    ]);
  });

  it('puts the emergency stop in the app menu, sent to the window (which holds the session)', () => {
    const automation = state.menu.find((m) => (m as { label?: string }).label === 'Automation') as {
      submenu: Array<{ label?: string; accelerator?: string; click?: () => void }>;
    };
    const stop = automation.submenu.find((i) => i.label === 'Emergency stop…')!;
    expect(stop.accelerator).toBe('CmdOrCtrl+Shift+E');
    stop.click!();
    const contents = state.windows[0]!.contents as { send: ReturnType<typeof vi.fn> };
    expect(contents.send).toHaveBeenCalledWith('bourse:menu', 'emergency-stop');
  });

  it("sends a backend turn's stream messages to their window as one IPC message", () => {
    const contents = state.windows[0]!.contents as { id: number; send: ReturnType<typeof vi.fn> };
    const messages = [
      { stream: 'orders', seq: 1, data: 'a' },
      { stream: 'fills', seq: 1, data: 'b' },
    ];
    state.child!.emit('message', { kind: 'events', connId: contents.id, messages });
    state.child!.emit('message', { kind: 'events', connId: contents.id + 1, messages });
    const sent = contents.send.mock.calls.filter((c) => c[0] === 'bourse:event');
    expect(sent).toEqual([['bourse:event', messages]]);
  });

  it('blocks navigation in the window it created', () => {
    const contents = state.windows[0]!.contents as EventEmitter & {
      setWindowOpenHandler: ReturnType<typeof vi.fn>;
    };
    let prevented = false;
    contents.emit(
      'will-navigate',
      { preventDefault: () => (prevented = true) },
      'https://evil.example/',
    );
    expect(prevented).toBe(true);
    prevented = false;
    contents.emit('will-frame-navigate', {
      url: 'https://evil.example/',
      isMainFrame: false,
      preventDefault: () => (prevented = true),
    });
    expect(prevented).toBe(true);
    expect(contents.setWindowOpenHandler).toHaveBeenCalled();
  });

  it("opens the backend's API docs in the browser once the backend listens, nothing else local", async () => {
    const contents = state.windows[0]!.contents as {
      setWindowOpenHandler: ReturnType<typeof vi.fn>;
    };
    const handler = contents.setWindowOpenHandler.mock.calls[0]![0] as (d: {
      url: string;
    }) => unknown;
    expect(handler({ url: 'http://127.0.0.1:8420/docs' })).toEqual({ action: 'deny' });
    expect(state.opened).toEqual([]); // the backend's address is not known yet
    state.child!.emit('message', { kind: 'ready', url: 'http://127.0.0.1:8420' });
    await new Promise((r) => setTimeout(r, 0));
    handler({ url: 'http://127.0.0.1:8420/docs' });
    handler({ url: 'http://127.0.0.1:8420/' });
    handler({ url: 'http://127.0.0.1:8421/docs' });
    expect(state.opened).toEqual(['http://127.0.0.1:8420/docs']);
  });
});
