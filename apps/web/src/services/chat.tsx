import { useMemo } from "react";
import { ChatApp, type ChatHost } from "@ensemble/chat/web";
import { api } from "../api/client.ts";
import { useMe } from "../api/session.ts";
import { PageLoader } from "../components/PageLoader.tsx";
import { follow, realtime, usePresence } from "../lib/realtime.ts";

/** The chat service's entry (its own lazy chunk): lends modules/chat/web the shell's API caller and realtime connection. */
export default function Service() {
  const me = useMe().data;
  const host = useMemo<ChatHost | null>(
    () =>
      me
        ? {
            me: { id: me.id, username: me.username, displayName: me.displayName, role: me.role },
            api,
            follow,
            typing: (topic) => void realtime().then((rt) => rt.typing(topic)),
            onTyping: (fn) => {
              let off: (() => void) | null = null;
              let live = true;
              void realtime().then((rt) => {
                if (live) off = rt.on("typing", fn);
              });
              return () => {
                live = false;
                off?.();
              };
            },
            usePresence,
          }
        : null,
    [me],
  );
  if (!host) return <PageLoader />;
  return <ChatApp host={host} />;
}
