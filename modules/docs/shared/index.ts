export * from "./close-codes.ts";
export * from "./documents.ts";
export * from "./problems.ts";
export * from "./history.ts";
export * from "./comments.ts";
