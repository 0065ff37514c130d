import { HocuspocusProvider, HocuspocusProviderWebsocket } from "@hocuspocus/provider";
import WebSocket from "ws";
import * as Y from "yjs";
import { waitFor, type TestClient } from "@ensemble/testkit";
import { DOC_FILE_MARKER } from "../../shared/documents.ts";

export interface CollabClient {
  doc: Y.Doc;
  text: Y.Text;
  provider: HocuspocusProvider;
  /** Close codes of the socket, in order. */
  closes: number[];
  /** Reasons of `permission-denied` answers, in order. */
  denied: string[];
  /** The text at the last moment every local change was acknowledged by the server. */
  acked: () => string;
  destroy: () => void;
}

/**
 * The stock provider in Node, as a browser tab would connect: the person's
 * session cookie (or an Authorization header) on the upgrade, `ws` as the WebSocket.
 */
export function collabClient(
  baseUrl: string,
  docId: string,
  as: { cookies?: TestClient; headers?: Record<string, string> },
): CollabClient {
  const headers: Record<string, string> = { ...as.headers };
  if (as.cookies) headers.cookie = [...as.cookies.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  class AuthenticatedSocket extends WebSocket {
    constructor(url: string) {
      super(url, { headers });
    }
  }
  const closes: number[] = [];
  const denied: string[] = [];
  const websocketProvider = new HocuspocusProviderWebsocket({
    url: `${baseUrl.replace(/^http/, "ws")}/collab`,
    WebSocketPolyfill: AuthenticatedSocket,
    minDelay: 20,
    maxDelay: 200,
  });
  const doc = new Y.Doc();
  const provider = new HocuspocusProvider({ websocketProvider, name: docId, document: doc });
  // A provider given its socket does not attach by itself (several documents may share one socket).
  provider.attach();
  let acked = "";
  provider.on("close", ({ event }: { event: { code: number } }) => closes.push(event.code));
  provider.on("authenticationFailed", ({ reason }: { reason: string }) => denied.push(reason));
  provider.on("unsyncedChanges", ({ number }: { number: number }) => {
    if (number === 0) acked = doc.getText("plain").toString();
  });
  return {
    doc,
    text: doc.getText("plain"),
    provider,
    closes,
    denied,
    acked: () => acked,
    destroy: () => {
      provider.destroy();
      websocketProvider.destroy();
    },
  };
}

/** A new document file in a folder, created through Partageons' API as the web does. */
export async function newDocument(c: TestClient, folderId: string, name: string): Promise<string> {
  const r = await c.request<{ id: string }>(
    "PUT",
    `/api/files/nodes/${folderId}/files?name=${encodeURIComponent(name)}`,
    undefined,
    { raw: Buffer.from(DOC_FILE_MARKER), headers: { "content-type": "application/vnd.ensemble.document+json" } },
  );
  if (r.status !== 200) throw new Error(`document not created: ${r.status} ${r.text}`);
  return r.body.id;
}

export async function personalRoot(c: TestClient): Promise<string> {
  return (await c.get<{ spaces: { rootId: string }[] }>("/api/files/spaces")).body.spaces[0]!.rootId;
}

/** A test file's stock-provider clients: `connect` opens one on the server `url()` gives; `closeAll` after each test. */
export function clientPool(url: () => string) {
  const open: CollabClient[] = [];
  return {
    connect: (docId: string, as: Parameters<typeof collabClient>[2]) => {
      const c = collabClient(url(), docId, as);
      open.push(c);
      return c;
    },
    closeAll: () => {
      for (const c of open.splice(0)) c.destroy();
    },
  };
}

export const synced = (c: CollabClient, what: string) => waitFor(() => c.provider.isSynced, `${what} synced`);
export const acknowledged = (c: CollabClient) => waitFor(() => !c.provider.hasUnsyncedChanges, "acknowledged");
