import net from 'node:net';
import { and, desc, eq } from 'drizzle-orm';
import { AppError, type ApiKeyScope } from '../../../src-shared/contract';
import type { DatabaseHandle } from '../../db/database';
import { apiKeys } from '../../db/schema';
import { addressList, isAddressOrRange } from '../../config';
import { newId, parseEd25519PublicKey } from './crypto';
import type { UserDirectory } from './users';

export type ApiKeyRow = typeof apiKeys.$inferSelect;

export interface ApiKeyView {
  id: string;
  label: string;
  publicKey: string;
  scopes: ApiKeyScope[];
  ipAllowlist: string[];
  tsCreated: number;
  tsExpires: number | null;
  tsLastUsed: number | null;
  tsRevoked: number | null;
}

export function toApiKeyView(k: ApiKeyRow): ApiKeyView {
  return {
    id: k.id,
    label: k.label,
    publicKey: k.publicKey,
    scopes: JSON.parse(k.scopes) as ApiKeyScope[],
    ipAllowlist: JSON.parse(k.ipAllowlist) as string[],
    tsCreated: k.tsCreated,
    tsExpires: k.tsExpires,
    tsLastUsed: k.tsLastUsed,
    tsRevoked: k.tsRevoked,
  };
}

/** IPv4-mapped IPv6 (`::ffff:1.2.3.4`) compares as IPv4. */
export function normalizeIp(ip: string): string {
  return ip.startsWith('::ffff:') && net.isIPv4(ip.slice(7)) ? ip.slice(7) : ip;
}

/** Validates entries (`1.2.3.4`, `10.0.0.0/8`, `::1`, `fd00::/8`) and answers them trimmed. */
export function parseAllowlist(entries: string[]): string[] {
  return entries.map((raw) => {
    const entry = raw.trim();
    if (!isAddressOrRange(entry)) {
      throw new AppError('validation_failed', `"${raw}" is not an IP address or CIDR range`, {
        fields: [{ field: 'ipAllowlist', message: `"${raw}" is not an IP address or CIDR range` }],
      });
    }
    return entry;
  });
}

/**
 * Each distinct allowlist's BlockList, built once: a key's list is checked on every request it
 * signs, and rebuilding it from its entries each time repeated the same work per request.
 * Bounded: past the bound the cache starts over.
 */
const allowlists = new Map<string, net.BlockList>();
const MAX_ALLOWLISTS = 1_000;

function allowlistOf(entries: readonly string[]): net.BlockList {
  const key = entries.join(',');
  let list = allowlists.get(key);
  if (!list) {
    if (allowlists.size >= MAX_ALLOWLISTS) allowlists.clear();
    list = addressList(entries);
    allowlists.set(key, list);
  }
  return list;
}

export function ipAllowed(allowlist: string[], ip: string): boolean {
  if (allowlist.length === 0) return true;
  const addr = normalizeIp(ip);
  const family = net.isIPv4(addr) ? 'ipv4' : net.isIPv6(addr) ? 'ipv6' : undefined;
  if (!family) return false;
  return allowlistOf(allowlist).check(addr, family);
}

const notFound = () => new AppError('not_found', 'No such API key');

/** API keys: stored public keys with scopes, an optional allowlist and expiry. */
export class ApiKeyStore {
  private readonly byIdStmt;

  constructor(
    private readonly store: DatabaseHandle,
    private readonly users: UserDirectory,
    private readonly now: () => number,
  ) {
    this.byIdStmt = store.sqlite.prepare('SELECT * FROM api_keys WHERE id = ?');
  }

  /** Fresh from the database on each call, so a revocation applies to the next request. */
  get(id: string): ApiKeyRow | undefined {
    const r = this.byIdStmt.get(id) as Record<string, unknown> | undefined;
    if (!r) return undefined;
    return {
      id: r.id as string,
      userId: r.user_id as string,
      label: r.label as string,
      publicKey: r.public_key as string,
      scopes: r.scopes as string,
      ipAllowlist: r.ip_allowlist as string,
      tsCreated: r.ts_created as number,
      tsExpires: (r.ts_expires as number | null) ?? null,
      tsLastUsed: (r.ts_last_used as number | null) ?? null,
      tsRevoked: (r.ts_revoked as number | null) ?? null,
      tsLastSigned: (r.ts_last_signed as number | null) ?? null,
    };
  }

  /** Why a key cannot be used now, or undefined when it can. */
  problem(key: ApiKeyRow | undefined): AppError | undefined {
    if (!key) return new AppError('invalid_api_key', 'Unknown API key', undefined, 401);
    if (key.tsRevoked !== null) {
      return new AppError('api_key_revoked', 'This API key was revoked', undefined, 401);
    }
    if (key.tsExpires !== null && key.tsExpires <= this.now()) {
      return new AppError('api_key_expired', 'This API key has expired', undefined, 401);
    }
    const owner = this.users.get(key.userId);
    if (!owner || owner.bannedAt !== null) {
      return new AppError('unauthenticated', 'The account of this API key is disabled');
    }
    return undefined;
  }

  create(
    userId: string,
    input: {
      label: string;
      publicKey: string;
      scopes?: ApiKeyScope[];
      ipAllowlist?: string[];
      expiresAt?: number;
    },
  ): ApiKeyRow {
    const scopes = input.scopes ?? ['read'];
    const allowlist = parseAllowlist(input.ipAllowlist ?? []);
    checkScopes(scopes, allowlist);
    if (input.expiresAt !== undefined && input.expiresAt <= this.now()) {
      throw new AppError('validation_failed', 'The expiry must be in the future');
    }
    const publicKey = parseEd25519PublicKey(input.publicKey);
    return this.store.write('identity.apiKeys.create', () => {
      const row = this.store.db
        .insert(apiKeys)
        .values({
          id: newId('ak'),
          userId,
          label: input.label,
          publicKey,
          scopes: JSON.stringify(normalizeScopes(scopes)),
          ipAllowlist: JSON.stringify(allowlist),
          tsCreated: this.now(),
          tsExpires: input.expiresAt ?? null,
        })
        .returning()
        .get();
      this.users.audit(userId, 'apiKey.create', row.id, { scopes, ipAllowlist: allowlist });
      return row;
    });
  }

  list(userId: string): ApiKeyRow[] {
    return this.store.db
      .select()
      .from(apiKeys)
      .where(eq(apiKeys.userId, userId))
      .orderBy(desc(apiKeys.tsCreated))
      .all();
  }

  private own(userId: string, id: string): ApiKeyRow {
    const row = this.store.db
      .select()
      .from(apiKeys)
      .where(and(eq(apiKeys.id, id), eq(apiKeys.userId, userId)))
      .get();
    if (!row) throw notFound();
    return row;
  }

  update(
    userId: string,
    input: { id: string; label?: string; scopes?: ApiKeyScope[]; ipAllowlist?: string[] },
  ): ApiKeyRow {
    return this.store.write('identity.apiKeys.update', () => {
      const row = this.own(userId, input.id);
      if (row.tsRevoked !== null) throw new AppError('conflict', 'This API key was revoked');
      const scopes = input.scopes ?? (JSON.parse(row.scopes) as ApiKeyScope[]);
      const allowlist = input.ipAllowlist
        ? parseAllowlist(input.ipAllowlist)
        : (JSON.parse(row.ipAllowlist) as string[]);
      checkScopes(scopes, allowlist);
      const updated = this.store.db
        .update(apiKeys)
        .set({
          label: input.label ?? row.label,
          scopes: JSON.stringify(normalizeScopes(scopes)),
          ipAllowlist: JSON.stringify(allowlist),
        })
        .where(eq(apiKeys.id, row.id))
        .returning()
        .get();
      this.users.audit(userId, 'apiKey.update', row.id, { scopes, ipAllowlist: allowlist });
      return updated!;
    });
  }

  revoke(userId: string, id: string): void {
    this.store.write('identity.apiKeys.revoke', () => {
      const row = this.own(userId, id);
      if (row.tsRevoked !== null) return;
      this.store.db.update(apiKeys).set({ tsRevoked: this.now() }).where(eq(apiKeys.id, id)).run();
      this.users.audit(userId, 'apiKey.revoke', id);
    });
  }

  /** Records use at most every 10 s per key (a write per request would be wasteful). */
  touch(key: ApiKeyRow): void {
    const t = this.now();
    if (key.tsLastUsed !== null && t - key.tsLastUsed < 10_000) return;
    this.store.db.update(apiKeys).set({ tsLastUsed: t }).where(eq(apiKeys.id, key.id)).run();
  }
}

const ORDER: ApiKeyScope[] = ['read', 'trade', 'withdraw'];

/** Every key can read; trade and withdraw are added on top. */
function normalizeScopes(scopes: ApiKeyScope[]): ApiKeyScope[] {
  return ORDER.filter((s) => s === 'read' || scopes.includes(s));
}

function checkScopes(scopes: ApiKeyScope[], allowlist: string[]): void {
  if (scopes.includes('withdraw') && allowlist.length === 0) {
    throw new AppError(
      'ip_allowlist_required',
      'A key that may withdraw needs an IP allowlist: add the addresses your tool calls from',
    );
  }
}
