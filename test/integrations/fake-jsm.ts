/**
 * A local fake of the Jira Service Management Cloud endpoints the connector uses, on node:http:
 * create a request, comment on it, list and perform transitions. It records every call and can
 * answer 503 (with Retry-After) for a while, as an outage.
 */
import { type Answer, type Receiver, startReceiver } from './receiver.ts';

export interface FakeJsm {
  url: string;
  calls: Receiver['received'];
  /** Calls still to answer with 503 (an outage). */
  outage: number;
  requests: Map<string, { status: string; comments: Array<{ id: string; body: string; public: boolean }> }>;
  close(): Promise<void>;
}

const TRANSITIONS = [
  { id: '11', name: 'Pending' },
  { id: '21', name: 'Resolve this issue' },
  { id: '31', name: 'Close' },
];

export async function startFakeJsm(): Promise<FakeJsm> {
  let next = 0;
  let commentId = 500;
  const fake = { outage: 0, requests: new Map() } as FakeJsm;
  const answer = (request: { method: string; path: string; body: string }): Answer => {
    if (fake.outage > 0) {
      fake.outage--;
      return { status: 503, headers: { 'retry-after': '1' }, body: { errorMessage: 'Service unavailable' } };
    }
    const body = request.body ? JSON.parse(request.body) : {};
    if (request.method === 'POST' && request.path === '/rest/servicedeskapi/request') {
      if (!body.serviceDeskId || !body.requestTypeId || !body.requestFieldValues?.summary)
        return { status: 400, body: { errorMessage: 'missing fields' } };
      const key = `HD-${++next}`;
      fake.requests.set(key, { status: 'Waiting for support', comments: [] });
      return {
        status: 201,
        body: { issueId: String(10_000 + next), issueKey: key, requestTypeId: body.requestTypeId },
      };
    }
    const match = /^\/rest\/servicedeskapi\/request\/([^/]+)\/(comment|transition)$/.exec(request.path);
    const found = match ? fake.requests.get(decodeURIComponent(match[1] ?? '')) : undefined;
    if (!match || !found) return { status: 404, body: { errorMessage: 'not found' } };
    if (match[2] === 'comment' && request.method === 'POST') {
      const comment = { id: String(++commentId), body: String(body.body), public: body.public === true };
      found.comments.push(comment);
      return { status: 201, body: comment };
    }
    if (match[2] === 'transition' && request.method === 'GET')
      return { status: 200, body: { values: TRANSITIONS } };
    if (match[2] === 'transition' && request.method === 'POST') {
      const transition = TRANSITIONS.find((t) => t.id === body.id);
      if (!transition) return { status: 400, body: { errorMessage: 'no such transition' } };
      found.status = transition.name;
      return { status: 204 };
    }
    return { status: 405 };
  };
  const receiver = await startReceiver(answer);
  return Object.assign(fake, { url: receiver.url, calls: receiver.received, close: receiver.close });
}
