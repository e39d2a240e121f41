import { createPrivateKey, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the bot made to the Bot Connector. */
export interface ConnectorCall {
  method: string;
  /** `send` (new message), `reply`, `update`, `create-conversation`, `get-member`. */
  op: 'send' | 'reply' | 'update' | 'create-conversation' | 'get-member';
  conversationId: string;
  activityId?: string | undefined;
  body: any;
  authorization: string | undefined;
}

interface Failure {
  status: number;
  headers?: Record<string, string>;
}

export interface Member {
  id: string;
  name: string;
  aadObjectId: string;
  email?: string;
  userPrincipalName?: string;
  givenName?: string;
  surname?: string;
  tenantId?: string;
}

/**
 * A small local Bot Connector (the REST API at an activity's serviceUrl) plus the OpenID metadata
 * and signing keys of a fake Bot Framework token service, so the real CloudAdapter runs end to end.
 */
export interface FakeConnector {
  /** Use as the activities' serviceUrl (ends with a slash, like Teams' own). */
  serviceUrl: string;
  openIdMetadataUrl: string;
  tokenIssuer: string;
  calls: ConnectorCall[];
  /** Messages posted (sent or replied), in order. */
  posted(): ConnectorCall[];
  /** The next `count` message calls (send, reply, update, create conversation) fail with `status`. */
  failNext(status: number, count?: number, headers?: Record<string, string>): void;
  clearFailures(): void;
  /** The next `count` roster reads fail: with `status`, or `'reset'` drops the connection unanswered. */
  failNextLookup(status: number | 'reset', count?: number): void;
  addMember(conversationId: string, member: Member): void;
  /** A Bot Framework channel token for `appId`, as Teams would send it for an activity at serviceUrl. */
  channelToken(
    appId: string,
    options?: { serviceUrl?: string; issuer?: string; expiresIn?: number; key?: KeyObject },
  ): string;
  close(): Promise<void>;
}

const KEY_ID = 'fake-connector-key';

export async function startFakeConnector(): Promise<FakeConnector> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = publicKey.export({ format: 'jwk' });
  const calls: ConnectorCall[] = [];
  const failures: Failure[] = [];
  const lookupFailures: Array<number | 'reset'> = [];
  const members = new Map<string, Member[]>();
  let nextId = 1;
  let base = '';

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const body = await readBody(req);
    if (url.pathname === '/openid') {
      return json(res, 200, { issuer: 'https://api.botframework.com', jwks_uri: `${base}/keys` });
    }
    if (url.pathname === '/keys') {
      return json(res, 200, { keys: [{ ...jwk, kid: KEY_ID, use: 'sig', endorsements: ['msteams'] }] });
    }
    const call = route(req.method ?? 'GET', url.pathname, body, req.headers.authorization);
    if (!call)
      return json(res, 404, {
        error: { code: 'NotFound', message: `no route ${req.method} ${url.pathname}` },
      });
    calls.push(call);
    // Injected failures hit sends, replies, updates and 1:1 creation; roster reads fail only when told.
    if (call.op === 'get-member') {
      const lookupFailure = lookupFailures.shift();
      if (lookupFailure === 'reset') return req.socket.destroy();
      if (lookupFailure !== undefined)
        return json(res, lookupFailure, { error: { code: 'Failure', message: `fake ${lookupFailure}` } });
    }
    const failure = call.op === 'get-member' ? undefined : failures.shift();
    if (failure) {
      res.writeHead(failure.status, { 'content-type': 'application/json', ...failure.headers });
      return res.end(JSON.stringify({ error: { code: 'Failure', message: `fake ${failure.status}` } }));
    }
    switch (call.op) {
      case 'send':
      case 'reply':
        return json(res, 201, { id: `${Date.now()}${String(nextId++).padStart(4, '0')}` });
      case 'update':
        return json(res, 200, { id: call.activityId });
      case 'create-conversation':
        return json(res, 201, { id: `a:fake-1on1-${nextId++}`, activityId: undefined });
      case 'get-member': {
        // Teams finds a member by its 29: id, its Entra object id or its UPN.
        const wanted = call.activityId ?? '';
        const member = members
          .get(call.conversationId)
          ?.find((m) => m.id === wanted || m.aadObjectId === wanted || m.userPrincipalName === wanted);
        if (!member)
          return json(res, 404, {
            error: { code: 'MemberNotFoundInConversation', message: 'The member could not be found.' },
          });
        return json(res, 200, teamsChannelAccount(member));
      }
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const serviceUrl = `${base}/teams/`;

  return {
    serviceUrl,
    openIdMetadataUrl: `${base}/openid`,
    tokenIssuer: 'https://api.botframework.com',
    calls,
    posted: () => calls.filter((call) => call.op === 'send' || call.op === 'reply'),
    failNext(status, count = 1, headers) {
      for (let i = 0; i < count; i++) failures.push({ status, ...(headers ? { headers } : {}) });
    },
    clearFailures() {
      failures.length = 0;
      lookupFailures.length = 0;
    },
    failNextLookup(status, count = 1) {
      for (let i = 0; i < count; i++) lookupFailures.push(status);
    },
    addMember(conversationId, member) {
      members.set(conversationId, [...(members.get(conversationId) ?? []), member]);
    },
    channelToken(appId, options = {}) {
      const now = Math.floor(Date.now() / 1000);
      return jwt(
        {
          iss: options.issuer ?? 'https://api.botframework.com',
          aud: appId,
          serviceurl: options.serviceUrl ?? serviceUrl,
          nbf: now - 10,
          iat: now - 10,
          exp: now + (options.expiresIn ?? 3600),
        },
        options.key ?? privateKey,
      );
    },
    close: () =>
      new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

/** A key the fake token service does not publish: tokens signed with it must be rejected. */
export function strangerKey(): KeyObject {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return createPrivateKey(privateKey.export({ format: 'pem', type: 'pkcs8' }));
}

function route(
  method: string,
  path: string,
  body: any,
  authorization: string | undefined,
): ConnectorCall | undefined {
  const parts = path
    .replace(/^\/teams\/v3\//, '')
    .split('/')
    .map(decodeURIComponent);
  if (!path.startsWith('/teams/v3/conversations')) return undefined;
  const [, conversationId = '', kind, itemId] = parts;
  const call = (op: ConnectorCall['op'], activityId?: string): ConnectorCall => ({
    method,
    op,
    conversationId,
    activityId,
    body,
    authorization,
  });
  if (method === 'POST' && parts.length === 1) return call('create-conversation');
  if (kind === 'activities' && method === 'POST') return itemId ? call('reply', itemId) : call('send');
  if (kind === 'activities' && method === 'PUT' && itemId) return call('update', itemId);
  if (kind === 'members' && method === 'GET' && itemId) return call('get-member', itemId);
  return undefined;
}

/**
 * A member as the Bot Connector answers for it: a TeamsChannelAccount. A member given an `objectId`
 * is answered with that spelling instead, as in the roster examples of the Teams docs.
 */
function teamsChannelAccount(member: Member & { objectId?: string }) {
  const [givenName, ...rest] = member.name.split(' ');
  return {
    id: member.id,
    name: member.name,
    ...(member.objectId ? { objectId: member.objectId } : { aadObjectId: member.aadObjectId }),
    givenName: member.givenName ?? givenName,
    surname: member.surname ?? rest.join(' '),
    email: member.email,
    userPrincipalName: member.userPrincipalName ?? member.email,
    tenantId: member.tenantId ?? '9f1e2d3c-0000-4000-8000-00000000c0de',
    userRole: 'user',
  };
}

function jwt(payload: Record<string, unknown>, key: KeyObject): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const signingInput = `${encode({ alg: 'RS256', typ: 'JWT', kid: KEY_ID })}.${encode(payload)}`;
  return `${signingInput}.${sign('sha256', Buffer.from(signingInput), key).toString('base64url')}`;
}

async function readBody(req: IncomingMessage): Promise<any> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
