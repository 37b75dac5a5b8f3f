/** Worst gap between 1 ms timer ticks while `work` runs: how long the event loop was blocked. */
export async function worstStall(
  work: () => Promise<unknown>,
): Promise<{ worstMs: number; totalMs: number }> {
  let worst = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const t = performance.now();
    worst = Math.max(worst, t - last);
    last = t;
  }, 1);
  const t0 = performance.now();
  await work();
  const totalMs = performance.now() - t0;
  // The last stretch counts too: a run that never yields has no tick inside it.
  worst = Math.max(worst, performance.now() - last);
  clearInterval(timer);
  return { worstMs: worst, totalMs };
}
