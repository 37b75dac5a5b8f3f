// Runs autocannon in its own process (so the load generator does not share the server's
// event loop) and prints its result as one JSON line. Input: one JSON argument
// { url, connections, duration, requests: [{ method, path, headers, body }] }.
import autocannon from 'autocannon';

const opts = JSON.parse(process.argv[2]);
const result = await autocannon({
  url: opts.url,
  connections: opts.connections,
  duration: opts.duration,
  requests: opts.requests,
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
