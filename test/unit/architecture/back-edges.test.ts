// Zero back-edges: no import in the source tree crosses a fence of layers.ts. ESLint holds the
// same line file by file; this test reads the whole graph, so a fence missing from
// eslint.config.mjs or a folder that belongs to no layer still shows up here.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importGraph, importsOf, resolveSpecifier } from './import-graph';
import { FENCES, fenceFor, layerOf } from './layers';

const ROOT = path.resolve(__dirname, '../../..');

describe('import graph', () => {
  const edges = importGraph(ROOT);

  it('reads a real graph', () => {
    // Guards the regular expressions: a parser that finds nothing would pass every check below.
    expect(edges.length).toBeGreaterThan(500);
    expect(edges).toContainEqual({
      file: 'src-main/backend',
      target: 'src-main/features',
      typeOnly: false,
    });
  });

  it('puts every source file and every import target in a layer', () => {
    const loose = [...new Set(edges.flatMap((e) => [e.file, e.target]))].filter(
      (f) => layerOf(f) === undefined,
    );
    expect(loose, 'add these paths to a layer in layers.ts').toEqual([]);
  });

  it('has no back-edges', () => {
    const back = edges.flatMap((e) => {
      const from = layerOf(e.file);
      const to = layerOf(e.target);
      if (!from || !to || from === to) return [];
      const fence = fenceFor(from, to, e.target, e.typeOnly);
      return fence ? [`${e.file} → ${e.target}  (${from} → ${to}: ${fence.why})`] : [];
    });
    expect(back.join('\n'), 'imports that cross a fence of layers.ts').toBe('');
  });
});

describe('the graph reader', () => {
  it('finds static, multi-line, type-only, re-export, bare and dynamic imports', () => {
    const source = [
      "import { a } from './a';",
      'import type {',
      '  B,',
      '  C,',
      "} from '../b';",
      "export * from './c';",
      "export type { D } from './d';",
      "import './e.css';",
      "const f = await import('./f');",
      "import { g } from 'node:fs';",
    ].join('\n');
    expect(importsOf(source)).toEqual([
      { specifier: './a', typeOnly: false },
      { specifier: '../b', typeOnly: true },
      { specifier: './c', typeOnly: false },
      { specifier: './d', typeOnly: true },
      { specifier: 'node:fs', typeOnly: false },
      { specifier: './e.css', typeOnly: false },
      { specifier: './f', typeOnly: false },
    ]);
  });

  it('resolves specifiers to repository paths', () => {
    expect(
      resolveSpecifier('src-main/features/system/feature.ts', '../../transports/http/base-url'),
    ).toBe('src-main/transports/http/base-url');
    expect(resolveSpecifier('src-renderer/src/app.tsx', './worker?worker')).toBe(
      'src-renderer/src/worker',
    );
  });

  it('names a back-edge it is shown', () => {
    const from = layerOf('src-main/jobs/scheduler.ts');
    const to = layerOf('src-main/features/notifications/service');
    expect([from, to]).toEqual(['jobs', 'features']);
    expect(
      fenceFor('jobs', 'features', 'src-main/features/notifications/service', true)?.why,
    ).toMatch(/scheduler/);
  });

  it('lets a connector import only the types of a feature’s api.ts', () => {
    expect(
      fenceFor('connectors', 'features', 'src-main/features/exchange/api', true),
    ).toBeUndefined();
    expect(
      fenceFor('connectors', 'features', 'src-main/features/exchange/api', false),
    ).toBeDefined();
    expect(
      fenceFor('connectors', 'features', 'src-main/features/exchange/state', true),
    ).toBeDefined();
  });

  it('lists each fence once', () => {
    const keys = FENCES.map((f) => `${f.from}→${f.to}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
