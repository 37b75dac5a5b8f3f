import {
  addDecimal,
  compareDecimal,
  divDecimal,
  mulDecimal,
  negateDecimal,
  subDecimal,
  type DecimalText,
} from '../money';

/** Decimals kept of an average entry price and of realised P&L (exact below that). */
export const BOOK_SCALE = 10;

/** What a bot holds of a market, from its own fills only (signed position, average cost). */
export interface BotBook {
  position: DecimalText;
  /** Null when flat. */
  avgPrice: DecimalText | null;
  realisedPnl: DecimalText;
}

export const EMPTY_BOOK: BotBook = { position: '0', avgPrice: null, realisedPnl: '0' };

const abs = (d: DecimalText) => (d.startsWith('-') ? d.slice(1) : d);
const round = (d: DecimalText) => divDecimal(d, '1', BOOK_SCALE, 'half_even')!;

/**
 * Applies one fill with average-cost accounting: an increase re-averages the entry price; a
 * reduction realises (price − avg) × closed quantity (sign of the position); a fill larger than
 * the position closes it and opens the rest the other way at the fill price.
 */
export function applyFill(
  book: BotBook,
  side: 'buy' | 'sell',
  qty: DecimalText,
  price: DecimalText,
): BotBook {
  if (compareDecimal(qty, '0') <= 0) return book;
  const signed = side === 'buy' ? qty : negateDecimal(qty);
  const pos = book.position;
  const sameWay =
    compareDecimal(pos, '0') === 0 || compareDecimal(pos, '0') === compareDecimal(signed, '0');
  if (sameWay) {
    const held = abs(pos);
    const total = addDecimal(held, qty);
    const cost = addDecimal(mulDecimal(book.avgPrice ?? '0', held), mulDecimal(price, qty));
    return {
      position: addDecimal(pos, signed),
      avgPrice: divDecimal(cost, total, BOOK_SCALE, 'half_even')!,
      realisedPnl: book.realisedPnl,
    };
  }
  const held = abs(pos);
  const closing = compareDecimal(qty, held) < 0 ? qty : held;
  const perUnit = subDecimal(price, book.avgPrice ?? price);
  const gain = mulDecimal(pos.startsWith('-') ? negateDecimal(perUnit) : perUnit, closing);
  const realisedPnl = round(addDecimal(book.realisedPnl, gain));
  const position = addDecimal(pos, signed);
  const sign = compareDecimal(position, '0');
  if (sign === 0) return { position: '0', avgPrice: null, realisedPnl };
  // Still the same way (a partial close keeps the average); else flipped: the rest opens at price.
  const flipped = sign !== compareDecimal(pos, '0');
  return { position, avgPrice: flipped ? price : book.avgPrice, realisedPnl };
}

/** Unrealised P&L of the book marked at `mark` (0 when flat or unmarked). */
export function unrealisedPnl(book: BotBook, mark: DecimalText | null): DecimalText {
  if (mark === null || book.avgPrice === null || compareDecimal(book.position, '0') === 0)
    return '0';
  return round(mulDecimal(subDecimal(mark, book.avgPrice), book.position));
}
