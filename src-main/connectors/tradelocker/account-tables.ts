import { ROUTES, type TradeConfig } from './config';
import type { InstrumentCatalog } from './instruments';
import type { TradelockerSession } from './session';
import { namedRows, type Row } from './wire';

export type Table = 'orders' | 'ordersHistory' | 'positions' | 'executions' | 'state';

/** Where each table lives: its path under the account, its rate-limit route, its columns. */
const TABLES: Record<
  Table,
  { path: string; route: string; columns: keyof TradeConfig; key: string }
> = {
  orders: { path: 'orders', route: ROUTES.orders, columns: 'ordersConfig', key: 'orders' },
  ordersHistory: {
    path: 'ordersHistory',
    route: ROUTES.ordersHistory,
    columns: 'ordersHistoryConfig',
    key: 'ordersHistory',
  },
  positions: {
    path: 'positions',
    route: ROUTES.positions,
    columns: 'positionsConfig',
    key: 'positions',
  },
  executions: {
    path: 'executions',
    route: ROUTES.executions,
    columns: 'filledOrdersConfig',
    key: 'executions',
  },
  state: {
    path: 'state',
    route: ROUTES.state,
    columns: 'accountDetailsConfig',
    key: 'accountDetailsData',
  },
};

/**
 * The account's positional tables, each read with one GET and named by `/trade/config`'s
 * columns. The instrument list is loaded first so rows can be given symbol names.
 */
export class AccountTables {
  constructor(
    private readonly session: TradelockerSession,
    private readonly catalog: InstrumentCatalog,
  ) {}

  async rows(table: Table): Promise<Row[]> {
    const spec = TABLES[table];
    const account = await this.session.account();
    const config = await this.session.tradeConfig();
    await this.catalog.all();
    const d = await this.session.trade<Record<string, unknown>>({
      method: 'GET',
      path: `/trade/accounts/${account.id}/${spec.path}`,
      route: spec.route,
      mutating: false,
    });
    const raw = d?.[spec.key] ?? [];
    // The account state is one row, not a list of them.
    const rows = table === 'state' ? [raw] : raw;
    return namedRows(
      config[spec.columns] as { columns: Array<{ id: string }> } | undefined,
      rows,
      spec.key,
    );
  }
}
