/**
 * The new-account form's own checks of a paper account's numbers, in the words the form shows
 * beside each input, and which input a server refusal belongs to (its `details.field`, the
 * last part of a schema path such as `paperConfig.maxLeverage`).
 */

/** The paper account's limits, as the server's schema has them (`PaperConfigView`). */
export const LEVERAGE_MIN = 1;
export const LEVERAGE_MAX = 500;

/** The inputs of the form a refusal can sit beside. */
export type CreateField = 'name' | 'currency' | 'balance' | 'leverage';

/** The demo balance in words: what it must be, in the account's currency. */
export function balanceRule(currency: string, scale: number | undefined): string {
  const decimals =
    scale === undefined
      ? ''
      : scale === 0
        ? ', no decimals'
        : `, at most ${scale} decimal${scale === 1 ? '' : 's'}`;
  return `Enter a ${currency} amount above 0${decimals}.`;
}

export const LEVERAGE_RULE = `A whole number from ${LEVERAGE_MIN} to ${LEVERAGE_MAX}.`;

/** The demo balance's refusal, if it has one (blank: not entered yet). */
export function balanceProblem(
  text: string,
  currency: string,
  scale: number | undefined,
): string | undefined {
  const t = text.trim();
  const m = /^([0-9]+)(?:\.([0-9]+))?$/.exec(t);
  if (!m) return t === '' ? `Enter the demo balance in ${currency}.` : balanceRule(currency, scale);
  if (/^[0.]*$/.test(t)) return balanceRule(currency, scale);
  if (scale !== undefined && (m[2] ?? '').length > scale) return balanceRule(currency, scale);
  return undefined;
}

/** The maximum leverage's refusal, if it has one. */
export function leverageProblem(text: string): string | undefined {
  const t = text.trim();
  if (!/^[0-9]{1,6}$/.test(t)) return LEVERAGE_RULE;
  const n = Number(t);
  return n < LEVERAGE_MIN || n > LEVERAGE_MAX ? LEVERAGE_RULE : undefined;
}

/** What the form checks before sending a paper account. */
export function paperProblems(v: {
  balance: string;
  leverage: string;
  currency: string;
  scale: number | undefined;
}): Partial<Record<CreateField, string>> {
  const balance = balanceProblem(v.balance, v.currency, v.scale);
  const leverage = leverageProblem(v.leverage);
  return { ...(balance ? { balance } : {}), ...(leverage ? { leverage } : {}) };
}

/** A server refusal as the form reads it (`Problem` of the accounts store). */
export interface Refusal {
  code: string;
  message: string;
  field?: string;
}

/**
 * The input a server refusal of a new account belongs to, with the words to show there: a
 * schema refusal's raw text ("paperConfig.maxLeverage must be <= 500") becomes the input's
 * rule; a refusal in words (a taken name, an unknown currency) is shown as it is.
 * Undefined: it names no input of this form (the form shows it under itself).
 */
export function refusalAt(
  p: Refusal | undefined,
  ctx: { currency: string; scale: number | undefined },
): { input: CreateField; message: string } | undefined {
  if (!p?.field) return undefined;
  const schema = p.code === 'validation_failed' && p.message.startsWith('Invalid input:');
  switch (p.field) {
    case 'name':
      return {
        input: 'name',
        message: schema ? 'Enter a name of up to 60 characters.' : p.message,
      };
    case 'baseCurrency':
      return { input: 'currency', message: p.message };
    case 'initialBalance':
      return { input: 'balance', message: balanceRule(ctx.currency, ctx.scale) };
    case 'maxLeverage':
      return { input: 'leverage', message: LEVERAGE_RULE };
    default:
      return undefined;
  }
}
