import path from 'node:path';
import type { BrowserWindowConstructorOptions } from 'electron';

/**
 * The main window's options. Security is not optional: context isolation, the sandbox and
 * web security on; Node integration off; the preload is the only bridge.
 */
export function mainWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1440,
    height: 900,
    minWidth: 1024,
    minHeight: 640,
    show: false,
    title: 'Bourse',
    backgroundColor: '#0f1419',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  };
}

/** Where the built files are, relative to the main bundle (out/main). */
export function builtPaths(mainDir: string) {
  return {
    preload: path.join(mainDir, '../preload/index.js'),
    /** The folder the `app://` protocol serves, and nothing outside it. */
    rendererDir: path.join(mainDir, '../renderer'),
    backendProcess: path.join(mainDir, 'backend-process.js'),
  };
}
