import { describe, expect, it } from 'vitest';
import { appMenuTemplate } from '../../../src-main/desktop/app-menu';
import { MENU_COMMANDS, isMenuCommand, type MenuCommand } from '../../../src-shared/menu';

type Item = { submenu?: Item[]; click?: () => void };

/** Clicks every item of the menu (submenus included) and collects what was sent. */
function everyCommandSent(platform: NodeJS.Platform): MenuCommand[] {
  const sent: MenuCommand[] = [];
  const visit = (items: Item[]) => {
    for (const item of items) {
      item.click?.();
      if (Array.isArray(item.submenu)) visit(item.submenu);
    }
  };
  visit(appMenuTemplate(platform, (c) => sent.push(c)) as Item[]);
  return sent;
}

describe('menu commands shared by main, preload and renderer (src-shared/menu.ts)', () => {
  it('the app menu sends each shared command, and only those', () => {
    for (const platform of ['darwin', 'win32', 'linux'] as const) {
      const sent = everyCommandSent(platform);
      expect([...sent].sort()).toEqual([...MENU_COMMANDS].sort());
      expect(sent.every(isMenuCommand)).toBe(true);
    }
  });

  it('lets through only known names (what the preload forwards to the window)', () => {
    for (const c of MENU_COMMANDS) expect(isMenuCommand(c)).toBe(true);
    for (const v of ['Emergency-Stop', 'open-settings', '', 42, null, undefined, { c: 1 }]) {
      expect(isMenuCommand(v)).toBe(false);
    }
  });
});
