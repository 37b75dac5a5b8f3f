import type { BrokerDefinition } from './broker/port';
import { krakenDefinition } from './kraken';
import { tradelockerDefinition } from './tradelocker';
import { projectxDefinition } from './projectx';

/**
 * The external broker venues this build ships, in the order the venue picker lists them.
 * Each connector exports its definition from its folder's index; the composition root passes
 * this list to the accounts feature.
 */
export function builtInBrokers(): BrokerDefinition[] {
  return [krakenDefinition, tradelockerDefinition, projectxDefinition];
}
