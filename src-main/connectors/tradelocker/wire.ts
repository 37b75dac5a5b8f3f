import { createHash } from 'node:crypto';
import { readDecimalText, type DecimalText } from '../../../src-shared/decimal';
import { BrokerError } from '../broker/errors';

/**
 * Pure helpers for TradeLocker's wire format: positional rows named by `/trade/config`,
 * numbers that may arrive as JSON numbers or strings, JWT expiry, and the `strategyId`
 * that carries Bourse's client order id. No I/O here, so the unit tests cover it all.
 */

/** A `/trade/config` table description: `{ columns: [{ id, description }] }`. */
export interface ColumnConfig {
  columns: Array<{ id: string; description?: string }>;
}

export type Row = Record<string, unknown>;

/** The broker answered something Bourse cannot read: a permanent problem, not an outage. */
function unreadable(message: string): never {
  throw new BrokerError('invalid', 'tradelocker', `unreadable answer: ${message}`);
}

/**
 * Names the cells of positional rows by the config's column ids. TradeLocker's tables are
 * arrays of arrays whose order only `/trade/config` states, so nothing here trusts a fixed
 * index. A row shorter than the config leaves the missing columns undefined.
 */
export function namedRows(config: ColumnConfig | undefined, rows: unknown, table: string): Row[] {
  if (!config || !Array.isArray(config.columns)) {
    unreadable(`/trade/config has no columns for ${table}`);
  }
  if (!Array.isArray(rows)) unreadable(`${table}: expected an array of rows`);
  const ids = config.columns.map((c) => c.id);
  return rows.map((row) => {
    if (!Array.isArray(row)) unreadable(`${table}: a row is not an array`);
    const named: Row = {};
    ids.forEach((id, i) => (named[id] = row[i]));
    return named;
  });
}

/**
 * Exact decimal text from a cell. Strings are read as written. A JSON number becomes text
 * through `String(n)`, which prints the shortest decimal that parses back to the same double:
 * for a price the broker wrote as `1.08451` that is `1.08451` again, never `1.0845099999…`.
 * `String` may use exponent notation (`1e-7`), which readDecimalText expands exactly.
 */
export function decimalCell(value: unknown): DecimalText | null {
  if (value === null || value === undefined || value === '') return null;
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value : '';
  const read = readDecimalText(text.trim(), { exponent: true });
  return read.ok ? read.value : null;
}

/** Like decimalCell, but `0` (TradeLocker's "not set" for prices) reads as null. */
export function priceCell(value: unknown): DecimalText | null {
  const d = decimalCell(value);
  return d === null || d === '0' ? null : d;
}

/**
 * An id cell as text. TradeLocker ids are 64-bit (`7277816997834593280`): as JSON numbers they
 * would already have lost digits in JSON.parse, so the connector only trusts ids that arrive
 * as strings or as safe integers, and says so when one does not.
 */
export function idCell(value: unknown): string | null {
  if (value === null || value === undefined || value === '' || value === 0 || value === '0') {
    return null;
  }
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  if (typeof value === 'number') unreadable(`id ${value} lost digits in JSON`);
  return null;
}

/** Epoch ms from a cell (number or numeric string), or null. */
export function timeCell(value: unknown): number | null {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : null;
}

/** The `exp` claim of a JWT, in epoch ms, without checking the signature (HTTPS is the trust). */
export function jwtExpiryMs(token: string): number | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
      exp?: unknown;
    };
    return typeof claims.exp === 'number' ? claims.exp * 1000 : null;
  } catch {
    return null;
  }
}

/** TradeLocker's limit on `strategyId`, the only free-text field an order carries. */
export const STRATEGY_ID_MAX = 32;
const SAFE_ID = /^[A-Za-z0-9._:-]+$/;

/**
 * The `strategyId` that carries a client order id. Ids up to 32 safe characters go as they
 * are; longer (or unusual) ones become `h-` plus 30 characters of their SHA-256, so the same
 * client id always maps to the same strategyId and findOrder can look it up after a restart.
 */
export function strategyIdFor(clientOrderId: string): string {
  if (clientOrderId.length <= STRATEGY_ID_MAX && SAFE_ID.test(clientOrderId)) return clientOrderId;
  const digest = createHash('sha256').update(clientOrderId).digest('base64url');
  return `h-${digest.slice(0, STRATEGY_ID_MAX - 2)}`;
}

/**
 * JSON with some values written as bare number literals taken verbatim from decimal text, so
 * a price goes on the wire exactly as Bourse holds it (TradeLocker wants numbers for prices).
 */
export function jsonWithNumbers(
  body: Record<string, unknown>,
  numeric: ReadonlySet<string>,
): string {
  const parts = Object.entries(body).map(([k, v]) => {
    const value =
      numeric.has(k) && typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) ? v : JSON.stringify(v);
    return `${JSON.stringify(k)}:${value ?? 'null'}`;
  });
  return `{${parts.join(',')}}`;
}
