/** The engine's cancel reasons in words (order history). */
const END_REASONS: Record<string, string> = {
  ioc_remainder: 'IOC remainder',
  fok: 'fill or kill',
  stp: 'self-trade prevention',
  price_band: 'outside the price band',
  no_liquidity: 'no liquidity',
  market_closed: 'market closed',
  dead_man_switch: 'dead man’s switch',
  // The other leg of its OCO filled or triggered (a cancelled list's legs read as the user's cancel).
  oco: 'OCO',
};

/**
 * Why an order ended, for people, or null when the status says it all (the user's own
 * cancel, an expiry). An unknown reason is shown as it comes, underscores as spaces.
 */
export function endReason(reason: string | null): string | null {
  if (reason === null || reason === 'user' || reason === 'expired') return null;
  return END_REASONS[reason] ?? reason.replace(/_/g, ' ');
}
