// Profiling helper: runs only our engine on one stream many times (npx tsx … S3).
import { oursRunner } from './contenders';
import { s1AddOnly, s3Classic } from './streams';

const which = process.argv[2] ?? 'S3';
const stream = which === 'S1' ? s1AddOnly(200_000) : s3Classic(500_000);
const r = oursRunner(stream);
for (let rep = 0; rep < 5; rep++) {
  r.fresh();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < stream.ops.length; i++) r.step(i);
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(`${which} ${Math.round(stream.ops.length / s).toLocaleString()} ops/s`);
}
