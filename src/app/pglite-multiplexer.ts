/**
 * PGlite's socket server multiplexes every client onto one session. It keeps a client's
 * transaction together, but outside a transaction it interleaves the messages of an
 * extended-protocol query (Parse, Bind, Execute, Sync) from different clients, so one client's
 * Bind can meet another's unnamed statement. This keeps each client's query together until its
 * Sync, as a patch on the server's queue instance (pglite-socket 0.1.x).
 */
interface QueuedMessage {
  handlerId: number;
  message: Uint8Array;
  resolve(bytes: number): void;
  reject(error: unknown): void;
  onData(data: Uint8Array): void;
}

interface QueryQueue {
  queue: QueuedMessage[];
  processing: boolean;
  lastHandlerId: number | null;
  db: {
    isInTransaction(): boolean;
    runExclusive<T>(fn: () => Promise<T>): Promise<T>;
    execProtocolRawStream(message: Uint8Array, options: { onRawData(data: Uint8Array): void }): Promise<void>;
  };
  processQueue(): Promise<void>;
  clearQueueForHandler(handlerId: number): void;
}

const SYNC = 0x53;
const QUERY = 0x51;
const TERMINATE = 0x58;

export function keepQueriesTogether(server: unknown): void {
  const queue = (server as { queryQueue?: QueryQueue }).queryQueue;
  if (!queue || typeof queue.processQueue !== 'function') return;
  let midQuery = false;
  const clear = queue.clearQueueForHandler.bind(queue);
  queue.clearQueueForHandler = (handlerId: number) => {
    if (handlerId === queue.lastHandlerId) midQuery = false;
    clear(handlerId);
  };
  queue.processQueue = async function processQueue(this: QueryQueue) {
    if (this.processing || this.queue.length === 0) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        let item: QueuedMessage | undefined;
        if (this.lastHandlerId !== null && (midQuery || this.db.isInTransaction())) {
          const index = this.queue.findIndex((queued) => queued.handlerId === this.lastHandlerId);
          if (index === -1) break;
          item = this.queue.splice(index, 1)[0];
        } else {
          item = this.queue.shift();
        }
        if (!item) break;
        const current = item;
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(current.message, {
              onRawData: (data) => {
                bytes += data.length;
                current.onData(data);
              },
            }),
          );
        } catch (error) {
          midQuery = false;
          current.reject(error);
          continue;
        }
        this.lastHandlerId = current.handlerId;
        const type = current.message[0];
        midQuery = !(type === SYNC || type === QUERY || type === TERMINATE);
        current.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  }.bind(queue);
}
