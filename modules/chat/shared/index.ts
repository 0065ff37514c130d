export * from "./capabilities.ts";
export * from "./resources.ts";
export * from "./settings.ts";
export * from "./schemas.ts";
export * from "./events.ts";
export * from "./mentions.ts";
