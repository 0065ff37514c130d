import client from "prom-client";

/** One registry per process; /metrics serialises it. */
export const registry = new client.Registry();
client.collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 });

export const httpDuration = new client.Histogram({
  name: "ensemble_http_request_duration_seconds",
  help: "HTTP request latency",
  labelNames: ["method", "route", "status"],
  buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers: [registry],
});

export const wsConnections = new client.Gauge({
  name: "ensemble_websocket_connections",
  help: "Open WebSocket connections on this node",
  registers: [registry],
});

export const dbTimings = new client.Histogram({
  name: "ensemble_db_query_duration_seconds",
  help: "Database query latency",
  buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5],
  registers: [registry],
});
