import { useSyncExternalStore } from "react";
import { Upload, type DetailedError } from "tus-js-client";
import { csrfCookie } from "@ensemble/ui";

export type UploadState = "hashing" | "uploading" | "paused" | "done" | "failed";

export interface QueuedUpload {
  key: number;
  name: string;
  size: number;
  sent: number;
  state: UploadState;
  /** The problem code when it failed (`files_quota_exceeded`, `network`, …). */
  problem: string | null;
  folderId: string;
}

/** Files up to this size are hashed in the browser, so the server checks the SHA-256 end to end. */
const HASHED_UP_TO = 64 * 1024 * 1024;
/** Send in parts: a cut costs at most one part, and progress is known at every step. */
const CHUNK = 8 * 1024 * 1024;

async function sha256Of(file: File): Promise<string | null> {
  if (file.size > HASHED_UP_TO || !globalThis.crypto?.subtle) return null;
  const digest = await crypto.subtle.digest("SHA-256", await file.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** A refusal (a problem+json 4xx, or a full space) is final; the rest (network, 5xx, 409, 423) is retried. */
function problemOf(e: Error | DetailedError): { code: string; final: boolean } {
  const res = "originalResponse" in e ? e.originalResponse : null;
  const status = res?.getStatus() ?? 0;
  let code = "network";
  try {
    code = (JSON.parse(res?.getBody() ?? "") as { code?: string }).code ?? (status ? "generic" : "network");
  } catch {
    if (status) code = "generic";
  }
  const final = status === 507 || (status >= 400 && status < 500 && status !== 409 && status !== 423);
  return { code, final };
}

/**
 * The files page's uploads, over tus: one at a time per file, in parts, each resumable. A cut
 * connection is retried with growing delays; a paused or failed upload resumes from the server's
 * offset; one left unfinished when the page closed resumes from where it was when the same file is
 * chosen again (tus-js-client remembers its URL in localStorage). Lives outside React so the queue
 * survives leaving and reopening a folder.
 */
class UploadQueue {
  private items: QueuedUpload[] = [];
  private readonly uploads = new Map<number, Upload>();
  private readonly listeners = new Set<() => void>();
  private next = 1;
  /** Called when a file is done (the page refreshes its listing). */
  onDone: ((folderId: string) => void) | null = null;

  subscribe = (fn: () => void) => {
    this.listeners.add(fn);
    return () => void this.listeners.delete(fn);
  };
  snapshot = () => this.items;

  private set(key: number, patch: Partial<QueuedUpload>) {
    this.items = this.items.map((i) => (i.key === key ? { ...i, ...patch } : i));
    for (const fn of this.listeners) fn();
  }

  add(files: Iterable<File>, folderId: string): void {
    for (const file of files) {
      const key = this.next++;
      this.items = [
        ...this.items,
        { key, name: file.name, size: file.size, sent: 0, state: "hashing", problem: null, folderId },
      ];
      void this.begin(key, file, folderId);
    }
    for (const fn of this.listeners) fn();
  }

  private async begin(key: number, file: File, folderId: string): Promise<void> {
    const sha256 = await sha256Of(file).catch(() => null);
    const upload = new Upload(file, {
      endpoint: `/api/files/nodes/${folderId}/uploads`,
      chunkSize: CHUNK,
      retryDelays: [0, 1000, 3000, 5000, 10_000, 20_000, 30_000],
      metadata: { filename: file.name, filetype: file.type, ...(sha256 ? { sha256 } : {}) },
      removeFingerprintOnSuccess: true,
      onBeforeRequest: (req) => {
        const token = csrfCookie();
        if (token && req.getMethod() !== "HEAD") req.setHeader("x-csrf-token", token);
      },
      onShouldRetry: (e) => !problemOf(e).final,
      onProgress: (sent) => this.set(key, { sent, state: "uploading" }),
      onSuccess: () => {
        this.set(key, { sent: file.size, state: "done" });
        this.uploads.delete(key);
        this.onDone?.(folderId);
      },
      onError: (e) => this.set(key, { state: "failed", problem: problemOf(e).code }),
    });
    this.uploads.set(key, upload);
    // The same file chosen again after the page closed: continue the upload left unfinished.
    const previous = await upload.findPreviousUploads().catch(() => []);
    if (previous[0]) upload.resumeFromPreviousUpload(previous[0]);
    this.set(key, { state: "uploading" });
    upload.start();
  }

  pause(key: number): void {
    void this.uploads.get(key)?.abort();
    this.set(key, { state: "paused" });
  }

  resume(key: number): void {
    const u = this.uploads.get(key);
    if (!u) return;
    this.set(key, { state: "uploading", problem: null });
    u.start();
  }

  /** Stops and discards an upload (the server forgets its bytes); a finished one just leaves the list. */
  remove(key: number): void {
    const u = this.uploads.get(key);
    if (u) void u.abort(true).catch(() => undefined);
    this.uploads.delete(key);
    this.items = this.items.filter((i) => i.key !== key);
    for (const fn of this.listeners) fn();
  }

  clearFinished(): void {
    this.items = this.items.filter((i) => i.state !== "done");
    for (const fn of this.listeners) fn();
  }
}

export const uploadQueue = new UploadQueue();

export const useUploadQueue = (): QueuedUpload[] =>
  useSyncExternalStore(uploadQueue.subscribe, uploadQueue.snapshot, uploadQueue.snapshot);
