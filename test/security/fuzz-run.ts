/**
 * `npm run fuzz`: the long fuzz run (default 50,000 requests) generated from the OpenAPI
 * document. BOURSE_FUZZ_SEED and BOURSE_FUZZ_REQUESTS choose the run; exits 1 on any failure.
 */
import { runFuzz, summary } from './fuzz/harness';

async function main(): Promise<void> {
  const seed = Number(process.env.BOURSE_FUZZ_SEED ?? Date.now() % 2 ** 31);
  const requests = Number(process.env.BOURSE_FUZZ_REQUESTS ?? 50_000);
  if (!Number.isInteger(seed) || !Number.isInteger(requests) || requests < 1) {
    throw new Error('BOURSE_FUZZ_SEED and BOURSE_FUZZ_REQUESTS must be integers');
  }
  console.log(`fuzz: seed ${seed}, ${requests} requests (BOURSE_FUZZ_SEED=${seed} to repeat)`);
  const report = await runFuzz({
    seed,
    requests,
    onProgress: (done) => {
      if (done > 0 && done % 5000 === 0) console.log(`  ${done} requests…`);
    },
  });
  console.log(summary(report));
  process.exitCode = report.failures.length || report.pollution.length ? 1 : 0;
}

main().catch((err: unknown) => {
  console.error(err);
  // A backend left open would keep the process alive.
  process.exit(2);
});
