import type { FastifyRequest } from "fastify";
import type { WebSocket } from "ws";
import { Hocuspocus, type Extension } from "@hocuspocus/server";
import * as Y from "yjs";
import { CloseCodes } from "@ensemble/protocol";
import type { ClusterMessage, Kernel, UserActor } from "@ensemble/kernel";
import { DocsCloseCodes } from "../shared/close-codes.ts";
import { COMMENTS_CHANGED } from "../shared/comments.ts";
import { documentAccess } from "./access.ts";
import { BODY_FIELD } from "./export.ts";
import { DurableAcks } from "./durable-acks.ts";
import { DocumentStore } from "./persistence.ts";
import { docsDb } from "./tables.ts";
import { UpdateLog } from "./update-log.ts";
import { docFromState, VersionStore } from "./versions.ts";

/** What Hocuspocus carries for each connection: who opened the socket, the socket (to close it) and its acknowledgements. */
export interface CollabContext {
  actor: UserActor;
  socket: WebSocket;
  acks: DurableAcks;
}

/** y-protocols' sync message types that carry content: step 2 and update. */
const CONTENT_MESSAGES = new Set([1, 2]);
/** An update without any change (what a client with nothing new answers in step 2). */
const isEmptyUpdate = (u: Uint8Array) => u.length <= 2 && u.every((b) => b === 0);

/** A refusal Hocuspocus answers as `permission-denied` with this reason (no message: nothing to log). */
const refusal = (reason: string) => ({ reason });

/**
 * The co-editing server of one node: Hocuspocus in this process, fed the
 * sockets the kernel accepted at `/collab`. Documents are files of Partageons
 * (name = file id), authorised by the files module's rules, persisted in the
 * docs tables.
 */
export class CollabServer {
  readonly hocuspocus: Hocuspocus<CollabContext>;
  private readonly store: DocumentStore;
  private readonly log: UpdateLog;
  private readonly versions: VersionStore;
  private readonly sockets = new Set<CollabContext>();
  /** Sockets authorised on a document that is still loading: a failed load closes them. */
  private readonly waiting = new Map<string, Set<WebSocket>>();
  private recheckTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly k: Kernel;

  constructor(k: Kernel, extensions: Extension[] = []) {
    this.k = k;
    this.store = new DocumentStore(docsDb(k));
    this.log = new UpdateLog(this.store);
    this.versions = new VersionStore(docsDb(k));
    this.hocuspocus = new Hocuspocus<CollabContext>({
      quiet: true,
      debounce: k.config.COLLAB_STORE_DEBOUNCE_MS,
      maxDebounce: k.config.COLLAB_STORE_DEBOUNCE_MS * 5,
      extensions: [...extensions, this.hooks()],
    });
  }

  /** Takes an upgraded socket (the kernel checked its origin and credentials). */
  accept(socket: WebSocket, req: FastifyRequest, actor: UserActor): void {
    if (this.stopped) {
      socket.close(CloseCodes.goingAway.code, CloseCodes.goingAway.reason);
      return;
    }
    const acks = new DurableAcks(socket, (err) => {
      this.k.log.error({ err }, "co-editing updates could not be logged; their sender is not acknowledged");
      socket.close(DocsCloseCodes.storeFailed.code, DocsCloseCodes.storeFailed.reason);
    });
    const context: CollabContext = { actor, socket, acks };
    this.sockets.add(context);
    // Hocuspocus reads the document name from the messages; the request is only handed to hooks.
    const request = new Request(`http://collab.invalid${req.url}`);
    // Hocuspocus talks to the socket through the acknowledgement gate.
    const connection = this.hocuspocus.handleConnection(acks, request, context);
    socket.on("message", (data: Buffer) => connection.handleMessage(new Uint8Array(data)));
    socket.on("close", (code: number, reason: Buffer) => {
      this.sockets.delete(context);
      connection.handleClose({ code, reason: reason.toString() });
    });
  }

  start(): void {
    this.k.cluster.subscribe((msg) => void this.onClusterMessage(msg));
    // The safety net for changes no message announces (a file moved out of reach, a share ending by itself).
    this.recheckTimer = setInterval(() => void this.recheck(() => true), this.k.config.COLLAB_RECHECK_MS);
    this.recheckTimer.unref();
  }

  /** Stores every open document, then asks clients to reconnect (to another node, or to this one restarted). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.recheckTimer) clearInterval(this.recheckTimer);
    await this.log.drain();
    for (const doc of this.hocuspocus.documents.values())
      if (!doc.isLoading) await this.store.compact(doc.name, doc).catch((err: unknown) => this.logStoreError(err));
    for (const c of this.sockets) c.socket.close(CloseCodes.goingAway.code, CloseCodes.goingAway.reason);
    // Extensions release what they hold (the Redis extension's connections).
    await this.hocuspocus.hooks("onDestroy", { instance: this.hocuspocus });
  }

  private hooks(): Extension {
    return {
      onAuthenticate: async ({ context, documentName, connectionConfig }) => {
        const access = await documentAccess(this.k, context.actor, documentName);
        if (access === null) throw refusal("permission-denied");
        connectionConfig.readOnly = access === "read";
        const set = this.waiting.get(documentName) ?? new Set();
        set.add(context.socket);
        this.waiting.set(documentName, set);
      },
      connected: async ({ context, documentName }) => {
        this.waiting.get(documentName)?.delete(context.socket);
      },
      onLoadDocument: async ({ documentName }) => {
        try {
          return (await this.store.load(documentName)) ?? undefined;
        } catch (err) {
          // Serving an empty document here would let the clients' next store overwrite the real one.
          this.k.log.error({ err, documentName }, "a co-edited document could not be loaded");
          const sockets = this.waiting.get(documentName) ?? new Set();
          this.waiting.delete(documentName);
          for (const s of sockets) s.close(DocsCloseCodes.loadFailed.code, DocsCloseCodes.loadFailed.reason);
          throw refusal("document-unavailable");
        }
      },
      beforeSync: async ({ type, payload, connection, documentName }) => {
        if (!CONTENT_MESSAGES.has(type) || connection.readOnly || isEmptyUpdate(payload)) return;
        if (this.stopped) throw refusal("shutting-down");
        // Applied and relayed to the other editors at once; logged in the next group commit, and acknowledged
        // to its sender only once committed: a killed node loses nothing a client saw confirmed.
        connection.context.acks.track(this.log.append(documentName, payload));
      },
      onStoreDocument: async ({ documentName, document }) => {
        if (this.stopped) return;
        await this.store.compact(documentName, document);
        // The history's schedule rides on the stores: a document nobody edits gains no version.
        await this.versions
          .maybeAuto(documentName, document, this.k.config.COLLAB_VERSION_INTERVAL_MS)
          .catch((err: unknown) => this.k.log.error({ err, documentName }, "an automatic version could not be kept"));
      },
    };
  }

  /**
   * Replaces the document's text by a version's, as one new change: every
   * open editor (on every node, through Redis) receives it live, and it is
   * logged like a client's update before the caller answers.
   */
  async replaceBody(docId: string, state: Uint8Array): Promise<void> {
    if (this.stopped) throw new Error("the co-editing server is stopping");
    const source = docFromState(state).getXmlFragment(BODY_FIELD);
    const connection = await this.hocuspocus.openDirectConnection(docId);
    try {
      const doc = connection.document;
      if (!doc) throw new Error("direct connection closed");
      const updates: Uint8Array[] = [];
      const collect = (u: Uint8Array) => updates.push(u);
      doc.on("update", collect);
      try {
        await connection.transact((d) => {
          const body = d.getXmlFragment(BODY_FIELD);
          body.delete(0, body.length);
          const copies = source.toArray().flatMap((n) => (n instanceof Y.XmlHook ? [] : [n.clone()]));
          body.insert(0, copies);
        });
      } finally {
        doc.off("update", collect);
      }
      await Promise.all(updates.map((u) => this.log.append(docId, u)));
    } finally {
      await connection.disconnect();
    }
  }

  /** Tells the document's open editors (on every node, through Redis) that its comments changed. */
  announce(docId: string): void {
    this.hocuspocus.documents.get(docId)?.broadcastStateless(COMMENTS_CHANGED);
  }

  private logStoreError(err: unknown): void {
    this.k.log.error({ err }, "a co-edited document could not be stored (its updates stay logged)");
  }

  private async onClusterMessage(msg: ClusterMessage): Promise<void> {
    if (msg.kind === "disconnect-sessions") {
      const ended = new Set(msg.sessionIds);
      for (const c of this.sockets)
        if (c.actor.sessionId !== null && ended.has(c.actor.sessionId))
          c.socket.close(CloseCodes.sessionEnded.code, CloseCodes.sessionEnded.reason);
    } else if (msg.kind === "disconnect-user") {
      for (const c of this.sockets)
        if (c.actor.id === msg.userId) c.socket.close(CloseCodes.sessionEnded.code, CloseCodes.sessionEnded.reason);
    } else if (msg.kind === "reauthorize" || msg.kind === "revoke") {
      const userId = msg.userId;
      await this.recheck((c) => c.actor.id === userId);
    }
  }

  /**
   * Asks the files module's rules again for the open connections of the
   * matching sockets: one that may no longer read its document closes its
   * socket (4403); one that may no longer write becomes read-only.
   */
  private async recheck(matches: (c: CollabContext) => boolean): Promise<void> {
    for (const doc of [...this.hocuspocus.documents.values()])
      for (const connection of doc.getConnections()) {
        const c = connection.context;
        if (!matches(c)) continue;
        let access;
        try {
          access = await documentAccess(this.k, c.actor, doc.name);
        } catch (err) {
          this.k.log.warn({ err }, "co-editing access could not be re-checked; kept as it was");
          continue;
        }
        if (access === null) c.socket.close(DocsCloseCodes.accessRevoked.code, DocsCloseCodes.accessRevoked.reason);
        else connection.readOnly = access === "read";
      }
  }
}
