export * from "./client.ts";
export * from "./test-server.ts";
export * from "./test-db.ts";
export * from "./smtp.ts";
export * from "./push-endpoint.ts";
export * from "./oidc-provider.ts";
export * from "./realtime.ts";
export * from "./matrix.ts";
