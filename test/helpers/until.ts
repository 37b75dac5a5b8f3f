/**
 * Waits until an asynchronous check holds (a backend read, a fake's state), polling every
 * 20 ms; fails naming `what` after `ms`. For a synchronous condition see ws-client's `until`.
 */
export async function untilAsync(
  what: string,
  check: () => Promise<boolean>,
  ms = 10_000,
): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
