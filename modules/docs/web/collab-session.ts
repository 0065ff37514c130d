import { useEffect, useState } from "react";
import { HocuspocusProvider, HocuspocusProviderWebsocket } from "@hocuspocus/provider";
import * as Y from "yjs";
import { COLLAB_PATH } from "../shared/documents.ts";

/** Someone in the document, as their awareness state says. */
export interface Participant {
  clientId: number;
  name: string;
  color: string;
}

export type SaveState = "connecting" | "saved" | "saving" | "offline";

export interface CollabSession {
  doc: Y.Doc;
  provider: HocuspocusProvider;
}

/** Colours with at least 4.5:1 contrast against white text (the name labels of the carets). */
const palette = ["#1c6e8c", "#a23b72", "#2d6a4f", "#7b2cbf", "#b5451b", "#0b5ea8", "#8a5a00", "#5c4d7d"];
export function colourOf(userId: string): string {
  let h = 0;
  for (const ch of userId) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return palette[h % palette.length]!;
}

/**
 * One Yjs document synced over `/collab` for as long as the page shows it;
 * the browser sends the session cookie on the upgrade.
 */
export function useCollabSession(docId: string): CollabSession | null {
  const [session, setSession] = useState<CollabSession | null>(null);
  useEffect(() => {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const socket = new HocuspocusProviderWebsocket({ url: `${scheme}://${location.host}${COLLAB_PATH}` });
    const doc = new Y.Doc();
    const provider = new HocuspocusProvider({ websocketProvider: socket, name: docId, document: doc });
    provider.attach();
    setSession({ doc, provider });
    // The browser knows before the socket does: edits go on locally and are sent once it is back.
    const offline = () => socket.disconnect();
    const online = () => void socket.connect();
    window.addEventListener("offline", offline);
    window.addEventListener("online", online);
    return () => {
      window.removeEventListener("offline", offline);
      window.removeEventListener("online", online);
      provider.destroy();
      socket.destroy();
      doc.destroy();
      setSession(null);
    };
  }, [docId]);
  return session;
}

/** Who is here (awareness), whether everything is saved, and whether this connection only reads. */
export function useCollabState(session: CollabSession | null): {
  participants: Participant[];
  save: SaveState;
  readOnly: boolean;
  denied: boolean;
} {
  const [participants, setParticipants] = useState<Participant[]>([]);
  const [save, setSave] = useState<SaveState>("connecting");
  const [readOnly, setReadOnly] = useState(false);
  const [denied, setDenied] = useState(false);
  useEffect(() => {
    if (!session) return;
    const { provider } = session;
    const awareness = provider.awareness;
    const readParticipants = () => {
      const out: Participant[] = [];
      awareness?.getStates().forEach((state, clientId) => {
        const user = (state as { user?: { name?: unknown; color?: unknown } }).user;
        if (typeof user?.name === "string" && typeof user.color === "string")
          out.push({ clientId, name: user.name, color: user.color });
      });
      setParticipants(out);
    };
    let everSynced = false;
    const readSave = () => {
      everSynced ||= provider.isSynced;
      if (provider.isSynced) setSave(provider.hasUnsyncedChanges ? "saving" : "saved");
      else setSave(everSynced ? "offline" : "connecting");
    };
    const onAuthenticated = () => {
      setReadOnly(provider.authorizedScope === "readonly");
      readSave();
    };
    const onDenied = () => setDenied(true);
    const listeners: [string, () => void][] = [
      ["unsyncedChanges", readSave],
      ["synced", readSave],
      ["status", readSave],
      ["close", readSave],
      ["authenticated", onAuthenticated],
      ["authenticationFailed", onDenied],
    ];
    awareness?.on("change", readParticipants);
    for (const [event, fn] of listeners) provider.on(event, fn);
    readParticipants();
    readSave();
    return () => {
      awareness?.off("change", readParticipants);
      for (const [event, fn] of listeners) provider.off(event, fn);
    };
  }, [session]);
  return { participants, save, readOnly, denied };
}
