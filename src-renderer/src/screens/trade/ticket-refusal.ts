import { shapeOf, type Form, type Problems } from './ticket-form';
import { namedField } from './ticket-trail';

/**
 * A server refusal that names a request field (`details.field`: `stopPrice`, `price`, `qty`,
 * an order with exits' `order.stopPrice`, its `takeProfit.price` or `stopLoss.price`), as the problem shown at the
 * form's input for that field, when the form shows it. Like the form's own problems it stands
 * until that input is edited (the ticket drops a field's problem on its edit). Trailing
 * distances have their own (ticket-trail.ts, exit-trail.ts).
 */

type Input =
  'price' | 'stopPrice' | 'stopLimitPrice' | 'qty' | 'quoteQty' | 'takeProfit' | 'stopLoss';

/** The input a request field is typed in, when the form shows that input. */
function inputOf(f: Form, path: readonly string[]): Input | undefined {
  const { needsPrice, isStop, takeProfit, byQuote, oco, scaled, exits } = shapeOf(f);
  if (scaled) return undefined;
  const [first, second] = path;
  // An exit's price (a trailing stop loss's distance is exit-trail.ts's).
  if (path.length === 2 && second === 'price' && exits) {
    if (first === 'takeProfit') return 'takeProfit';
    if (first === 'stopLoss' && !f.stopLossTrails) return 'stopLoss';
  }
  if (path.length !== 1) return undefined;
  switch (first) {
    case 'price':
      return needsPrice ? 'price' : undefined;
    case 'stopPrice':
      return isStop || takeProfit ? 'stopPrice' : undefined;
    case 'stopLimitPrice':
      return oco ? 'stopLimitPrice' : undefined;
    case 'qty':
      return byQuote ? undefined : 'qty';
    case 'quoteQty':
      return byQuote ? 'quoteQty' : undefined;
    default:
      return undefined;
  }
}

/** The refusal at the input it names, or undefined (then the ticket shows it under its button). */
export function fieldRefusal(f: Form, details: unknown, message: string): Problems | undefined {
  const field = namedField(details);
  if (typeof field !== 'string') return undefined;
  const parts = field.split(/[./]/).filter(Boolean);
  // orders.placeWithExits names the order's fields under `order`.
  const path = parts[0] === 'order' ? parts.slice(1) : parts;
  const input = inputOf(f, path);
  return input ? { [input]: message } : undefined;
}
