import { randomBytes } from 'node:crypto';
import type { FakeBook } from './book';
import { KrakenRefusal, PAIRS } from './book';

/**
 * The fake's private methods after authentication, permissions and the REST counter passed:
 * Kraken's result shapes (notes §1.7) over the book, or a `KrakenRefusal`.
 */
export function privateMethod(
  b: FakeBook,
  method: string,
  p: Record<string, string>,
  clock: () => number,
  issueToken: () => { token: string; expires: number },
): unknown {
  const list = (pred: (o: ReturnType<FakeBook['find']>) => boolean) =>
    Object.fromEntries(
      [...b.orders.values()]
        .filter(pred)
        .filter((o) => p.cl_ord_id === undefined || o.cl_ord_id === p.cl_ord_id)
        .filter((o) => p.userref === undefined || String(o.userref) === p.userref)
        .map((o) => [o.txid, b.view(o)]),
    );
  switch (method) {
    case 'Balance':
      return Object.fromEntries(b.balances);
    case 'BalanceEx':
      return Object.fromEntries(
        [...b.balances].map(([a, v]) => [a, { balance: v, hold_trade: b.held(a) }]),
      );
    case 'TradeBalance':
      if (p.asset !== undefined && p.asset !== 'ZUSD')
        throw new KrakenRefusal('EQuery:Unknown asset');
      return {
        eb: b.balances.get('ZUSD'),
        tb: b.balances.get('ZUSD'),
        m: '0',
        n: '0',
        c: '0',
        v: '0',
        e: b.balances.get('ZUSD'),
        mf: b.balances.get('ZUSD'),
        uv: '0',
      };
    case 'OpenOrders':
      return { open: list((o) => o.status === 'open' || o.status === 'pending') };
    case 'ClosedOrders': {
      const all = Object.entries(list((o) => o.status !== 'open' && o.status !== 'pending'));
      const ofs = Number(p.ofs ?? 0);
      return {
        closed: Object.fromEntries(all.reverse().slice(ofs, ofs + 50)),
        count: all.length,
      };
    }
    case 'QueryOrders': {
      if (!p.txid) throw new KrakenRefusal('EGeneral:Invalid arguments:txid');
      const ids = p.txid.split(',');
      if (ids.length > 50) throw new KrakenRefusal('EGeneral:Invalid arguments:txid');
      // (unverified) the answer for an unknown txid.
      return Object.fromEntries(ids.map((id) => [id, b.view(b.find(id))]));
    }
    case 'TradesHistory':
      return {
        trades: Object.fromEntries(
          [...b.trades.values()].map((t) => [
            t.id,
            {
              ordertxid: t.ordertxid,
              pair: PAIRS[t.pair]!.altname,
              time: t.time,
              type: t.side,
              ordertype: t.ordertype,
              price: t.price,
              cost: t.cost,
              fee: t.fee,
              vol: t.vol,
              margin: '0',
              misc: '',
            },
          ]),
        ),
        count: b.trades.size,
      };
    case 'AddOrder': {
      for (const f of ['pair', 'type', 'ordertype', 'volume']) {
        if (p[f] === undefined) throw new KrakenRefusal(`EGeneral:Invalid arguments:${f}`);
      }
      const r = b.add(p);
      // `descr.close` only when the order has a close ("if applicable", add.yaml's answer).
      const descr = { order: r.descr, ...(r.close !== undefined ? { close: r.close } : {}) };
      return r.txid ? { descr, txid: [r.txid] } : { descr };
    }
    case 'AmendOrder':
      b.amend(p);
      return { amend_id: `TA${randomBytes(6).toString('hex').toUpperCase()}` };
    case 'CancelOrder':
      b.cancel(p.txid, p.cl_ord_id);
      return { count: 1 };
    case 'CancelAll':
      return { count: b.cancelAll() };
    case 'CancelAllOrdersAfter': {
      const t = Number(p.timeout);
      if (p.timeout === undefined || !Number.isInteger(t) || t < 0 || t >= 86_400) {
        throw new KrakenRefusal('EGeneral:Invalid arguments:timeout');
      }
      b.deadManAt = t === 0 ? null : clock() + t * 1000;
      const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
      return {
        currentTime: iso(clock()),
        triggerTime: t === 0 ? '0' : iso(clock() + t * 1000),
      };
    }
    case 'GetWebSocketsToken':
      return issueToken();
    case 'WithdrawMethods':
      return [{ asset: 'XBT', method: 'Bitcoin', network: 'Bitcoin', minimum: '0.0004' }];
    default:
      throw new KrakenRefusal('EGeneral:Unknown method');
  }
}
