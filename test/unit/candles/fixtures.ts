/** Bar files: small ones from test/fixtures, large ones from ../shared/data when present. */
export { readBars, skipWithoutRealData } from '../../helpers/real-data';
