export * from "./resources.ts";
export * from "./wire.ts";
export * from "./problems.ts";
