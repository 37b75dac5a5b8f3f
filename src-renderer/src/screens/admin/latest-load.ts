/** What one load ended with. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

/**
 * Wraps `load` so that only the latest call's outcome is handed to `land`: a filter changed
 * twice in quick succession must not show the first answer because it arrived last. A call
 * overtaken that way resolves when the latest one has landed, so a caller that awaits it
 * still knows fresh data is in place when it resumes.
 */
export function latestLoad<T>(
  load: () => Promise<T>,
  land: (outcome: Outcome<T>) => void,
): () => Promise<void> {
  let latest: Promise<void> | undefined;
  return () => {
    const run: Promise<void> = Promise.resolve()
      .then(load)
      .then(
        (value) => {
          if (latest === run) land({ ok: true, value });
        },
        (error: unknown) => {
          if (latest === run) land({ ok: false, error });
        },
      )
      .then(() => (latest === run ? undefined : latest));
    latest = run;
    return run;
  };
}
