/**
 * Engine limits. Prices are at most 10^9 ticks and quantities 9 × 10^6 lots so that
 * price × qty stays a safe integer inside the engine (ticks × lots ≤ 9 × 10^15). Every door
 * that states limits to clients (the Binance facade's filters) reads them from here.
 */
export const MAX_PRICE_TICKS = 1_000_000_000;
export const MAX_QTY_LOTS = 9_000_000;
