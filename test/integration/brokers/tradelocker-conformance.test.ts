import { brokerConformance } from '../../helpers/broker-conformance';
import { tradelockerDefinition } from '../../../src-main/connectors/tradelocker';
import { startTradelockerFake } from '../../fakes/tradelocker';

brokerConformance('TradeLocker', {
  definition: tradelockerDefinition,
  start: () => startTradelockerFake(),
});
