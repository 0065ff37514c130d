import type { CustomEmoji } from "../../shared/emoji-data.ts";
import type { ChatSettings } from "../../shared/settings.ts";
import type { Bot, BotCreated } from "../../shared/integration-wire.ts";
import type { GlobalRetentionSet, Retention, RetentionRun } from "../../shared/moderation-wire.ts";
import { csrfToken } from "../api.ts";
import type { ChatHost } from "../host.tsx";

// The shapes are the server's response schemas (modules/chat/shared/*-wire.ts).
export type { Bot, Retention };

/** The chat administration calls (routes in server/integrations/bots.ts, moderation/retention.ts, emoji/, sidebar-routes.ts). */
export function adminApi(h: ChatHost) {
  return {
    settings: () => h.api<ChatSettings>("GET", "/api/chat/settings"),
    saveSettings: (patch: Partial<ChatSettings>) => h.api<ChatSettings>("PATCH", "/api/chat/settings", patch),
    emoji: () => h.api<{ items: CustomEmoji[] }>("GET", "/api/chat/emoji"),
    deleteEmoji: (name: string) => h.api<unknown>("DELETE", `/api/chat/emoji/${encodeURIComponent(name)}`),
    bots: () => h.api<{ items: Bot[] }>("GET", "/api/chat/bots"),
    createBot: (body: { username: string; displayName: string; description: string }) =>
      h.api<BotCreated>("POST", "/api/chat/bots", body),
    revokeBot: (id: string) => h.api<unknown>("DELETE", `/api/chat/bots/${id}`),
    retention: () => h.api<Retention>("GET", "/api/chat/retention"),
    saveRetention: (days: number) => h.api<GlobalRetentionSet>("PUT", "/api/chat/retention", { days }),
    runRetention: () => h.api<RetentionRun>("POST", "/api/chat/retention/run", {}),
  };
}

/** The image goes as the raw request body (the server reads its type from the bytes). */
export async function uploadEmoji(name: string, file: Blob): Promise<CustomEmoji> {
  const headers: Record<string, string> = {
    "content-type": file.type || "application/octet-stream",
    accept: "application/json",
  };
  const token = csrfToken();
  if (token) headers["x-csrf-token"] = token;
  let res: Response;
  try {
    res = await fetch(`/api/chat/emoji?name=${encodeURIComponent(name)}`, {
      method: "POST",
      headers,
      body: file,
      credentials: "same-origin",
    });
  } catch {
    throw Object.assign(new Error("network"), { code: "network", status: 0 });
  }
  const body = (await res.json().catch(() => ({}))) as Partial<CustomEmoji> & { code?: string; detail?: string };
  if (!res.ok)
    throw Object.assign(new Error(body.detail ?? res.statusText), {
      code: body.code ?? "internal",
      status: res.status,
    });
  return body as CustomEmoji;
}
