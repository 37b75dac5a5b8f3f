// The layers of Bourse and the imports that must never happen between them: the one list that
// the import-graph test checks, that fences.test.ts checks eslint.config.mjs against, and that
// docs/architecture.md prints. Change the rules here, then the fence in eslint.config.mjs.

/** A layer: a set of files named by path prefixes relative to the repository root. */
export interface Layer {
  readonly name: LayerName;
  /** Path prefixes; a prefix ending in `/` is a folder, otherwise one module (no extension). */
  readonly paths: readonly string[];
  readonly says: string;
  /** A module inside the layer that a probe import can point at (fences.test.ts). */
  readonly sample: string;
}

export type LayerName =
  | 'shell'
  | 'root'
  | 'transports'
  | 'operations'
  | 'features'
  | 'connectors'
  | 'domain'
  | 'db'
  | 'jobs'
  | 'events'
  | 'support'
  | 'contract'
  | 'preload'
  | 'renderer';

export const LAYERS: readonly Layer[] = [
  {
    name: 'shell',
    paths: ['src-main/index', 'src-main/desktop/', 'src-main/backend-process', 'src-main/headless'],
    says: 'entries: Electron main (windows, menus, lifecycle), the utility process, headless',
    sample: 'src-main/desktop/window',
  },
  {
    name: 'root',
    paths: ['src-main/backend'],
    says: 'composition root: createBackend wires the features in order',
    sample: 'src-main/backend',
  },
  {
    name: 'transports',
    paths: ['src-main/transports/'],
    says: 'http, ws, ipc, webhook, binance: translate only',
    sample: 'src-main/transports/ws',
  },
  {
    name: 'operations',
    paths: ['src-main/operations/'],
    says: 'the one catalogue: registry, auth, validation',
    sample: 'src-main/operations/registry',
  },
  {
    name: 'features',
    paths: ['src-main/features/'],
    says: 'use cases per capability, typed provides, their repositories',
    sample: 'src-main/features/exchange/service',
  },
  {
    name: 'connectors',
    paths: ['src-main/connectors/'],
    says: 'venues, brokers, chains, mail',
    sample: 'src-main/connectors/mail/mailer',
  },
  {
    name: 'domain',
    paths: ['src-main/domain/'],
    says: 'pure: engine, ledger rules, risk, backtest, money',
    sample: 'src-main/domain/money',
  },
  {
    name: 'db',
    paths: ['src-main/db/'],
    says: 'drizzle schema, database handle, migrations',
    sample: 'src-main/db/schema',
  },
  {
    name: 'jobs',
    paths: ['src-main/jobs/'],
    says: 'scheduler',
    sample: 'src-main/jobs/scheduler',
  },
  {
    name: 'events',
    paths: ['src-main/events/'],
    says: 'event hub and stream audiences',
    sample: 'src-main/events/hub',
  },
  {
    name: 'support',
    paths: [
      'src-main/observability/',
      'src-main/secrets/',
      'src-main/config',
      'src-main/paths',
      'src-main/file-modes',
    ],
    says: 'configuration, logging and metrics, the secret store, file modes',
    sample: 'src-main/observability/logger',
  },
  {
    name: 'contract',
    paths: ['src-shared/'],
    says: 'names, schemas, types: Node-free, imported by every process',
    sample: 'src-shared/contract',
  },
  {
    name: 'preload',
    paths: ['src-preload/'],
    says: 'the narrow typed bridge',
    sample: 'src-preload/index',
  },
  {
    name: 'renderer',
    paths: ['src-renderer/'],
    says: 'React + zustand screens',
    sample: 'src-renderer/src/main',
  },
];

/**
 * One import that must not exist. `unless` names the only imports of `to` that are allowed:
 * type-only ones, optionally only of modules whose path (from the repository root, no
 * extension) matches `module`.
 */
export interface Fence {
  readonly from: LayerName;
  readonly to: LayerName;
  readonly why: string;
  readonly unless?: { readonly typeOnly: true; readonly module?: RegExp; readonly says: string };
  /** Set when the fence comes from an `only` rule: the layers `from` may import. */
  readonly only?: readonly LayerName[];
}

const ALL = LAYERS.map((l) => l.name);
const ENTRIES: readonly LayerName[] = ['shell', 'root'];

function never(from: LayerName, to: readonly LayerName[], why: string): Fence[] {
  return to.map((t) => ({ from, to: t, why }));
}

/** `from` imports nothing outside `allowed` (and itself). */
function only(from: LayerName, allowed: readonly LayerName[], why: string): Fence[] {
  return never(
    from,
    ALL.filter((t) => t !== from && !allowed.includes(t)),
    why,
  ).map((f) => ({ ...f, only: allowed }));
}

const BELOW_ROOT = 'nothing below the composition root imports it or the entries';

export const FENCES: readonly Fence[] = [
  ...only('domain', ['contract'], 'the domain is pure: no I/O, no door, no database'),
  ...never('features', ['transports'], 'features never know which door a call came through'),
  ...never('features', ENTRIES, BELOW_ROOT),
  ...never('operations', ['transports'], 'the catalogue knows no door'),
  ...never('operations', ['features', 'connectors'], 'features bind into the catalogue'),
  ...never('operations', ENTRIES, BELOW_ROOT),
  ...never('connectors', ['transports'], 'connectors speak outward only'),
  {
    from: 'connectors',
    to: 'features',
    why: 'a connector sees a feature only through the types of its api.ts',
    unless: {
      typeOnly: true,
      module: /^src-main\/features\/[^/]+\/api$/,
      says: '`import type` from a feature’s `api.ts`',
    },
  },
  ...never('connectors', ENTRIES, BELOW_ROOT),
  ...never('jobs', ['features'], 'features register jobs; the scheduler does not know them'),
  ...never('jobs', ['transports', 'connectors'], 'the scheduler knows no door and no venue'),
  ...never('jobs', ENTRIES, BELOW_ROOT),
  {
    from: 'transports',
    to: 'features',
    why: 'transports translate: they call operations and see features only as types',
    unless: { typeOnly: true, says: '`import type`' },
  },
  ...never('transports', ['connectors', 'db'], 'transports translate only'),
  ...never('transports', ENTRIES, BELOW_ROOT),
  ...never('events', ['features', 'transports', 'connectors'], 'features publish to the hub'),
  ...never('events', ENTRIES, BELOW_ROOT),
  ...never(
    'db',
    ['features', 'transports', 'connectors', 'operations', 'jobs'],
    'the schema knows no use case',
  ),
  ...never('db', ENTRIES, BELOW_ROOT),
  ...never('support', ['features', 'transports', 'connectors'], 'support code knows no use case'),
  ...never('support', ENTRIES, BELOW_ROOT),
  ...only('contract', [], 'the contract depends on nothing'),
  ...only('preload', ['contract'], 'the bridge imports the contract, not main’s code'),
  ...only('renderer', ['contract'], 'the renderer imports only the contract'),
];

/** The layer a repository path (with or without extension) belongs to, or undefined. */
export function layerOf(file: string): LayerName | undefined {
  const bare = file.replace(/\.(tsx?|mts|js|mjs)$/, '');
  let best: { name: LayerName; length: number } | undefined;
  for (const layer of LAYERS) {
    for (const p of layer.paths) {
      const hit = p.endsWith('/')
        ? bare.startsWith(p) || bare === p.slice(0, -1)
        : bare === p || bare === `${p}/index`;
      if (hit && (!best || p.length > best.length)) best = { name: layer.name, length: p.length };
    }
  }
  return best?.name;
}

/** Whether an import of `target` (repository path, no extension) from `from` to `to` is fenced. */
export function fenceFor(
  from: LayerName,
  to: LayerName,
  target: string,
  typeOnly: boolean,
): Fence | undefined {
  return FENCES.find((f) => {
    if (f.from !== from || f.to !== to) return false;
    if (!f.unless || !typeOnly) return true;
    return f.unless.module ? !f.unless.module.test(target) : false;
  });
}

/**
 * The fence list as docs/architecture.md prints it (between its `fences` markers): one line per
 * layer, so the page cannot drift from the rules the tests hold.
 */
export function renderFences(): string {
  const lines: string[] = [];
  for (const layer of LAYERS) {
    const fences = FENCES.filter((f) => f.from === layer.name && f.why !== BELOW_ROOT);
    if (fences.length === 0) continue;
    const only = fences[0]!.only;
    if (only) {
      const allowed = only.length === 0 ? 'nothing outside itself' : `only ${only.join(', ')}`;
      lines.push(`- **${layer.name}** imports ${allowed} (${fences[0]!.why}).`);
      continue;
    }
    const clauses = [...new Set(fences.map((f) => f.why))].map((why) => {
      const same = fences.filter((f) => f.why === why);
      const unless = same[0]!.unless ? ` except ${same[0]!.unless.says}` : '';
      return `${same.map((f) => f.to).join(', ')}${unless} (${why})`;
    });
    lines.push(`- **${layer.name}** never imports ${clauses.join('; ')}.`);
  }
  const below = [...new Set(FENCES.filter((f) => f.why === BELOW_ROOT).map((f) => f.from))];
  lines.push(`- **${below.join(', ')}** never import shell, root (${BELOW_ROOT}).`);
  return lines.join('\n');
}
