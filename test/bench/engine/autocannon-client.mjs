// Runs autocannon in its own process (so the load generator does not share the server's
// event loop) and prints its result as one JSON line. Input: one JSON argument
// { url, connections, duration, requests: [{ method, path, headers, body }] }, or with
// `amount` (that many requests, not a duration) and `idReplacement` (each `[<id>]` in a body
// becomes a fresh id: alerts that must not be deduplicated).
import autocannon from 'autocannon';

const opts = JSON.parse(process.argv[2]);
// Fresh ids through `setupRequest` (run for every request): autocannon's own `idReplacement`
// sizes the body for ids of another length than it inserts, and the server waits for bytes
// that never come.
let seq = 0;
const requests =
  opts.idReplacement === true
    ? opts.requests.map((r) => ({
        ...r,
        setupRequest: (req) => ({
          ...req,
          body: r.body.replaceAll('[<id>]', `${process.pid}-${++seq}`),
        }),
      }))
    : opts.requests;
const result = await autocannon({
  url: opts.url,
  connections: opts.connections,
  ...(opts.amount ? { amount: opts.amount } : { duration: opts.duration }),
  requests,
});
process.stdout.write(
  `${JSON.stringify({
    reqPerSec: result.requests.average,
    p50ms: result.latency.p50,
    p99ms: result.latency.p99,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  })}\n`,
);
