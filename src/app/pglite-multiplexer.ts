/**
 * PGlite's socket server multiplexes every client onto one session. Two things a real server does
 * per connection are done here instead, as a patch on the server's queue instance (pglite-socket
 * 0.1.x):
 *
 * - It keeps a client's transaction together, but outside a transaction it interleaves the messages
 *   of an extended-protocol query (Parse, Bind, Execute, Sync) from different clients, so one
 *   client's Bind can meet another's unnamed statement. Each client's query is kept together until
 *   its Sync.
 * - A NOTIFY reaches the session, and PGlite writes the notification into the output of whichever
 *   client's query ran the NOTIFY (or its COMMIT). It is taken out of that output and delivered to
 *   the clients that issued LISTEN on its channel (BullMQ's worker waits on `bullmq_jobs`), so
 *   they are woken at once, as on a real server.
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

const QUERY = 0x51;
const PARSE = 0x50;
/**
 * The messages of an extended-protocol query before its Sync: Parse, Bind, Describe, Execute, Close,
 * Flush. A start-up message (no type byte), a simple Query, a Sync or a Terminate ends a client's turn.
 */
const MID_QUERY = new Set([PARSE, 0x42, 0x44, 0x45, 0x43, 0x48]);
const NOTIFICATION = 0x41;

const decoder = new TextDecoder();

/** The SQL text of a simple Query or a Parse message; undefined for any other message. */
function sqlOf(message: Uint8Array): string | undefined {
  const type = message[0];
  if (type !== QUERY && type !== PARSE) return undefined;
  let start = 5;
  // Parse: the statement name comes first, then the query.
  if (type === PARSE) start = message.indexOf(0, start) + 1;
  const end = message.indexOf(0, start);
  return decoder.decode(message.subarray(start, end === -1 ? message.length : end));
}

interface ListenChange {
  listen: string[];
  unlisten: string[];
  unlistenAll: boolean;
}

/** The LISTEN / UNLISTEN statements in a query (BullMQ's carry comments before them). */
export function listenChanges(sql: string): ListenChange | undefined {
  if (!/listen/i.test(sql)) return undefined;
  const change: ListenChange = { listen: [], unlisten: [], unlistenAll: false };
  const bare = sql.replace(/--[^\n]*/g, '').replace(/\/\*[\s\S]*?\*\//g, '');
  for (const statement of bare.split(';')) {
    const match = /^\s*(un)?listen\s+("(?:[^"]|"")+"|[^\s;]+)\s*$/i.exec(statement);
    if (!match?.[2]) continue;
    const raw = match[2];
    const channel = raw.startsWith('"') ? raw.slice(1, -1).replaceAll('""', '"') : raw.toLowerCase();
    if (!match[1]) change.listen.push(channel);
    else if (channel === '*') change.unlistenAll = true;
    else change.unlisten.push(channel);
  }
  return change.listen.length || change.unlisten.length || change.unlistenAll ? change : undefined;
}

/** A simple-protocol Query message. */
function simpleQuery(sql: string): Uint8Array {
  const text = new TextEncoder().encode(`${sql}\0`);
  const message = new Uint8Array(5 + text.length);
  message[0] = QUERY;
  new DataView(message.buffer).setInt32(1, 4 + text.length);
  message.set(text, 5);
  return message;
}

/** The channel named in a NotificationResponse message ('A', length, pid, channel, payload). */
function channelOf(message: Uint8Array): string {
  const end = message.indexOf(0, 9);
  return decoder.decode(message.subarray(9, end === -1 ? message.length : end));
}

/**
 * Splits one query's output as it streams: complete messages other than notifications go to the
 * client at once; each notification goes to `notify`; a message cut between chunks waits for the
 * rest (or for `flush` at the end of the query).
 */
function notificationFilter(
  pass: (data: Uint8Array) => void,
  notify: (message: Uint8Array) => void,
): { write(data: Uint8Array): void; flush(): void } {
  let carry: Uint8Array | undefined;
  return {
    write(chunk) {
      let data = chunk;
      if (carry) {
        data = new Uint8Array(carry.length + chunk.length);
        data.set(carry);
        data.set(chunk, carry.length);
        carry = undefined;
      }
      const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
      let from = 0;
      let at = 0;
      while (at + 5 <= data.length) {
        const end = at + 1 + view.getInt32(at + 1);
        if (end > data.length) break;
        if (data[at] === NOTIFICATION) {
          if (at > from) pass(data.subarray(from, at));
          notify(data.slice(at, end));
          from = end;
        }
        at = end;
      }
      if (at > from) pass(data.subarray(from, at));
      if (at < data.length) carry = data.slice(at);
    },
    flush() {
      if (carry) pass(carry);
      carry = undefined;
    },
  };
}

export function keepQueriesTogether(server: unknown): void {
  const queue = (server as { queryQueue?: QueryQueue }).queryQueue;
  if (!queue || typeof queue.processQueue !== 'function') return;
  let midQuery = false;
  /** channel → the clients listening on it (by handler id) → how to write to that client. */
  const listeners = new Map<string, Map<number, (data: Uint8Array) => void>>();
  const forget = (handlerId: number, channel?: string) => {
    for (const [name, clients] of listeners) {
      if (channel !== undefined && name !== channel) continue;
      clients.delete(handlerId);
      if (clients.size === 0) listeners.delete(name);
    }
  };
  const clear = queue.clearQueueForHandler.bind(queue);
  queue.clearQueueForHandler = (handlerId: number) => {
    if (handlerId === queue.lastHandlerId) midQuery = false;
    forget(handlerId);
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
        const sql = sqlOf(current.message);
        const change = sql === undefined ? undefined : listenChanges(sql);
        let bytes = 0;
        const output = notificationFilter(
          (data) => {
            bytes += data.length;
            current.onData(data);
          },
          (notification) => {
            const clients = listeners.get(channelOf(notification));
            for (const [handlerId, write] of clients ?? []) {
              if (handlerId === current.handlerId) {
                bytes += notification.length;
                current.onData(notification);
              } else write(notification);
            }
          },
        );
        try {
          await this.db.runExclusive(async () => {
            await this.db.execProtocolRawStream(current.message, { onRawData: (data) => output.write(data) });
            // The session stops listening on UNLISTEN; other clients may still be waiting on it.
            if (change && (change.unlisten.length || change.unlistenAll)) {
              for (const [channel, clients] of listeners) {
                const others = [...clients.keys()].some((id) => id !== current.handlerId);
                if (others)
                  await this.db.execProtocolRawStream(
                    simpleQuery(`listen "${channel.replaceAll('"', '""')}"`),
                    {
                      onRawData: () => {},
                    },
                  );
              }
            }
          });
        } catch (error) {
          output.flush();
          midQuery = false;
          current.reject(error);
          continue;
        }
        output.flush();
        if (change) {
          if (change.unlistenAll) forget(current.handlerId);
          for (const channel of change.unlisten) forget(current.handlerId, channel);
          for (const channel of change.listen) {
            const clients = listeners.get(channel) ?? new Map<number, (data: Uint8Array) => void>();
            clients.set(current.handlerId, current.onData);
            listeners.set(channel, clients);
          }
        }
        this.lastHandlerId = current.handlerId;
        midQuery = MID_QUERY.has(current.message[0] ?? 0);
        current.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  }.bind(queue);
}
