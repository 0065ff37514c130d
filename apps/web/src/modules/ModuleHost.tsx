import { useMemo, type ReactNode } from "react";
import { WebHostProvider, fileOpenPath, type WebHost } from "@ensemble/ui";
import { api } from "../api/client.ts";
import { useMe } from "../api/session.ts";
import { follow, realtime, usePresence } from "../lib/realtime.ts";
import { manifests } from "./manifests.ts";

/** Lends every module's UI the shell's API caller and its one realtime connection (signed-in pages only). */
export function ModuleHost({ children }: { children: ReactNode }) {
  const me = useMe().data;
  const host = useMemo<WebHost | null>(
    () =>
      me
        ? {
            me: {
              id: me.id,
              username: me.username,
              displayName: me.displayName,
              role: me.role,
              capabilities: me.capabilities ?? [],
            },
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
            openPath: (file) => fileOpenPath(manifests, file),
          }
        : null,
    [me],
  );
  if (!host) return null;
  return <WebHostProvider host={host}>{children}</WebHostProvider>;
}
