import { createRequire } from 'node:module';
import { AppError } from '../../../src-shared/contract';

interface EsbuildLike {
  transformSync(
    code: string,
    options: { loader: 'ts'; format?: 'esm' | 'cjs' | 'iife'; target?: string },
  ): { code: string };
}

let esbuild: EsbuildLike | null | undefined;

/** esbuild, loaded lazily and by a computed name so the main bundle never inlines it. */
function loadEsbuild(): EsbuildLike | null {
  if (esbuild !== undefined) return esbuild;
  try {
    const name = ['es', 'build'].join('');
    esbuild = createRequire(__filename)(name) as EsbuildLike;
  } catch {
    esbuild = null;
  }
  return esbuild;
}

/**
 * Turns a strategy's source into the JavaScript the sandbox evaluates: TypeScript has its
 * types stripped by esbuild (no type checking: the editor shows the interface); JavaScript
 * passes through. `import`/`export` are refused — a strategy is one self-contained script
 * calling `defineStrategy(...)`.
 */
export function compileStrategy(language: 'js' | 'ts', source: string): string {
  let js = source;
  if (language === 'ts') {
    const eb = loadEsbuild();
    if (!eb) {
      throw new AppError(
        'strategy_invalid',
        'TypeScript strategies need esbuild, which this installation lacks; write JavaScript',
      );
    }
    try {
      js = eb.transformSync(source, { loader: 'ts', target: 'es2022' }).code;
    } catch (e) {
      const msg = e instanceof Error ? e.message.split('\n').slice(0, 6).join('\n') : String(e);
      throw new AppError('strategy_invalid', `TypeScript could not be compiled: ${msg}`);
    }
  }
  if (/^\s*(import|export)\s/m.test(js)) {
    throw new AppError(
      'strategy_invalid',
      'A strategy is a single script: no import/export, call defineStrategy({...}) instead',
    );
  }
  return js;
}
