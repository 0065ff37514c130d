export * from "./capabilities.ts";
export * from "./resources.ts";
export * from "./order.ts";
export * from "./schemas.ts";
export * from "./events.ts";
export * from "./board-state.ts";
export * from "./problems.ts";
