import { useCallback } from "react";
import { useQueryClient } from "@tanstack/react-query";
import type { Attachment } from "../shared/schemas.ts";
import { chatApi } from "./api.ts";
import { upsertSentMessage } from "./cache.ts";
import { problemCode, useHost } from "./host.tsx";
import { newClientKey, pending, type PendingMessage } from "./pending.ts";
import { useRunSlash } from "./integrations/slash.tsx";

export interface SendInput {
  text: string;
  parentId?: string | null;
  attachments?: Attachment[];
  quoteId?: string | null;
  alsoInChannel?: boolean;
}

/**
 * Sends with a client key: the message shows as "sending" at once, then
 * "sent" (replaced by the server's copy) or "failed — retry". A retry reuses
 * the same key, so the server never stores it twice.
 * `confirm` is asked when @channel/@all needs confirmation (409).
 */
export function useSend(roomId: string, confirm: (text: string) => Promise<boolean>) {
  const host = useHost();
  const qc = useQueryClient();
  const runSlash = useRunSlash(roomId);

  const attempt = useCallback(
    async (p: PendingMessage) => {
      pending.update(p.clientKey, { status: "sending", error: undefined });
      try {
        const m = await chatApi(host).send(p.roomId, {
          clientKey: p.clientKey,
          text: p.text,
          ...(p.parentId ? { parentId: p.parentId } : {}),
          ...(p.quoteId ? { quoteId: p.quoteId } : {}),
          ...(p.attachments.length ? { attachments: p.attachments } : {}),
          confirmAll: p.confirmAll,
        });
        upsertSentMessage(qc, m);
        pending.settle(p.clientKey);
      } catch (e) {
        if (problemCode(e) === "mention_confirmation_required" && !p.confirmAll) {
          if (await confirm(p.text)) {
            const next = { ...p, confirmAll: true };
            pending.update(p.clientKey, { confirmAll: true });
            return attempt(next);
          }
          pending.settle(p.clientKey);
          return;
        }
        pending.update(p.clientKey, { status: "failed", error: problemCode(e) });
      }
    },
    [host, qc, confirm],
  );

  const send = useCallback(
    (input: SendInput) => {
      // `/command …` runs the command instead of posting its text.
      if (!input.attachments?.length && runSlash(input)) return;
      const p: PendingMessage = {
        clientKey: newClientKey(),
        roomId,
        text: input.text,
        parentId: input.parentId ?? null,
        attachments: input.attachments ?? [],
        quoteId: input.quoteId ?? null,
        status: "sending",
        createdAt: new Date().toISOString(),
        confirmAll: false,
      };
      pending.add(p);
      void attempt(p);
    },
    [roomId, attempt, runSlash],
  );

  const retry = useCallback(
    (clientKey: string) => {
      const p = pending.get(clientKey);
      if (p) void attempt(p);
    },
    [attempt],
  );

  return { send, retry, discard: (clientKey: string) => pending.settle(clientKey) };
}
