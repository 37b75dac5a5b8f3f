import type { Logger } from '../observability/logger';
import type { Principal } from './principal';

/** Which door a call came through; services must not depend on it except for auditing. */
export type Door = 'http' | 'ipc' | 'ws' | 'webhook' | 'job' | 'internal';

/** Everything a handler gets besides its validated input. */
export interface OperationContext {
  principal: Principal;
  correlationId: string;
  door: Door;
  log: Logger;
  /** Remote address for HTTP/WS callers. */
  ip?: string;
  /**
   * How `orders.place` reads a repeated clientOrderId; the native doors leave it unset
   * (idempotent retries), the Binance facade sets `unique_open` (Binance's rule).
   */
  clientIdRule?: 'idempotent' | 'unique_open';
}
