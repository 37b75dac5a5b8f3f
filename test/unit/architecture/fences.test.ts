// Each fence of layers.ts is a lint error in eslint.config.mjs, and nothing else is: from a probe
// file inside every layer, one import of every other layer, linted with ESLint's Node API.
import path from 'node:path';
import { ESLint, type Linter } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';
import { FENCES, LAYERS, fenceFor, type Layer, type LayerName } from './layers';

const ROOT = path.resolve(__dirname, '../../..');
const RULE = '@typescript-eslint/no-restricted-imports';

let eslint: ESLint;
type Crossings = Awaited<ReturnType<typeof crossings>>;
const results = new Map<LayerName, { values: Crossings; types: Crossings }>();

beforeAll(async () => {
  eslint = new ESLint({ cwd: ROOT });
  for (const layer of LAYERS) {
    results.set(layer.name, {
      values: await crossings(layer, false),
      types: await crossings(layer, true),
    });
  }
});

/** A file that would sit in the layer: beside its folder's files, or the module itself. */
function probeFile(layer: Layer): string {
  const first = layer.paths[0]!;
  return first.endsWith('/') ? `${first}__probe__/probe.ts` : `${first}.ts`;
}

function specifier(from: string, target: string): string {
  const rel = path.posix.relative(path.posix.dirname(from), target);
  return rel.startsWith('.') ? rel : `./${rel}`;
}

async function restricted(file: string, code: string): Promise<Linter.LintMessage[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  return result!.messages.filter((m) => m.ruleId === RULE);
}

interface Target {
  readonly layer: LayerName;
  readonly module: string;
}

// Every layer's sample, plus the one feature module a connector may see (as types).
const TARGETS: readonly Target[] = [
  ...LAYERS.map((l) => ({ layer: l.name, module: l.sample })),
  { layer: 'features', module: 'src-main/features/exchange/api' },
];

/** Lints one import per target from `layer`; returns the flagged ones and the fenced ones. */
async function crossings(layer: Layer, typeOnly: boolean) {
  const file = probeFile(layer);
  const targets = TARGETS.filter((t) => t.layer !== layer.name);
  const lines = targets.map((t, i) =>
    typeOnly
      ? `import type { T${i} } from '${specifier(file, t.module)}';`
      : `import { v${i} } from '${specifier(file, t.module)}';`,
  );
  const messages = await restricted(file, lines.join('\n'));
  const name = (t: Target) => `${layer.name} → ${t.layer} (${t.module})`;
  return {
    flagged: targets.filter((_, i) => messages.some((m) => m.line === i + 1)).map(name),
    fenced: targets.filter((t) => fenceFor(layer.name, t.layer, t.module, typeOnly)).map(name),
  };
}

describe('lint fences (eslint.config.mjs) match layers.ts', () => {
  it.each(LAYERS.map((l) => l.name))('imports from %s', (name) => {
    const { values, types } = results.get(name)!;
    expect(values.flagged, 'value imports: flagged vs fenced').toEqual(values.fenced);
    expect(types.flagged, 'type-only imports: flagged vs fenced').toEqual(types.fenced);
  });

  it('has a lint error for every fence', () => {
    // The per-layer comparison above would pass with both lists empty: make sure each fence
    // was flagged at least once.
    const flagged = new Set<string>();
    for (const { values, types } of results.values()) {
      for (const f of [...values.flagged, ...types.flagged]) flagged.add(f.replace(/ \(.*$/, ''));
    }
    const missing = FENCES.map((f) => `${f.from} → ${f.to}`).filter((k) => !flagged.has(k));
    expect(missing).toEqual([]);
  });
});

describe('a violating import is a lint error', () => {
  it('names the fence in its message', async () => {
    const file = 'src-main/jobs/scheduler.ts';
    const [message, ...rest] = await restricted(
      file,
      "import type { NotificationService } from '../features/notifications/service';\n",
    );
    expect(rest).toEqual([]);
    expect(message?.message).toMatch(/scheduler does not know them/);
  });

  it('lets a connector import a feature’s api.ts as types only', async () => {
    const file = 'src-main/connectors/paper/venue.ts';
    const api = '../../features/exchange/api';
    expect(await restricted(file, `import type { ExchangeApi } from '${api}';\n`)).toEqual([]);
    expect(await restricted(file, `import { ExchangeApi } from '${api}';\n`)).toHaveLength(1);
    expect(
      await restricted(
        file,
        "import type { ExchangeState } from '../../features/exchange/state';\n",
      ),
    ).toHaveLength(1);
  });

  it.each([
    ['src-renderer/src/app.tsx', "import { ipcRenderer } from 'electron';"],
    ['src-renderer/src/app.tsx', "import fs from 'node:fs';"],
    ['src-preload/index.ts', "import fs from 'node:fs';"],
    ['src-shared/contract/index.ts', "import { app } from 'electron';"],
    ['src-shared/contract/index.ts', "import path from 'path';"],
    ['src-main/domain/money/index.ts', "import Database from 'better-sqlite3';"],
    ['src-main/domain/money/index.ts', "import { eq } from 'drizzle-orm';"],
    ['src-main/domain/money/index.ts', "import { randomBytes } from 'node:crypto';"],
    ['src-main/domain/money/index.ts', "import type { FastifyInstance } from 'fastify';"],
  ])('%s: %s', async (file, code) => {
    expect(await restricted(file, `${code}\n`)).toHaveLength(1);
  });

  it.each([
    ['src-preload/index.ts', "import { contextBridge } from 'electron';"],
    ['src-main/features/exchange/service.ts', "import Database from 'better-sqlite3';"],
    ['src-main/transports/http/app.ts', "import type { FastifyInstance } from 'fastify';"],
  ])('%s may: %s', async (file, code) => {
    expect(await restricted(file, `${code}\n`)).toEqual([]);
  });
});
