import { projectxDefinition } from '../../../src-main/connectors/projectx';
import { brokerConformance } from '../../helpers/broker-conformance';
import { startFakeProjectx } from '../../fakes/projectx/server';

brokerConformance('ProjectX', { definition: projectxDefinition, start: () => startFakeProjectx() });
