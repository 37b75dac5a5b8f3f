/**
 * TradingView automation, pure: alert parsers (Bourse `unify.v1`, TradersPost-style JSON,
 * PineConnector lines, KEY=VALUE), risk rules with explicit clock and time zone, calendar
 * imports and secret masking.
 */
export type { AlertFormat, AlertIntent, Bracket, ParsedAlert } from './intent';
export { ALERT_FORMATS } from './intent';
export { parseAlert } from './parse-alert';
export { parseUnify } from './parse-unify';
export { parseTradersPost } from './parse-traderspost';
export { parsePineConnector } from './parse-pineconnector';
export { parseKeyValue } from './parse-keyvalue';
export type { DecimalText } from '../money';
export { addDecimal, compareDecimal, negateDecimal, showDecimal } from '../money';
export { readDecimal } from './read-number';
export type { RiskSettings, TradingWindow } from './risk-settings';
export { DEFAULT_RISK_SETTINGS, validateRiskSettings } from './risk-settings';
export type { CalendarEvent, RiskDecision, RiskInput, RiskRule, RiskVerdict } from './risk';
export { RISK_RULES, checkRisk, inWindow } from './risk';
export { parseCalendar, parseCalendarCsv, parseCalendarIcs } from './calendar';
export { isValidTimeZone, localTime, sessionStart, showLocal, zonedInstant } from './time-zone';
export { maskSecrets, tokenHint } from './mask';
export { resolveSymbol } from './symbols';
export { bracketPrice } from './brackets';
export type { MarketUnits } from './units';
export { FX_LOT, isFxPair, lotSize, pipSize, resolveUnits } from './units';
