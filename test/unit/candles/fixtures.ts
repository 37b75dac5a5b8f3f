/** Bar files: small ones from test/fixtures, large ones from the shared data folder when present (test/helpers/real-data.ts). */
export { readBars, skipWithoutRealData } from '../../helpers/real-data';
