import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../../src-shared/menu';

/**
 * The application menu. The emergency stop lives here (with a shortcut) so it is one gesture
 * away from anywhere in the app. The main process holds no user session, so the menu only
 * tells the window; the signed-in renderer confirms and calls `automation.emergencyStop`.
 */
export function appMenuTemplate(
  platform: NodeJS.Platform,
  send: (command: MenuCommand) => void,
): MenuItemConstructorOptions[] {
  const automation: MenuItemConstructorOptions = {
    label: 'Automation',
    submenu: [
      {
        label: 'Emergency stop…',
        accelerator: 'CmdOrCtrl+Shift+E',
        click: () => send('emergency-stop'),
      },
      { type: 'separator' },
      { label: 'Webhook log and risk rules', click: () => send('open-automation') },
      { label: 'Trading accounts', click: () => send('open-accounts') },
    ],
  };
  return [
    ...(platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    automation,
    { role: 'windowMenu' },
  ];
}
