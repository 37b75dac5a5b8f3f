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
}
