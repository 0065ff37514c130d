export * from "./capabilities.ts";
export * from "./code.ts";
export * from "./schemas.ts";
export * from "./signalling.ts";
export * from "./problems.ts";
