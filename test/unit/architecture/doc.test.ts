// docs/architecture.md prints the fences of layers.ts: the page and the rules the tests hold
// are one list.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LAYERS, renderFences } from './layers';

const DOC = path.resolve(__dirname, '../../../docs/architecture.md');

describe('docs/architecture.md', () => {
  const text = fs.readFileSync(DOC, 'utf8');

  it('prints the fences of layers.ts', () => {
    const block = /<!-- fences:start -->\s*\n([\s\S]*?)\n\s*<!-- fences:end -->/.exec(text)?.[1];
    expect(block, 'paste renderFences() between the fences markers').toBe(renderFences());
  });

  it('names every layer', () => {
    const missing = LAYERS.flatMap((l) => l.paths).filter(
      (p) => !text.includes(p.replace(/^src-main\//, '')),
    );
    expect(missing).toEqual([]);
  });
});
