import client from "prom-client";
import { registry } from "../metrics.ts";

/** Why the server closed sockets: a rising slow-consumer or rate-limit count is worth an alert. */
export const wsServerCloses = new client.Counter({
  name: "ensemble_websocket_server_closes_total",
  help: "WebSocket connections closed by this node, by reason",
  labelNames: ["reason"],
  registers: [registry],
});

export const eventsDispatched = new client.Counter({
  name: "ensemble_events_dispatched_total",
  help: "Outbox events dispatched by this node",
  registers: [registry],
});

export const eventHandlerFailures = new client.Counter({
  name: "ensemble_event_handler_failures_total",
  help: "Event handler runs that failed (and will be retried or gave up)",
  labelNames: ["handler"],
  registers: [registry],
});
