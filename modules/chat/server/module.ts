import { defineModule } from "@ensemble/kernel";
import "./events.ts";
import { chatMigrations } from "./migrations.ts";
import { chatPolicies } from "./policies.ts";
import { chatTopics } from "./topics.ts";

/** Discutons: rooms, messages, threads, reactions, read state (server core). */
export const chatModule = defineModule({
  name: "chat",
  migrations: chatMigrations,
  policies: chatPolicies,
  topics: chatTopics,
});
