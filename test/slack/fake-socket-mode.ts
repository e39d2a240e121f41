import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

export type EnvelopeType = 'events_api' | 'slash_commands' | 'interactive';

/** One acknowledgement the client sent back: `{ envelope_id, payload? }`. */
export interface SocketAck {
  envelopeId: string;
  payload: Record<string, any> | undefined;
  at: number;
}

export interface EnvelopeInput {
  type: EnvelopeType;
  payload: Record<string, any>;
  /** Slack's redelivery count (events only; 0 on the first delivery). */
  retryAttempt?: number;
  retryReason?: string;
}

/**
 * Slack's Socket Mode side on localhost, for the real @slack/socket-mode client: hands out
 * single-use `ws://` URLs for `apps.connections.open`, says `hello` on each connection, sends
 * envelopes shaped like Slack's, and records the acks that come back.
 */
export interface FakeSocketMode {
  /** A fresh connection URL (`ws://127.0.0.1:<port>/link/?ticket=…&app_id=…`): give it to the fake Web API. */
  issueUrl(): string;
  /** How many connections have opened (and were greeted) so far. */
  connections(): number;
  /** How many are open now. */
  openConnections(): number;
  acks: SocketAck[];
  /** False to leave new connections waiting for their `hello` (a handshake still in progress). */
  greet: boolean;
  /** How many of the next connections to cut before their `hello`, as a failing Slack would. */
  dropNext: number;
  /** Called as each ack arrives, before anything else runs. */
  onAck?: ((ack: SocketAck) => void) | undefined;
  /** Sends an envelope on the newest open connection (waiting for one if the client is between sockets). */
  deliver(envelope: EnvelopeInput): Promise<string>;
  ackFor(envelopeId: string): SocketAck | undefined;
  waitForAck(envelopeId: string, timeoutMs?: number): Promise<SocketAck>;
  waitForConnections(count: number, timeoutMs?: number): Promise<void>;
  /** What Slack sends before it recycles a connection; the client is expected to reconnect. */
  requestReconnect(reason?: string): void;
  close(): Promise<void>;
}

const APP_ID = 'A0HELPDSK';

async function until(what: string, condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`fake Socket Mode: ${what} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export async function startFakeSocketMode(): Promise<FakeSocketMode> {
  const tickets = new Set<string>();
  const acks: SocketAck[] = [];
  let opened = 0;
  const open: WebSocket[] = [];
  // Slack spreads envelopes over an app's connections; the fake uses the newest one.
  const current = (): WebSocket | undefined => open.filter((socket) => socket.readyState === 1).at(-1);

  const server = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    // Like Slack, a ticket from apps.connections.open is good for one connection.
    verifyClient: ({ req }: { req: IncomingMessage }) => {
      const ticket = new URL(req.url ?? '/', 'ws://fake').searchParams.get('ticket') ?? '';
      return tickets.delete(ticket);
    },
  });
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  const fake: FakeSocketMode = {
    issueUrl() {
      const ticket = randomUUID();
      tickets.add(ticket);
      return `ws://127.0.0.1:${port}/link/?ticket=${ticket}&app_id=${APP_ID}`;
    },
    connections: () => opened,
    openConnections: () => open.length,
    acks,
    greet: true,
    dropNext: 0,
    async deliver(input) {
      await until('no open connection to deliver on', () => current() !== undefined, 15_000);
      const envelopeId = randomUUID();
      const envelope: Record<string, unknown> = {
        envelope_id: envelopeId,
        payload: input.payload,
        type: input.type,
        // Slack takes a response payload in the ack of commands and interactions, not of events.
        accepts_response_payload: input.type !== 'events_api',
      };
      if (input.type === 'events_api') {
        envelope.retry_attempt = input.retryAttempt ?? 0;
        envelope.retry_reason = input.retryReason ?? '';
      }
      current()?.send(JSON.stringify(envelope));
      return envelopeId;
    },
    ackFor: (envelopeId) => acks.find((ack) => ack.envelopeId === envelopeId),
    async waitForAck(envelopeId, timeoutMs = 10_000) {
      await until(`no ack for ${envelopeId}`, () => fake.ackFor(envelopeId) !== undefined, timeoutMs);
      return fake.ackFor(envelopeId) as SocketAck;
    },
    waitForConnections: (count, timeoutMs = 15_000) =>
      until(`fewer than ${count} connections`, () => opened >= count, timeoutMs),
    requestReconnect(reason = 'refresh_requested') {
      current()?.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'applink-fake' } }));
    },
    async close() {
      for (const client of server.clients) client.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  server.on('connection', (socket) => {
    opened += 1;
    open.push(socket);
    socket.on('close', () => open.splice(open.indexOf(socket), 1));
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { envelope_id?: string; payload?: Record<string, any> };
      if (typeof message.envelope_id !== 'string') return;
      const ack: SocketAck = { envelopeId: message.envelope_id, payload: message.payload, at: Date.now() };
      acks.push(ack);
      fake.onAck?.(ack);
    });
    if (fake.dropNext > 0) {
      fake.dropNext -= 1;
      socket.terminate();
      return;
    }
    if (!fake.greet) return;
    socket.send(
      JSON.stringify({
        type: 'hello',
        num_connections: server.clients.size,
        debug_info: { host: 'applink-fake', build_number: 1, approximate_connection_time: 18_060 },
        connection_info: { app_id: APP_ID },
      }),
    );
  });
  return fake;
}
