import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * One registry per backend (not prom-client's global), so several backends can live in one
 * test process. Default metrics include event-loop lag.
 */
export interface Metrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  dbTransaction: Histogram<'name'>;
  operationDuration: Histogram<'operation' | 'outcome'>;
  /** Open WebSocket connections, every door together. */
  wsConnections: Gauge;
  /** WebSocket upgrades refused by the connection limits, by which limit was reached. */
  wsRefused: Counter<'scope'>;
  /** TCP connections closed on arrival by the per-address or server-wide connection limit. */
  connectionsRefused: Counter<'scope'>;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 });
  return {
    registry,
    httpDuration: new Histogram({
      name: 'bourse_http_request_duration_seconds',
      help: 'HTTP request latency by route',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 2.5],
      registers: [registry],
    }),
    dbTransaction: new Histogram({
      name: 'bourse_db_transaction_duration_seconds',
      help: 'SQLite write transaction time',
      labelNames: ['name'],
      buckets: [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1, 0.5],
      registers: [registry],
    }),
    operationDuration: new Histogram({
      name: 'bourse_operation_duration_seconds',
      help: 'Operation handler time by name and outcome',
      labelNames: ['operation', 'outcome'],
      buckets: [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1],
      registers: [registry],
    }),
    wsConnections: new Gauge({
      name: 'bourse_ws_connections',
      help: 'Open WebSocket connections (all doors)',
      registers: [registry],
    }),
    wsRefused: new Counter({
      name: 'bourse_ws_connections_refused_total',
      help: 'WebSocket upgrades refused by the per-address or server-wide connection limit',
      labelNames: ['scope'],
      registers: [registry],
    }),
    connectionsRefused: new Counter({
      name: 'bourse_http_connections_refused_total',
      help: 'TCP connections closed on arrival by the per-address or server-wide connection limit',
      labelNames: ['scope'],
      registers: [registry],
    }),
  };
}
