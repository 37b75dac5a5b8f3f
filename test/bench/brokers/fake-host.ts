/**
 * The bench's fakes in a process of their own (forked by `rigs.ts`). A broker is on another
 * machine: in Bourse's process its fake's work (answering, pushing streams, the fake EA's
 * cycle) ran on Bourse's event loop and was timed as Bourse's. Here it runs on the other core,
 * and the arrival clock is read here, on CLOCK_MONOTONIC (`process.hrtime`), which is the
 * same clock in every process of the machine: the parent turns it into its own
 * `performance.now()`.
 *
 * Protocol (IPC, one request → one answer with the same `seq`):
 * start {venue} → {handle, settings, secrets, symbol, qty}; addKey {handle} → credentials;
 * startEa {options} → {handle}; drop/resume/close {handle}; flush → {arrivals, received, calls}
 * (everything seen since the last flush: the parent reads its samples after a flush, so an
 * arrival message that trails the broker's answer is never missed).
 */
import diagnostics_channel from 'node:diagnostics_channel';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FakeBrokerHandle } from '../../helpers/broker-conformance';
import { FakeKraken } from '../../fakes/kraken/server';
import { startTradelockerFake } from '../../fakes/tradelocker';
import { startFakeProjectx } from '../../fakes/projectx/server';
import { FakeTerminal } from '../../fakes/metatrader/terminal';
import { FakeEa } from '../../fakes/metatrader/ea-client';

/** Bourse's client order ids (`newClientOrderId` in connectors/broker/venue.ts). */
const CLIENT_ID = /b[0-9a-f]{16}/;
/** The order-placing request of each HTTP venue, as its fake sees it. */
const ORDER_PATH =
  /(\/0\/private\/AddOrder|\/backend-api\/trade\/accounts\/[^/]+\/orders|\/api\/Order\/place)$/;

const monoMs = () => Number(process.hrtime.bigint()) / 1e6;

export type HttpVenue = 'kraken' | 'tradelocker' | 'projectx';

export interface EaOptions {
  baseUrl: string;
  token: string;
  heartbeatMs: number;
  pollMs: number;
  longPollMs: number;
  ackOnPoll: boolean;
  heartbeatOnPoll: boolean;
}

export type HostRequest =
  | { op: 'start'; venue: HttpVenue }
  | { op: 'addKey'; handle: number; permissions: string[] }
  | { op: 'startEa'; ea: EaOptions }
  | { op: 'drop' | 'resume' | 'close'; handle: number }
  | { op: 'flush' };

export interface Flushed {
  /** Client order id → monotonic ms when its order request reached a fake. */
  arrivals: Array<[string, number]>;
  /** MetaTrader: client order id → monotonic ms when the EA's poll brought its command. */
  received: Array<[string, number]>;
  /** Requests by path (digits folded) with the fake's own time, since the last flush. */
  calls: Array<[string, { n: number; ms: number[] }]>;
}

let arrivals: Array<[string, number]> = [];
let received: Array<[string, number]> = [];
let calls = new Map<string, { n: number; ms: number[] }>();
const seenIds = new Set<string>();

diagnostics_channel.subscribe('http.server.request.start', (msg) => {
  const { request: req, response: res } = msg as {
    request: IncomingMessage;
    response: ServerResponse;
  };
  const t = monoMs();
  const where = (req.url ?? '').split('?')[0]!;
  const key = `${req.method} ${where.replace(/\d+/g, 'N')}`;
  const c = calls.get(key) ?? { n: 0, ms: [] };
  calls.set(key, c);
  c.n++;
  res.on('finish', () => c.ms.push(monoMs() - t));
  if (req.method !== 'POST' || !ORDER_PATH.test(where)) return;
  // The id is in the body: read it beside the fake's own handler (both see every chunk).
  let body = '';
  req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
  req.on('end', () => {
    const id = CLIENT_ID.exec(body)?.[0];
    if (id && !seenIds.has(id)) {
      seenIds.add(id);
      arrivals.push([id, t]);
    }
  });
});

interface Held {
  fake?: FakeBrokerHandle;
  ea?: FakeEa;
  dir?: string;
}
const held = new Map<number, Held>();
let nextHandle = 1;

async function httpFake(venue: HttpVenue): Promise<FakeBrokerHandle> {
  switch (venue) {
    case 'kraken':
      // Pro tier: the highest trading-counter allowance Kraken documents (180, −3.75/s).
      return FakeKraken.start({ tier: 'pro' });
    case 'tradelocker':
      return startTradelockerFake();
    case 'projectx':
      return startFakeProjectx();
  }
}

function the(handle: number): Held {
  const h = held.get(handle);
  if (!h) throw new Error(`no fake ${handle}`);
  return h;
}

async function answer(req: HostRequest): Promise<unknown> {
  switch (req.op) {
    case 'start': {
      const fake = await httpFake(req.venue);
      const handle = nextHandle++;
      held.set(handle, { fake });
      return {
        handle,
        settings: fake.settings,
        secrets: fake.secrets,
        symbol: fake.symbol,
        qty: fake.qty,
      };
    }
    case 'addKey':
      return (the(req.handle).fake as FakeKraken).addKey(
        req.permissions as Parameters<FakeKraken['addKey']>[0],
      );
    case 'startEa': {
      const dir = mkdtempSync(path.join(tmpdir(), 'bourse-bench-mt-'));
      const terminal = new FakeTerminal('MT5');
      const execute = terminal.execute.bind(terminal);
      terminal.execute = (cmd) => {
        const t = monoMs();
        const id = CLIENT_ID.exec(JSON.stringify(cmd))?.[0];
        if (id && !seenIds.has(id)) {
          seenIds.add(id);
          received.push([id, t]);
        }
        return execute(cmd);
      };
      const ea = new FakeEa({
        ...req.ea,
        terminal,
        stateFile: path.join(dir, 'state.json'),
      });
      await ea.start();
      const handle = nextHandle++;
      held.set(handle, { ea, dir });
      return { handle };
    }
    case 'drop': {
      const h = the(req.handle);
      if (h.ea) h.ea.pauseFor(3_600_000);
      else h.fake!.dropStreams();
      return null;
    }
    case 'resume':
      the(req.handle).ea?.pauseFor(0);
      return null;
    case 'close': {
      const h = the(req.handle);
      held.delete(req.handle);
      h.ea?.crash();
      await h.fake?.close();
      if (h.dir) rmSync(h.dir, { recursive: true, force: true });
      return null;
    }
    case 'flush': {
      const out: Flushed = { arrivals, received, calls: [...calls] };
      arrivals = [];
      received = [];
      calls = new Map();
      return out;
    }
  }
}

process.on('message', (m: { seq: number; req: HostRequest }) => {
  answer(m.req).then(
    (value) => process.send!({ seq: m.seq, value }),
    (e: unknown) => process.send!({ seq: m.seq, error: String((e as Error)?.stack ?? e) }),
  );
});
process.on('disconnect', () => process.exit(0));
process.send!({ seq: 0, value: 'ready' });
