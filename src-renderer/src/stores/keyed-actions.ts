/** The slice of a store that keyed actions write: what is running, and what went wrong. */
export interface KeyedActionState<P> {
  problems: Record<string, P>;
  pending: Record<string, boolean>;
}

type Setter<P> = (fn: (s: KeyedActionState<P>) => Partial<KeyedActionState<P>>) => void;

/**
 * Runs actions under a key (`close:<account>:<symbol>`, `stop:<bot>`): busy while one runs, its
 * error kept under the same key so the screen shows it beside the control that caused it, and
 * cleared when that action is tried again. Resolves to undefined when it failed.
 */
export function keyedActions<P>(set: Setter<P>, problemOf: (err: unknown) => P) {
  return async function act<T>(key: string, fn: () => Promise<T>): Promise<T | undefined> {
    set((s) => {
      const problems = { ...s.problems };
      delete problems[key];
      return { problems, pending: { ...s.pending, [key]: true } };
    });
    try {
      return await fn();
    } catch (err) {
      set((s) => ({ problems: { ...s.problems, [key]: problemOf(err) } }));
      return undefined;
    } finally {
      set((s) => {
        const pending = { ...s.pending };
        delete pending[key];
        return { pending };
      });
    }
  };
}
