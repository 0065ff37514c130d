import { startServer } from "../server.ts";
import type { Command } from "./command.ts";

export const serve: Command = {
  summary: "Start the suite (HTTP, WebSocket) on PORT",
  keepsRunning: true,
  run: async (_args, config) => {
    const started = performance.now();
    const server = await startServer(config);
    server.kernel.log.info(
      { url: server.url, database: server.kernel.database.kind, readyMs: Math.round(performance.now() - started) },
      "Ensemble is ready",
    );
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      server.kernel.log.info({ signal }, "shutting down");
      await server.close();
      process.exit(0);
    };
    process.on("SIGTERM", () => void stop("SIGTERM"));
    process.on("SIGINT", () => void stop("SIGINT"));
    return 0;
  },
};
