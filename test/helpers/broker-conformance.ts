import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  BrokerConnector,
  BrokerDefinition,
  BrokerEvent,
} from '../../src-main/connectors/broker/port';
import { BrokerError } from '../../src-main/connectors/broker/errors';

/**
 * What every broker's strict fake server offers the shared suite. Each fake lives in
 * `test/fakes/<venue>/` and speaks its broker's protocol strictly; these controls are the
 * test's hands on it (the connector never sees them).
 */
export interface FakeBrokerHandle {
  /** Settings (non-secret fields, including `baseUrl` pointing at the fake) that connect. */
  settings: Record<string, string>;
  secrets: Record<string, string>;
  /** Secrets the fake refuses (wrong key/password). */
  badSecrets: Record<string, string>;
  /** An instrument symbol the connector reports, a valid quantity and a limit price that rests. */
  symbol: string;
  qty: string;
  restingBuyPrice: string;
  /** Fills a resting order at the broker (as if the market came to it), pushing its events. */
  fill(orderId: string): Promise<void>;
  /**
   * The next order placement is accepted by the broker but its answer never arrives (the
   * connector times out): the outcome is unknown to the connector.
   */
  loseNextPlaceAnswer(): void;
  /** The next request (any) answers 5xx (or the broker's equivalent outage answer). */
  failNextRequest(): void;
  /** Closes every stream connection from the server side. */
  dropStreams(): void;
  /** Orders the broker holds in total (any state), to prove a retry made no second order. */
  orderCount(): number;
  close(): Promise<void>;
}

export interface ConformanceOptions {
  definition: BrokerDefinition;
  start: () => Promise<FakeBrokerHandle>;
  /** Connector deps; tests usually shorten timeouts through settings instead. */
  now?: () => number;
  /**
   * Tests that truly do not apply to a venue (test title → reason): run as `it.skip` with the
   * reason in the title, so the report says what was not run and why.
   */
  skip?: Record<string, string>;
}

/** `it`, or `it.skip` with the reason when the venue opted out of this test. */
function skippable(skip: Record<string, string> | undefined) {
  return (title: string, fn: () => Promise<void>, timeout?: number): void => {
    const reason = skip?.[title];
    if (reason !== undefined) {
      // Printed, as every skip in this suite is: the output says why it did not run.
      console.warn(`skipping conformance test "${title}": ${reason}`);
      it.skip(`${title} (skipped: ${reason})`, fn);
    } else it(title, fn, timeout);
  };
}

const waitFor = async (
  events: BrokerEvent[],
  pred: (e: BrokerEvent) => boolean,
  ms = 5_000,
): Promise<BrokerEvent> => {
  const end = Date.now() + ms;
  for (;;) {
    const hit = events.find(pred);
    if (hit) return hit;
    if (Date.now() > end)
      throw new Error(`no matching event in ${ms} ms: ${JSON.stringify(events)}`);
    await new Promise((r) => setImmediate(r));
  }
};

/**
 * The behaviour every connector shares, run against its strict fake: authentication,
 * instruments, order lifecycle with client order ids, the unknown-outcome rule, outages,
 * and the push stream with reconnects. Venue-specific protocol tests live beside it.
 */
export function brokerConformance(name: string, o: ConformanceOptions): void {
  describe(`${name}: broker port conformance`, () => {
    // The suite's `it` honours `skip`.
    const it = skippable(o.skip);
    let fake: FakeBrokerHandle;
    let c: BrokerConnector;
    const make = (secrets?: Record<string, string>) =>
      o.definition.create(fake.settings, secrets ?? fake.secrets, { now: o.now ?? Date.now });

    beforeAll(async () => {
      fake = await o.start();
      c = make();
    });
    afterAll(async () => {
      await c?.close();
      await fake?.close();
    });

    it('tests the connection: account, trade permission, clock skew', async () => {
      const r = await c.testConnection();
      expect(r.account.id).toBeTruthy();
      expect(r.permissions.trade).toBe(true);
      expect(Math.abs(r.skewMs)).toBeLessThan(60_000);
    });

    it('refuses wrong credentials with broker_auth_failed', async () => {
      const bad = make(fake.badSecrets);
      await expect(bad.testConnection()).rejects.toMatchObject({ code: 'broker_auth_failed' });
      await bad.close();
    });

    it('lists instruments with tick, lot and minimum', async () => {
      const list = await c.instruments();
      const i = list.find((x) => x.symbol === fake.symbol);
      expect(i).toBeDefined();
      expect(Number(i!.tickSize)).toBeGreaterThan(0);
      expect(Number(i!.lotSize)).toBeGreaterThan(0);
    });

    it('places, finds by client id, lists and cancels an order', async () => {
      const clientOrderId = `conf-${Date.now().toString(36)}a`;
      const placed = await c.place({
        clientOrderId,
        symbol: fake.symbol,
        side: 'buy',
        type: 'limit',
        qty: fake.qty,
        price: fake.restingBuyPrice,
      });
      expect(['open', 'pending']).toContain(placed.status);
      const found = await c.findOrder(clientOrderId);
      expect(found?.orderId).toBe(placed.orderId);
      expect((await c.openOrders()).map((x) => x.orderId)).toContain(placed.orderId);
      await c.cancel(placed.orderId);
      expect((await c.openOrders()).map((x) => x.orderId)).not.toContain(placed.orderId);
    });

    it('an order whose answer was lost is found by client id, never placed twice', async () => {
      const clientOrderId = `conf-${Date.now().toString(36)}b`;
      const before = fake.orderCount();
      fake.loseNextPlaceAnswer();
      const req = {
        clientOrderId,
        symbol: fake.symbol,
        side: 'buy' as const,
        type: 'limit' as const,
        qty: fake.qty,
        price: fake.restingBuyPrice,
      };
      const err = await c.place(req).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BrokerError);
      expect((err as BrokerError).kind).toBe('unknown_outcome');
      const found = await c.findOrder(clientOrderId);
      expect(found).not.toBeNull();
      expect(fake.orderCount()).toBe(before + 1);
      await c.cancel(found!.orderId);
    });

    it('an outage answers broker_unavailable, and the next call works', async () => {
      fake.failNextRequest();
      await expect(c.openOrders()).rejects.toMatchObject({ code: 'broker_unavailable' });
      await expect(c.openOrders()).resolves.toBeInstanceOf(Array);
    });

    it('streams fills and order updates, and reconnects after a drop', async () => {
      const events: BrokerEvent[] = [];
      const stop = c.subscribe((e) => events.push(e));
      try {
        await waitFor(events, (e) => e.type === 'connection' && e.state === 'up');
        const placed = await c.place({
          clientOrderId: `conf-${Date.now().toString(36)}c`,
          symbol: fake.symbol,
          side: 'buy',
          type: 'limit',
          qty: fake.qty,
          price: fake.restingBuyPrice,
        });
        await fake.fill(placed.orderId);
        await waitFor(
          events,
          (e) =>
            (e.type === 'fill' && e.fill.orderId === placed.orderId) ||
            (e.type === 'order' &&
              e.order.orderId === placed.orderId &&
              e.order.status === 'filled'),
        );
        // A venue that serves its fill history says each fill under the id its stream used:
        // the session stores fills by that id, so a history read never counts one twice.
        if (c.recentFills) {
          const streamed = events.flatMap((e) =>
            e.type === 'fill' && e.fill.orderId === placed.orderId ? [e.fill.fillId] : [],
          );
          const history = (await c.recentFills()).filter((f) => f.orderId === placed.orderId);
          expect(history.length).toBeGreaterThan(0);
          expect(history.map((f) => f.fillId).sort()).toEqual([...streamed].sort());
        }
        const ups = events.filter((e) => e.type === 'connection' && e.state === 'up').length;
        fake.dropStreams();
        await waitFor(events, (e) => e.type === 'connection' && e.state === 'down');
        await waitFor(
          events,
          () => events.filter((e) => e.type === 'connection' && e.state === 'up').length > ups,
          15_000,
        );
      } finally {
        stop();
      }
    });
  });
}
