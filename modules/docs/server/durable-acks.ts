import type { WebSocket } from "ws";

/** Hocuspocus's message type for « your update was applied » (the provider counts these down as unsynced changes). */
const SYNC_STATUS = 8;

/** lib0's variable-length unsigned integer at `at`: its value and the offset after it (null past the end). */
function varUint(b: Uint8Array, at: number): { value: number; next: number } | null {
  let value = 0;
  for (let shift = 0, i = at; i < b.length && shift < 35; shift += 7, i++) {
    value += (b[i]! & 0x7f) * 2 ** shift;
    if (b[i]! < 0x80) return { value, next: i + 1 };
  }
  return null;
}

/** Whether a server → client frame is a sync acknowledgement: a document address (varString), then type 8. */
function isSyncStatus(data: unknown): boolean {
  if (!(data instanceof Uint8Array)) return false;
  const length = varUint(data, 0);
  if (!length) return false;
  return varUint(data, length.next + length.value)?.value === SYNC_STATUS;
}

/**
 * The socket as Hocuspocus sees it. Hocuspocus applies a client's update,
 * relays it to the document's other editors, then acknowledges it to the
 * sender, all at once; the update's durable write is still under way then
 * (UpdateLog's group commit). This holds each acknowledgement until every
 * write registered on the socket before it is committed, in order, so a
 * provider that has no unsynced changes left has nothing a crash could lose.
 * A write that fails closes the socket without acknowledging: the provider
 * reconnects and its change, still in the server's memory and in the client,
 * is stored by the next compaction.
 */
export class DurableAcks {
  private readonly socket: WebSocket;
  /** Writes registered and not yet settled. */
  private outstanding = 0;
  /** Acknowledgements held and not yet sent. */
  private held = 0;
  /** The last registered write: acknowledgements sent after its registration wait for it. */
  private lastWrite: Promise<void> = Promise.resolve();
  /** The chain of held acknowledgements, so they go out in order. */
  private acks: Promise<void> = Promise.resolve();
  private readonly onFailure: (err: unknown) => void;

  constructor(socket: WebSocket, onFailure: (err: unknown) => void) {
    this.socket = socket;
    this.onFailure = onFailure;
  }

  get readyState(): number {
    return this.socket.readyState;
  }

  close(code?: number, reason?: string): void {
    this.socket.close(code, reason);
  }

  /** Registers the durable write of an update this socket sent (called before Hocuspocus applies it). */
  track(write: Promise<void>): void {
    this.outstanding++;
    const settled = write.finally(() => this.outstanding--);
    // The chain must not reject unhandled when nobody acknowledges after a failed write.
    settled.catch(() => undefined);
    this.lastWrite = settled;
  }

  send(data: Uint8Array | string): void {
    if (!isSyncStatus(data) || (this.outstanding === 0 && this.held === 0)) {
      this.socket.send(data);
      return;
    }
    this.held++;
    const write = this.lastWrite;
    this.acks = this.acks.then(async () => {
      try {
        await write;
        this.socket.send(data);
      } catch (err) {
        this.onFailure(err);
      } finally {
        this.held--;
      }
    });
  }
}
