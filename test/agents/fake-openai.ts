/**
 * A small OpenAI-compatible server for tests: chat completions answering with JSON-schema content or
 * a tool call (whichever the request asked for), embeddings, and failure modes. Node http only.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeMode = 'ok' | 'error' | 'timeout' | 'invalid' | 'garbage';

export interface ChatRequest {
  model: string;
  messages: Array<{ role: string; content: unknown }>;
  response_format?: { type: string; json_schema?: { name: string; schema: unknown } };
  tools?: Array<{ type: string; function: { name: string; parameters: unknown } }>;
  tool_choice?: unknown;
}

export interface FakeOpenAI {
  baseURL: string;
  /** Every request body received, in order (chat and embeddings). */
  requests: Array<{ path: string; body: any; raw: string }>;
  mode: FakeMode;
  /** What the "model" returns for a schema/tool name; tests replace it. */
  reply: (name: string, request: ChatRequest) => unknown;
  close(): Promise<void>;
}

const userText = (request: ChatRequest) =>
  request.messages
    .filter((m) => m.role === 'user')
    .map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content)))
    .join('\n');

/** A plausible default "model": triage says hardware incident; answers cite the first article offered. */
export function defaultReply(name: string, request: ChatRequest): unknown {
  const text = userText(request);
  if (name === 'triage') {
    const asks = /how do i|\?/i.test(text);
    return {
      category: /vpn|wifi/i.test(text) ? 'network' : /password|locked/i.test(text) ? 'access' : 'hardware',
      priority: asks ? 'P4' : 'P3',
      intent: asks ? 'question' : 'incident',
      self_service: asks,
      language: 'en',
      sentiment: 'neutral',
      title: 'LLM: ' + text.split('\n')[0]!.slice(0, 40),
      confidence: 0.9,
      vague: false,
      clarifying_question: null,
      chatter: false,
    };
  }
  if (name === 'answer') {
    const id = /<article id="([^"]+)"/.exec(text)?.[1] ?? 'none';
    return { fits: id !== 'none', answer: `LLM answer based on ${id}.`, article_ids: [id] };
  }
  if (name === 'kb_draft') {
    return { title: 'LLM drafted article', body: 'Steps drafted by the model.', tags: ['drafted'] };
  }
  return {};
}

function embed(text: string, dimensions = 16): number[] {
  // Deterministic bag-of-words vector: texts sharing words point the same way.
  const v = new Array<number>(dimensions).fill(0);
  for (const word of text.toLowerCase().match(/[a-z]{3,}/g) ?? []) {
    const h = createHash('md5').update(word).digest();
    v[h[0]! % dimensions]! += 1;
  }
  const norm = Math.sqrt(v.reduce((a, b) => a + b * b, 0)) || 1;
  return v.map((x) => x / norm);
}

export async function startFakeOpenAI(): Promise<FakeOpenAI> {
  const pending = new Set<ServerResponse>();
  const state: FakeOpenAI = {
    baseURL: '',
    requests: [],
    mode: 'ok',
    reply: defaultReply,
    close: async () => {},
  };

  const server: Server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const path = req.url ?? '';
    const body = raw ? JSON.parse(raw) : {};
    state.requests.push({ path, body, raw });
    const send = (status: number, payload: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(payload));
    };

    if (path.endsWith('/embeddings')) {
      const inputs: string[] = Array.isArray(body.input) ? body.input : [body.input];
      return send(200, {
        object: 'list',
        model: body.model,
        data: inputs.map((input, index) => ({ object: 'embedding', index, embedding: embed(String(input)) })),
        usage: { prompt_tokens: 1, total_tokens: 1 },
      });
    }
    if (!path.endsWith('/chat/completions')) return send(404, { error: { message: 'not found' } });

    if (state.mode === 'timeout') {
      pending.add(res); // never answers; the client's timeout must fire
      return;
    }
    if (state.mode === 'error')
      return send(500, { error: { message: 'upstream exploded', type: 'server_error' } });

    const request = body as ChatRequest;
    const tool = request.tools?.[0]?.function.name;
    const name = request.response_format?.json_schema?.name ?? tool ?? 'text';
    let content: string;
    if (state.mode === 'garbage') content = 'Sure! Here is your answer: it is probably the printer.';
    else if (state.mode === 'invalid')
      content = JSON.stringify({ category: 'toaster', priority: 'P9', confidence: 7 });
    else content = JSON.stringify(state.reply(name, request));

    const message = tool
      ? {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: `call_${state.requests.length}`,
              type: 'function',
              function: { name: tool, arguments: content },
            },
          ],
        }
      : { role: 'assistant', content };
    return send(200, {
      id: `chatcmpl-${state.requests.length}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: request.model,
      choices: [{ index: 0, message, finish_reason: tool ? 'tool_calls' : 'stop', logprobs: null }],
      usage: { prompt_tokens: 120, completion_tokens: 30, total_tokens: 150 },
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  state.baseURL = `http://127.0.0.1:${port}/v1`;
  state.close = async () => {
    for (const res of pending) res.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return state;
}
