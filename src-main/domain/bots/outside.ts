import { compareDecimal, type DecimalText } from '../money';

const abs = (d: DecimalText) => (d.startsWith('-') ? d.slice(1) : d);

/**
 * What a bot may go on believing it holds, given what the account holds of the market now
 * (both signed). The account holding less the same way (part closed by hand, a stop hit) or
 * nothing, or the other way, shrinks the belief to what is there (zero when the other way);
 * holding as much or more changes nothing: the excess is another bot's or the user's, never
 * adopted. Null when the belief stands.
 */
export function shrinkToHeld(belief: DecimalText, held: DecimalText): DecimalText | null {
  const way = compareDecimal(belief, '0');
  if (way === 0) return null;
  if (compareDecimal(held, '0') !== way) return '0';
  return compareDecimal(abs(held), abs(belief)) < 0 ? held : null;
}
