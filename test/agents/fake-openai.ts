/**
 * A small OpenAI-compatible server for tests: chat completions answering with JSON-schema content, a
 * tool call or JSON-mode content (whichever the request asked for), embeddings, and failure modes:
 * 500, 429 with Retry-After, a hang, plain text, invalid JSON, schema-breaking JSON. It also serves
 * Azure OpenAI's URL shape (`/openai/deployments/<d>/chat/completions?api-version=…`, `api-key`
 * header) and records every request with its path and headers. Node http only.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * `error` 500; `rate-limited` 429 with `Retry-After: retryAfterSeconds`; `timeout` never answers;
 * `garbage` prose; `invalid` schema-breaking JSON; `broken-json` JSON cut off mid-way;
 * `plain-text` (an Ollama-style server that ignores response_format and tools and answers in text,
 * the JSON inside a code fence).
 */
export type FakeMode =
  | 'ok'
  | 'error'
  | 'rate-limited'
  | 'timeout'
  | 'invalid'
  | 'garbage'
  | 'broken-json'
  | 'plain-text';

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
  requests: Array<{
    path: string;
    body: any;
    raw: string;
    headers: Record<string, string | string[] | undefined>;
  }>;
  mode: FakeMode;
  retryAfterSeconds: number;
  /** Azure answers only with this api-key header; undefined accepts any. */
  azureKey?: string | undefined;
  /** The Azure endpoint to configure (AZURE_OPENAI_ENDPOINT): the same server. */
  azureEndpoint: string;
  /** Embeddings sent as base64 floats only when asked for it: false = a server that always sends floats. */
  honoursEncodingFormat: boolean;
  /** Dimensions of the embeddings served. */
  dimensions: number;
  /** Words the "model" takes for another (`notebook` → `laptop`): meaning that full-text search cannot see. */
  synonyms: Record<string, string>;
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
  if (name === 'triage_answer') {
    const id = /<article id="([^"]+)"/.exec(text)?.[1] ?? 'none';
    const request = text.split('Request: ').at(-1) ?? text;
    const triage = defaultReply('triage', { ...requestWith(request) }) as Record<string, unknown>;
    return {
      ...triage,
      kb: { fits: id !== 'none', answer: `LLM answer based on ${id}.`, article_ids: [id] },
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

const requestWith = (text: string): ChatRequest => ({
  model: 'x',
  messages: [{ role: 'user', content: text }],
});

function embed(text: string, dimensions = 16, synonyms: Record<string, string> = {}): number[] {
  // Deterministic bag-of-words vector: texts sharing words (or synonyms) point the same way.
  const v = new Array<number>(dimensions).fill(0);
  for (const word of text.toLowerCase().match(/[a-z]{3,}/g) ?? []) {
    const h = createHash('md5')
      .update(synonyms[word] ?? word)
      .digest();
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
    retryAfterSeconds: 30,
    azureEndpoint: '',
    honoursEncodingFormat: true,
    dimensions: 16,
    synonyms: {},
    reply: defaultReply,
    close: async () => {},
  };

  const server: Server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const path = req.url ?? '';
    const body = raw ? JSON.parse(raw) : {};
    state.requests.push({ path, body, raw, headers: req.headers });
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(payload));
    };
    const pathname = path.split('?')[0]!;
    const azure = /^\/openai\/deployments\/([^/]+)\//.exec(pathname);
    if (azure) {
      if (!/[?&]api-version=/.test(path))
        return send(404, { error: { code: '404', message: 'Resource not found' } });
      if (state.azureKey !== undefined && req.headers['api-key'] !== state.azureKey)
        return send(401, {
          error: { code: '401', message: 'Access denied due to invalid subscription key.' },
        });
    }

    if (pathname.endsWith('/embeddings')) {
      const inputs: string[] = Array.isArray(body.input) ? body.input : [body.input];
      const base64 = body.encoding_format === 'base64' && state.honoursEncodingFormat;
      const vector = (input: string) => {
        const floats = embed(String(input), state.dimensions, state.synonyms);
        return base64 ? Buffer.from(new Float32Array(floats).buffer).toString('base64') : floats;
      };
      return send(200, {
        object: 'list',
        model: body.model,
        data: inputs.map((input, index) => ({ object: 'embedding', index, embedding: vector(input) })),
        usage: { prompt_tokens: 1, total_tokens: 1 },
      });
    }
    if (!pathname.endsWith('/chat/completions')) return send(404, { error: { message: 'not found' } });

    if (state.mode === 'timeout') {
      pending.add(res); // never answers; the client's timeout must fire
      return;
    }
    if (state.mode === 'error')
      return send(500, { error: { message: 'upstream exploded', type: 'server_error' } });
    if (state.mode === 'rate-limited')
      return send(
        429,
        {
          error: {
            message: 'Rate limit reached for requests',
            type: 'requests',
            code: 'rate_limit_exceeded',
          },
        },
        { 'retry-after': String(state.retryAfterSeconds) },
      );

    const request = body as ChatRequest;
    const plain = state.mode === 'plain-text';
    const tool = plain ? undefined : request.tools?.[0]?.function.name;
    // JSON mode and plain text name no schema: the purpose is read from the system prompt.
    const system = request.messages.find((m) => m.role === 'system')?.content;
    const named =
      request.response_format?.json_schema?.name ??
      request.tools?.[0]?.function.name ??
      (typeof system === 'string' && /kb\.fits/.test(system)
        ? 'triage_answer'
        : typeof system === 'string' && /You triage/.test(system)
          ? 'triage'
          : typeof system === 'string' && /knowledge-base article for employees/.test(system)
            ? 'kb_draft'
            : typeof system === 'string' && /knowledge agent/.test(system)
              ? 'answer'
              : 'text');
    const name = named;
    let content: string;
    if (state.mode === 'garbage') content = 'Sure! Here is your answer: it is probably the printer.';
    else if (state.mode === 'invalid')
      content = JSON.stringify({ category: 'toaster', priority: 'P9', confidence: 7 });
    else if (state.mode === 'broken-json') content = JSON.stringify(state.reply(name, request)).slice(0, 40);
    else if (plain)
      content = `Here is the result:\n\n\`\`\`json\n${JSON.stringify(state.reply(name, request), null, 2)}\n\`\`\``;
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
  state.azureEndpoint = `http://127.0.0.1:${port}`;
  state.close = async () => {
    for (const res of pending) res.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return state;
}
