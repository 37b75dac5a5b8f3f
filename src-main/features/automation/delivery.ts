import type { AppError } from '../../../src-shared/contract';
import type { AlertIntent, RiskDecision } from '../../domain/automation';
import type { AutomationAccount, VenueOrderResult } from './ports';
import type { AlertReading } from './read-alert';
import type { LogRow } from './store';

/** A webhook delivery as the transport saw it, before its body is read. */
export interface IncomingAlert {
  /** `bot`: an order of a bot (features/bots), an internal caller like `test`. */
  route: 'tv' | 'unify' | 'test' | 'bot';
  rawBody: string;
  /** Token from the URL path or the bearer header. */
  token?: string;
  /** Test alerts name their account directly (the caller is already authorized). */
  account?: AutomationAccount;
  /** The venue in the path of `/api/unify/v1/webhook/{broker}`: the alert goes to the owner's account there. */
  broker?: string;
  contentType?: string | null;
  peerIp?: string;
  /** `req.ip`: the client address as the HTTP layer's trusted-proxy setting sees it. */
  clientIp?: string;
  forwardedFor?: string | string[];
  correlationId?: string;
  /** `process.hrtime.bigint()` at receipt. */
  t0: bigint;
}

/** A delivery with its body read (`readAlert`): what the pipeline runs. */
export interface AlertDelivery extends IncomingAlert {
  reading: AlertReading;
}

export interface AlertAnswer {
  /** TradeFlow unify.v1's fields, beside Bourse's: executed (or duplicate), first order id. */
  success: boolean;
  orderId: string | null;
  status: LogRow['status'];
  logId: number;
  message: string;
  intent?: AlertIntent;
  decisions?: RiskDecision[];
  orders?: VenueOrderResult[];
  duplicateOf?: number;
}

export interface AlertOutcome {
  httpStatus: number;
  /** The answer on success/duplicate; the error (with `logId` in details) otherwise. */
  answer?: AlertAnswer;
  error?: AppError;
}
