import type { Feature } from './feature';
import { systemFeature } from './operations/system';

/**
 * Every capability of the backend, in setup order. Adding a feature here makes its
 * operations reachable through every door.
 */
export const features: Feature[] = [systemFeature];
