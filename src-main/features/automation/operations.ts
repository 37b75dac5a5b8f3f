import {
  automationAccountsList,
  automationCalendarImport,
  automationCalendarList,
  automationEmergencyStop,
  automationLogGet,
  automationLogList,
  automationReceiverGet,
  automationReceiverSet,
  automationRearm,
  automationRefusalsList,
  automationRiskGet,
  automationRiskSet,
  automationStatus,
  automationTestAlert,
  TRADINGVIEW_IPS,
  WEBHOOK_MAX_BYTES,
} from '../../../src-shared/contract/automation';
import type { BackendConfig } from '../../config';
import type { OperationContext } from '../../operations/context';
import { callerUserId } from '../../operations/principal';
import { bind, type BoundOperation } from '../../operations/registry';
import { changedFields, type AuditLog } from '../audit/audit-log';
import type { AutomationService } from './service';

function me(op: OperationContext): string {
  return callerUserId(op.principal, 'automation');
}

const DAY = 86_400_000;

/** Every automation operation bound to the service. */
export function bindAutomationOperations(
  svc: AutomationService,
  config: BackendConfig,
  baseUrl: () => string,
  audit: AuditLog,
): BoundOperation[] {
  return [
    bind(automationAccountsList, (_input, op) => svc.listAccounts(me(op))),
    bind(automationLogList, (input, op) => svc.listLog(me(op), input)),
    bind(automationLogGet, (input, op) => svc.getLog(me(op), input.id)),
    bind(automationRiskGet, (input, op) => svc.getRisk(me(op), input.accountId)),
    bind(automationRiskSet, (input, op) => {
      const before = svc.getRisk(me(op), input.accountId).settings;
      const r = svc.setRisk(me(op), input.accountId, {
        ...input.settings,
        dailyProfitTarget: input.settings.dailyProfitTarget ?? null,
      });
      audit.recordFor(op, 'automation.risk', r.accountId, changedFields(before, r.settings));
      return r;
    }),
    bind(automationReceiverGet, (_input, op) => ({
      settings: svc.repo.receiver(me(op)),
      listenHost: config.host,
      localBaseUrl: baseUrl(),
      tradingViewIps: TRADINGVIEW_IPS,
      maxBodyBytes: WEBHOOK_MAX_BYTES,
    })),
    bind(automationReceiverSet, (input, op) => {
      const before = svc.repo.receiver(me(op));
      const r = svc.setReceiver(me(op), input);
      audit.recordFor(op, 'automation.receiver', null, changedFields(before, r));
      return r;
    }),
    bind(automationCalendarImport, (input, op) =>
      svc.importCalendar(
        me(op),
        input.content,
        input.timeZone,
        input.replace ?? false,
        input.source ?? 'import',
      ),
    ),
    bind(automationCalendarList, (input, op) => {
      const now = config.now();
      return svc.listCalendar(
        me(op),
        input.from ?? now - DAY,
        input.to ?? now + 30 * DAY,
        input.limit ?? 200,
      );
    }),
    bind(automationEmergencyStop, async (input, op) => {
      const r = await svc.emergencyStop(me(op), input.accountId, input.reason ?? null);
      audit.recordFor(op, 'automation.emergencyStop', input.accountId ?? null, {
        reason: input.reason ?? null,
        accounts: r.accounts,
      });
      return r;
    }),
    bind(automationRearm, (input, op) => {
      const r = svc.rearm(me(op), input.accountId);
      audit.recordFor(op, 'automation.rearm', input.accountId ?? null, r);
      return r;
    }),
    bind(automationStatus, (_input, op) => svc.status(me(op))),
    bind(automationRefusalsList, (input) => svc.listRefusals(input.since, input.limit ?? 100)),
    bind(automationTestAlert, (input, op) =>
      svc.testAlert(me(op), input.accountId, input.body, op.correlationId),
    ),
  ];
}
