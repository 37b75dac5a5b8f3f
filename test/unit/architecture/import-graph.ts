// The import graph of the source tree, read with a regular expression over import specifiers:
// enough to see which layer reaches which, without a TypeScript program.
import fs from 'node:fs';
import path from 'node:path';

export const SOURCE_ROOTS = ['src-main', 'src-shared', 'src-preload', 'src-renderer'] as const;

/** One relative import: repository paths without extension. */
export interface ImportEdge {
  readonly file: string;
  readonly target: string;
  readonly typeOnly: boolean;
}

// `import … from 'x'`, `export … from 'x'` (the clause may span lines but holds no `;`),
// a bare `import 'x'` and a dynamic `import('x')`.
const STATIC = /^\s*(import|export)\s+(type\s+)?([^;'"=()]*?)\s*from\s*['"]([^'"]+)['"]/gm;
const BARE = /^\s*import\s+['"]([^'"]+)['"]/gm;
const DYNAMIC = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

export function importsOf(source: string): { specifier: string; typeOnly: boolean }[] {
  const found: { specifier: string; typeOnly: boolean }[] = [];
  for (const m of source.matchAll(STATIC)) {
    found.push({ specifier: m[4]!, typeOnly: m[2] !== undefined });
  }
  for (const m of source.matchAll(BARE)) found.push({ specifier: m[1]!, typeOnly: false });
  for (const m of source.matchAll(DYNAMIC)) found.push({ specifier: m[1]!, typeOnly: false });
  return found;
}

function sourceFiles(root: string, dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) out.push(...sourceFiles(root, rel));
    else if (/\.(ts|tsx|mts)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(rel);
  }
  return out;
}

/** Resolves a relative specifier to a repository path without extension or query. */
export function resolveSpecifier(file: string, specifier: string): string {
  const bare = specifier.replace(/\?.*$/, '').replace(/\.(tsx?|mts|js|mjs)$/, '');
  return path.posix.normalize(path.posix.join(path.posix.dirname(file), bare));
}

/** Every relative import in the source roots of the repository at `root`. */
export function importGraph(root: string): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const dir of SOURCE_ROOTS) {
    for (const file of sourceFiles(root, dir)) {
      const text = fs.readFileSync(path.join(root, file), 'utf8');
      for (const { specifier, typeOnly } of importsOf(text)) {
        if (!specifier.startsWith('.')) continue;
        edges.push({
          file: file.replace(/\.(tsx?|mts)$/, ''),
          target: resolveSpecifier(file, specifier),
          typeOnly,
        });
      }
    }
  }
  return edges;
}
