import type { AccountRow, TestAnswer } from '../../stores/automation';

/**
 * What the Automation screen says about alerts, kept apart from the components so it is
 * tested without a DOM.
 *
 * How many orders an alert placed, in the same words wherever it is said (the test alert's
 * answer, the log's Result column, the Details dialog). The pipeline counts an entry's
 * take-profit / stop-loss exits apart from the orders (the daily order limit counts them
 * with their entry), so they are named apart here too: "1 order + 2 exits (take-profit and
 * stop-loss)", never "3 order(s)" in one place and "1 order(s)" in another.
 */

/** What an order of an alert says about itself (AutomationOrderView). */
export interface AlertOrder {
  role?: 'entry' | 'take_profit' | 'stop_loss' | undefined;
  status: string;
}

const EXIT_NAME = { take_profit: 'take-profit', stop_loss: 'stop-loss' } as const;

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export const isExit = (o: AlertOrder) => o.role === 'take_profit' || o.role === 'stop_loss';

/** "1 order", "2 orders", "no order". */
export const ordersWords = (n: number) => (n === 0 ? 'no order' : plural(n, 'order', 'orders'));

/**
 * The orders an alert produced, exits apart: "1 order", "1 order + 2 exits (take-profit and
 * stop-loss)", "1 order + 1 exit (stop-loss, refused)".
 */
export function alertOrdersWords(orders: readonly AlertOrder[]): string {
  const exits = orders.filter(isExit);
  const main = ordersWords(orders.length - exits.length);
  if (exits.length === 0) return main;
  const kinds = [...new Set(exits.map((o) => EXIT_NAME[o.role as keyof typeof EXIT_NAME]))];
  const refused = exits.filter((o) => o.status === 'rejected').length;
  const notes = [
    kinds.join(' and '),
    refused === 0 ? '' : refused === exits.length ? 'refused' : `${refused} refused`,
  ].filter(Boolean);
  return `${main} + ${plural(exits.length, 'exit', 'exits')} (${notes.join(', ')})`;
}

/** A log row as the list gives it (`exitsPlaced` absent from a server before it counted them). */
export interface LogRowCounts {
  status: string;
  ordersPlaced: number;
  exitsPlaced?: number;
  errorMessage: string | null;
}

/**
 * The log's Result column: the refusal's reason, or the orders placed. A row counts the
 * orders but not the exits with them (the list does not carry them): `exitsKnown` is false
 * then, and the table says where the exits are listed.
 */
export function logResult(r: LogRowCounts): { text: string; exitsKnown: boolean } {
  if (r.errorMessage) return { text: r.errorMessage, exitsKnown: true };
  if (r.status !== 'accepted') return { text: '—', exitsKnown: true };
  const exits = typeof r.exitsPlaced === 'number' ? r.exitsPlaced : null;
  if (exits === null) return { text: ordersWords(r.ordersPlaced), exitsKnown: false };
  const main = ordersWords(r.ordersPlaced);
  return {
    text: exits > 0 ? `${main} + ${plural(exits, 'exit', 'exits')}` : main,
    exitsKnown: true,
  };
}

/**
 * What a test alert does on an account, said before it is sent: it runs the real pipeline and
 * places real orders. `confirm` is the question asked first, for an account that is neither
 * paper nor a broker's demo (or whose kind is not known).
 */
export function testAlertEffect(a: Pick<AccountRow, 'name' | 'venue' | 'demo'>): {
  warning: string;
  confirm?: string;
} {
  if (a.venue === 'paper') {
    return {
      warning: `Sends a real alert: it places orders on ${a.name}, a paper account (simulated fills, no real money).`,
    };
  }
  if (a.venue === 'local') {
    return {
      warning: `Sends a real alert: it places orders on the local exchange through ${a.name}, with your balances there.`,
      confirm: `Send this alert to ${a.name}? It places real orders on the local exchange and trades your balances there.`,
    };
  }
  if (a.demo === true) {
    return {
      warning: `Sends a real alert: it places orders on ${a.name}, a demo account at ${a.venue}.`,
    };
  }
  return {
    warning: `Sends a real alert: it places real orders at ${a.venue} on ${a.name}${a.demo === false ? ', a live account' : ''}.`,
    confirm: `Send this alert to ${a.name}? It places real orders at ${a.venue}${a.demo === false ? ' on a live account' : ''}.`,
  };
}

/** What the answer says, the orders counted as the log and its Details count them. */
export function answerText(answer: TestAnswer, accountName: string): string {
  if (answer.status !== 'accepted' || !answer.orders) {
    return `${answer.status}: ${answer.message} (log #${answer.logId})`;
  }
  return `${answer.status}: ${alertOrdersWords(answer.orders)} on ${accountName} (log #${answer.logId})`;
}
