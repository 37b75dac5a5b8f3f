/**
 * Electron entry: wiring only. Windows, the single-instance lock, security handlers and the
 * backend process; all business logic lives in the backend (backend-process.ts).
 */
import {
  BrowserWindow,
  Menu,
  app,
  ipcMain,
  protocol,
  session,
  shell,
  utilityProcess,
} from 'electron';
import { appMenuTemplate } from './desktop/app-menu';
import { APP_SCHEME, APP_SCHEME_PRIVILEGES, appProtocolHandler } from './desktop/app-protocol';
import { BackendHost } from './desktop/backend-host';
import { registerIpc } from './desktop/ipc-main';
import {
  denyAllPermissions,
  isAllowedExternal,
  isAppUrl,
  lockDownWebContents,
  loopbackOrigin,
  rendererLocation,
} from './desktop/security';
import { builtPaths, mainWindowOptions } from './desktop/window';
import { IPC_CHANNELS } from '../src-shared/ipc';

const paths = builtPaths(__dirname);
const { startUrl, devOrigin } = rendererLocation(app.isPackaged, process.env.ELECTRON_RENDERER_URL);
const isApp = (url: string) => isAppUrl(url, devOrigin);
let mainWindow: BrowserWindow | null = null;
/** The backend's own origin once it listens: its API docs may open in the browser. */
let backendOrigin: string | undefined;
const allowExternal = (url: string) => isAllowedExternal(url, backendOrigin);

function startBackend(): BackendHost {
  const child = utilityProcess.fork(paths.backendProcess, ['--data-dir', app.getPath('userData')], {
    serviceName: 'Bourse backend',
    env: { ...process.env },
    stdio: 'inherit',
  });
  const host = new BackendHost(child, (connId, messages) => {
    const win = BrowserWindow.getAllWindows().find((w) => w.webContents.id === connId);
    win?.webContents.send(IPC_CHANNELS.event, messages);
  });
  app.on('before-quit', () => host.post({ kind: 'shutdown' }));
  return host;
}

function createWindow(host: BackendHost): void {
  mainWindow = new BrowserWindow(mainWindowOptions(paths.preload));
  const contents = mainWindow.webContents;
  const connId = contents.id;
  lockDownWebContents(contents, isApp, (url) => void shell.openExternal(url), allowExternal);
  contents.on('destroyed', () => host.post({ kind: 'disconnect', connId }));
  mainWindow.once('ready-to-show', () => mainWindow?.show());
  void mainWindow.loadURL(startUrl);
}

// Privileges can be given only before `ready`, and only once.
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow?.isMinimized()) mainWindow.restore();
    mainWindow?.focus();
  });
  app.on('web-contents-created', (_e, contents) =>
    lockDownWebContents(
      contents,
      isApp,
      (url) => {
        if (allowExternal(url)) void shell.openExternal(url);
      },
      allowExternal,
    ),
  );
  void app.whenReady().then(() => {
    protocol.handle(APP_SCHEME, appProtocolHandler(paths.rendererDir));
    denyAllPermissions(session.defaultSession, isApp);
    Menu.setApplicationMenu(
      Menu.buildFromTemplate(
        appMenuTemplate(process.platform, (command) => {
          mainWindow?.show();
          mainWindow?.webContents.send(IPC_CHANNELS.menu, command);
        }),
      ),
    );
    const host = startBackend();
    registerIpc(ipcMain, host, isApp);
    host.ready.then(
      (url) => (backendOrigin = loopbackOrigin(url)),
      () => undefined, // handled below
    );
    host.ready.catch((err: Error) => {
      console.error(`Bourse backend failed: ${err.message}`);
      app.exit(1);
    });
    createWindow(host);
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) createWindow(host);
    });
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}
