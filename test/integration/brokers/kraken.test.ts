import { krakenDefinition } from '../../../src-main/connectors/kraken';
import { brokerConformance } from '../../helpers/broker-conformance';
import { FakeKraken } from '../../fakes/kraken/server';

brokerConformance('kraken', {
  definition: krakenDefinition,
  start: () => FakeKraken.start(),
});
