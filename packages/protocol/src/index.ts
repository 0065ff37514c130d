export * from "./ids.ts";
export * from "./problem.ts";
export * from "./pagination.ts";
export * from "./realtime.ts";
export * from "./close-codes.ts";
export * from "./capability-table.ts";
