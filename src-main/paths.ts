import fs from 'node:fs';
import path from 'node:path';

/**
 * The application root (the folder with package.json), found by walking up from this file:
 * the same code runs from `src-main/` (tests, tsx) and from the bundle in `out/main/`.
 */
export function appRoot(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    dir = path.dirname(dir);
  }
  throw new Error(`Cannot find the application root above ${__dirname}`);
}

export const migrationsDir = (): string => path.join(appRoot(), 'drizzle');
export const builtRendererDir = (): string => path.join(appRoot(), 'out', 'renderer');
