/**
 * A server refusal that names a field answers the value that was sent. Once the trader edits
 * that field, the refusal no longer describes the form: it is dropped (the next send is checked
 * again). A refusal of a field the form does not show, or of none, stands until the next send.
 */

/** The form's text by the request field it is sent in. */
export type SentValues = Readonly<Record<string, string>>;

export function standingRefusal<P extends { field?: string | undefined }>(
  problem: P | undefined,
  sent: SentValues | undefined,
  now: SentValues,
): P | undefined {
  const field = problem?.field;
  if (problem === undefined || field === undefined || sent === undefined) return problem;
  if (!(field in now) || !(field in sent)) return problem;
  return now[field] === sent[field] ? problem : undefined;
}

/**
 * The request field a paper refusal that names none belongs to, by its code: not enough margin
 * and a quantity off the lot size are the quantity's; a market in another currency, halted or
 * without a price is the market's. The ticket then shows it at that input, or, `across` (the
 * margin refusal quotes its figures: too long for a cell), under the ticket with that input
 * marked and described by it.
 */
const FIELD_OF_CODE: Readonly<Record<string, { field: string; across?: true }>> = {
  insufficient_margin: { field: 'qty', across: true },
  lot_size: { field: 'qty' },
  currency_mismatch: { field: 'symbol' },
  market_halted: { field: 'symbol' },
  no_price: { field: 'symbol' },
};

/** The refusal with the field it belongs to (its own, else its code's; none: as it is). */
export function withField<P extends { code: string; field?: string | undefined }>(
  p: P | undefined,
): (P & { across?: boolean }) | undefined {
  if (!p || p.field) return p;
  const at = FIELD_OF_CODE[p.code];
  return at ? { ...p, field: at.field, ...(at.across ? { across: true } : {}) } : p;
}
