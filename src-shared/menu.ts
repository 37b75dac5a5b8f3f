/**
 * Commands the desktop app menu sends to the window (over `IPC_CHANNELS.menu`); the renderer
 * acts on them with its session. One list, so main, preload and renderer agree on the names.
 */
export const MENU_COMMANDS = ['emergency-stop', 'open-automation', 'open-accounts'] as const;
export type MenuCommand = (typeof MENU_COMMANDS)[number];

/** Whether a value that crossed a process boundary is a known menu command. */
export function isMenuCommand(value: unknown): value is MenuCommand {
  return typeof value === 'string' && (MENU_COMMANDS as readonly string[]).includes(value);
}
