import type { HubConnection } from '@microsoft/signalr';
import { HubLoop, unwrap, type HubLoopOptions } from './hub-loop';
import type { WireAccount, WireOrder, WirePosition, WireTrade } from './protocol';

export { redact, unwrap } from './hub-loop';

/**
 * The SignalR user hub (`/hubs/user`): account, order, position and trade pushes of one
 * account. Its connection state is the account's stream state (`connection` events).
 */

export interface HubHandlers {
  order(o: WireOrder): void;
  position(p: WirePosition): void;
  trade(t: WireTrade): void;
  account(a: WireAccount): void;
}

/** The loop's options but what the user hub decides itself (handlers, subscriptions). */
export type UserHubOptions = Omit<HubLoopOptions, 'name' | 'register' | 'subscribeAll'> & {
  accountId(): Promise<number>;
  handlers: HubHandlers;
};

export class UserHub {
  private readonly loop: HubLoop;

  constructor(o: UserHubOptions) {
    const { accountId: _accountId, handlers: _handlers, ...loop } = o;
    this.loop = new HubLoop({
      ...loop,
      name: 'user',
      register: (conn) => register(conn, o.handlers),
      subscribeAll: async (conn) => {
        const accountId = await o.accountId();
        await Promise.all([
          conn.invoke('SubscribeAccounts'),
          conn.invoke('SubscribeOrders', accountId),
          conn.invoke('SubscribePositions', accountId),
          conn.invoke('SubscribeTrades', accountId),
        ]);
      },
    });
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }
}

function register(conn: HubConnection, h: HubHandlers): void {
  // The payload is the last argument, bare or wrapped in {action, data}.
  const last = (args: unknown[]) => args[args.length - 1];
  conn.on('GatewayUserOrder', (...a: unknown[]) => h.order(unwrap<WireOrder>(last(a))));
  conn.on('GatewayUserPosition', (...a: unknown[]) => h.position(unwrap<WirePosition>(last(a))));
  conn.on('GatewayUserTrade', (...a: unknown[]) => h.trade(unwrap<WireTrade>(last(a))));
  conn.on('GatewayUserAccount', (...a: unknown[]) => h.account(unwrap<WireAccount>(last(a))));
}
