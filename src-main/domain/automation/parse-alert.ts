import type { Result } from '../money';
import type { ParsedAlert } from './intent';
import { placeholderRefusal, unreadable } from './parse-common';
import { parseKeyValue } from './parse-keyvalue';
import { parsePineConnector } from './parse-pineconnector';
import { parseTradersPost } from './parse-traderspost';
import { parseUnify } from './parse-unify';

/**
 * Reads an alert body in any supported format. JSON bodies are Bourse's `unify.v1` intent
 * (has `version` or `intent`) or TradersPost-style (has `ticker`/`action`); text bodies are a
 * PineConnector line (`id,command,symbol,...`) or `KEY=VALUE` lines. Every refusal says what
 * was wrong with the body; unreplaced TradingView placeholders are named before any parsing.
 */
export function parseAlert(raw: string): Result<ParsedAlert> {
  const text = raw.replace(/^\uFEFF/, '').trim();
  if (text === '') return unreadable('the alert body is empty');
  const placeholders = placeholderRefusal<ParsedAlert>(text);
  if (placeholders) return placeholders;
  if (text.startsWith('{') || text.startsWith('[')) {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (e) {
      return unreadable(`the body looks like JSON but is not valid: ${(e as Error).message}`);
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return unreadable('the JSON body must be an object');
    }
    const o = body as Record<string, unknown>;
    if ('version' in o || 'intent' in o) return parseUnify(o);
    if ('ticker' in o || 'action' in o) return parseTradersPost(o);
    return unreadable(
      'JSON alert not recognised: expected {"version":"unify.v1","intent":{…}} or a TradersPost signal with "ticker" and "action"',
    );
  }
  const firstLine = text.split(/\r?\n/)[0]!;
  const parts = firstLine.split(',');
  if (parts.length >= 2 && !parts[0]!.includes('=') && !parts[1]!.includes('=')) {
    if (/\r?\n/.test(text)) return unreadable('a PineConnector alert is a single line');
    return parsePineConnector(text);
  }
  if (text.includes('=')) return parseKeyValue(text);
  return unreadable(
    'alert not recognised: send JSON, a PineConnector line (id,buy,SYMBOL,risk=1) or KEY=VALUE lines',
  );
}
