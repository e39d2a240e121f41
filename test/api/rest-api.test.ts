/**
 * The REST API v1 end to end: keys made by the real CLI, requests over HTTP against the real
 * Postgres and Redis, changes seen in chat (the console channel), and the OpenAPI document checked
 * against the routes fastify serves and against the responses the API really sends.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/core/apikeys/apikey.service.ts';
import { unitOfWork } from '../../src/core/unit-of-work.ts';
import { command, message, startTestApp, type TestApp } from '../support/app.ts';
import { cliEnv, runCli } from '../support/cli.ts';
import { TEST_DATABASE_URL } from '../support/db.ts';

const RATE = 20;
let app: TestApp;
let base: string;
let writer: string;
/** Every JSON body the API answered with, by its documented schema, checked against the document last. */
const answered: Array<{ schema: string; body: unknown }> = [];

const run = async (event: Parameters<TestApp['accept']>[0]) => {
  await app.accept(event);
  await app.idle();
};

const cli = (args: string[]) =>
  runCli(['apikey', ...args], {
    env: cliEnv({
      DATABASE_URL: TEST_DATABASE_URL,
      DATABASE_SCHEMA: app.config.DATABASE_SCHEMA,
      LOG_LEVEL: 'silent',
    }),
  });

async function newKey(name: string, scopes: Array<'tickets:read' | 'tickets:write' | 'tickets:internal'>) {
  const created = await unitOfWork(app.deps, (tx) =>
    createApiKey(tx, { id: null, displayName: 'test' }, { name, scopes }, new Date()),
  );
  return created.key;
}

async function api(
  method: string,
  path: string,
  options: { key?: string | undefined; body?: unknown; raw?: string; schema?: string } = {},
) {
  const headers: Record<string, string> = {};
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  if (options.body !== undefined || options.raw !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${base}/api/v1${path}`, {
    method,
    headers,
    ...(options.raw !== undefined
      ? { body: options.raw }
      : options.body !== undefined
        ? { body: JSON.stringify(options.body) }
        : {}),
  });
  const text = await response.text();
  const body = text ? (JSON.parse(text) as Record<string, any>) : {};
  const type = response.headers.get('content-type') ?? '';
  if (type.startsWith('application/problem+json')) answered.push({ schema: 'Problem', body });
  else if (options.schema && response.ok) answered.push({ schema: options.schema, body });
  return { status: response.status, headers: response.headers, body, type };
}

const ticketCount = async () =>
  Number(
    (
      await app.deps.db
        .selectFrom('tickets')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

beforeAll(async () => {
  app = await startTestApp({
    env: { HELPDESK_ADMINS: 'root@example.com', API_RATE_LIMIT_PER_MINUTE: String(RATE) },
  });
  base = await app.listen();
  await run(command('root', 'config triage-channel it-triage'));
  await run(message('bob', 'hello, I am bob'));
  await run(command('root', 'role @bob agent'));
  // alice has written to the helpdesk in a direct chat, so the API's tickets for her reach her there.
  await run(message('alice', 'my laptop will not boot'));
});

afterAll(async () => {
  await app?.close();
});

describe('API keys from the CLI', () => {
  it('creates a key shown once and stored hashed, and records the change in the audit log', {
    timeout: 120_000,
  }, async () => {
    const created = cli(['create', '--name', 'zapier', '--scopes', 'tickets:read,tickets:write']);
    expect(created.status, created.stderr).toBe(0);
    expect(created.stdoutLines).toHaveLength(1);
    writer = created.stdoutLines[0] ?? '';
    expect(writer).toMatch(/^hd_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    expect(created.stderr).toMatch(
      /Created API key \d+ "zapier" \(hd_[0-9a-f]{12}, tickets:read,tickets:write\)/,
    );

    const row = await app.deps.db
      .selectFrom('api_keys')
      .selectAll()
      .where('name', '=', 'zapier')
      .executeTakeFirstOrThrow();
    expect(row.secret_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(writer.slice(16));
    expect(writer.startsWith(`hd_${row.prefix}_`)).toBe(true);

    const audit = await app.deps.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'apikey')
      .execute();
    expect(audit).toMatchObject([
      {
        actor_name: 'cli',
        target: `apikey:${row.id}`,
        after: { name: 'zapier', scopes: ['tickets:read', 'tickets:write'] },
      },
    ]);
  });
});

describe('tickets over the API', () => {
  it('files a ticket for a known person, who hears of it in chat, and one for an unknown e-mail, who is created', async () => {
    const before = app.output();
    const created = await api('POST', '/tickets', {
      key: writer,
      schema: 'Ticket',
      body: {
        requester_email: 'Alice@example.com',
        title: 'New starter needs a laptop',
        description: 'Alice starts on Monday and needs a laptop with VPN',
        priority: 'P2',
        category: 'hardware',
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({
      title: 'New starter needs a laptop',
      status: 'new',
      priority: 'P2',
      category: 'hardware',
      requester: { name: 'alice', email: 'alice@example.com' },
      assignee: null,
    });
    const number = created.body.number as number;
    expect(created.headers.get('location')).toBe(`/api/v1/tickets/${number}`);
    await app.idle();
    const said = app.output().slice(before.length);
    expect(said).toContain(`[dm alice] (c`);
    expect(said).toContain(`I've filed ticket #${number}: "New starter needs a laptop" (P2, hardware)`);
    expect(said).toMatch(
      new RegExp(`\\[#it-triage\\] \\(c\\d+\\) 🤖 ┌ #${number} · New starter needs a laptop`),
    );

    const stranger = await api('POST', '/tickets', {
      key: writer,
      schema: 'Ticket',
      body: {
        requester_email: 'carol@example.com',
        requester_name: 'Carol C',
        description: 'printer on floor 3 jams',
      },
    });
    expect(stranger.status).toBe(201);
    expect(stranger.body).toMatchObject({
      requester: { name: 'Carol C', email: 'carol@example.com' },
      priority: 'P3',
      category: 'other',
    });
    const carol = await app.deps.db
      .selectFrom('people')
      .selectAll()
      .where('email', '=', 'carol@example.com')
      .execute();
    expect(carol).toHaveLength(1);
    const events = await app.deps.db
      .selectFrom('ticket_events')
      .innerJoin('people', 'people.id', 'ticket_events.actor_id')
      .select(['ticket_events.type', 'people.display_name'])
      .innerJoin('tickets', 'tickets.id', 'ticket_events.ticket_id')
      .where('tickets.number', '=', number)
      .execute();
    expect(events).toEqual([{ type: 'created', display_name: 'zapier' }]);
  });

  it('relays a public comment to the requester like an agent reply; an internal one stays with the agents', async () => {
    const reader = await newKey('dashboard', ['tickets:read']);
    const auditor = await newKey('auditor', ['tickets:read', 'tickets:internal']);
    const ticket = await api('POST', '/tickets', {
      key: writer,
      body: { requester_email: 'alice@example.com', description: 'Outlook keeps asking for my password' },
    });
    const number = ticket.body.number as number;
    await app.idle();
    const before = app.output().length;

    const reply = await api('POST', `/tickets/${number}/comments`, {
      key: writer,
      schema: 'TicketDetail',
      body: { body: 'Please sign out and in again' },
    });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    expect(reply.body.ticket).toMatchObject({ number, status: 'open' });
    const note = await api('POST', `/tickets/${number}/comments`, {
      key: writer,
      body: { body: 'token cache is corrupt, probably', visibility: 'internal' },
    });
    expect(note.status).toBe(201);
    await app.idle();
    const said = app.output().slice(before);
    expect(said).toContain(`[dm alice] (c`);
    expect(said).toContain(`💬 zapier (IT) on #${number}: Please sign out and in again`);
    expect(said).not.toMatch(/\[dm alice[^\]]*\][^\n]*token cache/);
    expect(said).toContain(`📝 Internal note on #${number} from zapier: token cache is corrupt, probably`);
    expect(said).toMatch(/\[#it-triage\] \(c\d+ updated\)/);

    const shown = await api('GET', `/tickets/${number}`, { key: reader, schema: 'TicketDetail' });
    expect(shown.status).toBe(200);
    expect(shown.body.timeline.map((e: { type: string }) => e.type)).toEqual(['created', 'reply']);
    expect(JSON.stringify(shown.body)).not.toContain('token cache');
    const full = await api('GET', `/tickets/${number}`, { key: auditor, schema: 'TicketDetail' });
    expect(full.body.timeline).toContainEqual(
      expect.objectContaining({
        type: 'note',
        visibility: 'internal',
        actor: 'zapier',
        body: 'token cache is corrupt, probably',
      }),
    );
  });

  it('changes assignee, priority and status through the chat use cases, all or nothing', async () => {
    const ticket = await api('POST', '/tickets', {
      key: writer,
      body: { requester_email: 'alice@example.com', description: 'VPN drops every hour' },
    });
    const number = ticket.body.number as number;
    await app.idle();
    const before = app.output().length;

    const changed = await api('PATCH', `/tickets/${number}`, {
      key: writer,
      schema: 'Ticket',
      body: { assignee_email: 'bob@example.com', priority: 'P1' },
    });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body).toMatchObject({
      status: 'open',
      priority: 'P1',
      assignee: { name: 'bob', email: 'bob@example.com' },
    });
    const pending = await api('PATCH', `/tickets/${number}`, {
      key: writer,
      body: { status: 'pending', note: 'Which VPN client version do you run?' },
    });
    expect(pending.body).toMatchObject({ status: 'pending' });
    await app.idle();
    let said = app.output().slice(before);
    expect(said).toContain(`zapier assigned #${number} to @bob`);
    expect(said).toContain(`zapier changed the priority of #${number} from P3 to P1`);
    expect(said).toContain(`⏳ IT is waiting on you for #${number}: Which VPN client version do you run?`);
    expect(said).toMatch(
      new RegExp(`\\[#it-triage\\] \\(c\\d+ updated\\) 🤖 ┌ #${number}[^┘]*Priority: P1[^└]*Assignee: bob`),
    );

    // A refused step undoes the steps before it: the priority stays P1.
    const refused = await api('PATCH', `/tickets/${number}`, {
      key: writer,
      body: { priority: 'P4', assignee_email: 'alice@example.com' },
    });
    expect(refused.status).toBe(409);
    expect(refused.type).toContain('application/problem+json');
    expect(refused.body).toMatchObject({
      status: 409,
      code: 'not_an_agent',
      instance: `/api/v1/tickets/${number}`,
    });
    expect(refused.body.detail).toContain('alice is not an agent');
    const unknown = await api('PATCH', `/tickets/${number}`, {
      key: writer,
      body: { assignee_email: 'nobody@example.com' },
    });
    expect(unknown).toMatchObject({ status: 422, body: { code: 'unknown_person' } });
    const missing = await api('PATCH', '/tickets/999999', { key: writer, body: { priority: 'P2' } });
    expect(missing).toMatchObject({ status: 404, body: { code: 'no_such_ticket' } });

    const resolved = await api('PATCH', `/tickets/${number}`, {
      key: writer,
      body: { status: 'resolved', note: 'Updated the VPN client', priority: 'P1' },
    });
    expect(resolved.body).toMatchObject({
      status: 'resolved',
      priority: 'P1',
      resolution: 'Updated the VPN client',
    });
    await app.idle();
    said = app.output().slice(before);
    expect(said).toContain(`✅ Ticket #${number} was resolved by zapier: Updated the VPN client`);
    expect(said).toContain(`How did we do on #${number}?`);
    const reopened = await api('PATCH', `/tickets/${number}`, { key: writer, body: { status: 'open' } });
    expect(reopened.body).toMatchObject({ status: 'open' });
  });

  it('lists by filters, a page at a time with an opaque cursor', async () => {
    const reader = await newKey('pager', ['tickets:read']);
    const numbers: number[] = [];
    for (const [i, description] of [
      'wifi is down in room 1',
      'wifi is slow',
      'monitor flickers',
      'wifi again',
      'dock broken',
    ].entries()) {
      const made = await api('POST', '/tickets', {
        key: writer,
        body: {
          requester_email: 'dave@example.com',
          description,
          category: description.includes('wifi') ? 'network' : 'hardware',
          priority: i === 0 ? 'P1' : 'P3',
        },
      });
      numbers.push(made.body.number as number);
    }
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<typeof api>> = await api(
        'GET',
        `/tickets?requester=dave@example.com&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        { key: reader, schema: 'TicketPage' },
      );
      expect(page.status).toBe(200);
      expect(page.body.tickets.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.tickets.map((t: { number: number }) => t.number));
      cursor = page.body.next_cursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([...numbers].reverse());

    const numbersOf = async (query: string) =>
      (
        (await api('GET', `/tickets?${query}`, { key: reader })).body.tickets as Array<{ number: number }>
      ).map((t) => t.number);
    expect(await numbersOf('requester=dave@example.com&category=network')).toEqual([
      numbers[3],
      numbers[1],
      numbers[0],
    ]);
    expect(await numbersOf('requester=dave@example.com&priority=P1')).toEqual([numbers[0]]);
    expect(await numbersOf('requester=dave@example.com&q=monitor')).toEqual([numbers[2]]);
    expect(await numbersOf('assignee=bob@example.com&status=open,pending')).toHaveLength(1);
    expect(await numbersOf('status=resolved,closed')).toEqual([]);
    expect(
      await numbersOf(`updated_since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`),
    ).toEqual([]);
  });
});

describe('refusals that change nothing', () => {
  it('answers 401 with WWW-Authenticate for no key, a wrong key and a revoked key (revoked by the CLI)', {
    timeout: 180_000,
  }, async () => {
    const count = await ticketCount();
    const body = { requester_email: 'eve@example.com', description: 'let me in' };
    const none = await api('POST', '/tickets', { body });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer realm="helpdesk"$/);
    expect(none.body).toMatchObject({
      type: 'urn:helpdesk:problem:unauthorized',
      title: 'Unauthorized',
      status: 401,
      instance: '/api/v1/tickets',
    });
    const wrong = await api('POST', '/tickets', { key: `${writer.slice(0, -4)}AAAA`, body });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect((await api('GET', '/tickets', { key: 'not-a-key' })).status).toBe(401);

    const doomed = await newKey('doomed', ['tickets:read', 'tickets:write']);
    expect((await api('GET', '/tickets', { key: doomed })).status).toBe(200);
    const id = (
      await app.deps.db
        .selectFrom('api_keys')
        .select('id')
        .where('name', '=', 'doomed')
        .executeTakeFirstOrThrow()
    ).id;
    const revoked = cli(['revoke', String(id)]);
    expect(revoked.status, revoked.stderr).toBe(0);
    expect(revoked.stdout).toContain(`Revoked API key ${id} "doomed"`);
    const after = await api('POST', '/tickets', { key: doomed, body });
    expect(after).toMatchObject({ status: 401, body: { detail: 'This API key was revoked.' } });
    // `list` shows every key, a revoked one with when, and never a key itself.
    const listed = cli(['list']);
    expect(listed.status, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(/id\s+name\s+scopes\s+prefix\s+created\s+last used\s+revoked/);
    expect(listed.stdout).toMatch(
      /\d+\s+zapier\s+tickets:read,tickets:write\s+hd_[0-9a-f]{12}\s+\S+ \S+ UTC\s+\S+ \S+ UTC\s+-\n/,
    );
    expect(listed.stdout).toMatch(
      new RegExp(`${id}\\s+doomed\\s.*UTC\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC\\n`),
    );
    expect(listed.stdout).not.toContain(writer);
    expect(await ticketCount()).toBe(count);
  });

  it('answers 403 to a read-only key that writes', async () => {
    const reader = await newKey('read-only', ['tickets:read']);
    const count = await ticketCount();
    const refused = await api('POST', '/tickets', {
      key: reader,
      body: { requester_email: 'eve@example.com', description: 'write please' },
    });
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toContain('lacks the tickets:write scope');
    expect(refused.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
    const comment = await api('POST', '/tickets/1/comments', { key: reader, body: { body: 'hi' } });
    expect(comment.status).toBe(403);
    expect(await ticketCount()).toBe(count);
    const events = await app.deps.db
      .selectFrom('ticket_events')
      .select('body')
      .where('body', '=', 'hi')
      .execute();
    expect(events).toEqual([]);
  });

  it('answers 429 with Retry-After past the per-key rate limit, and stores when the key was last used', async () => {
    const busy = await newKey('busy', ['tickets:read', 'tickets:write']);
    // A burst of RATE requests passes (a slow machine may refill a token or two meanwhile).
    let passed = 0;
    for (let i = 0; i < RATE * 2; i++) {
      const answer = await api('GET', '/tickets?limit=1', { key: busy });
      if (answer.status === 429) break;
      expect(answer.status).toBe(200);
      passed++;
    }
    expect(passed).toBeGreaterThanOrEqual(RATE);
    expect(passed).toBeLessThan(RATE * 2);
    // Writes past the limit are refused before anything is done: only the ones let through file tickets.
    const count = await ticketCount();
    let filed = 0;
    let limited: Awaited<ReturnType<typeof api>> | undefined;
    for (let i = 0; i < 5 && !limited; i++) {
      const answer = await api('POST', '/tickets', {
        key: busy,
        body: { requester_email: 'eve@example.com', description: 'one too many' },
      });
      if (answer.status === 429) limited = answer;
      else filed++;
    }
    if (!limited) throw new Error('no 429 after the burst');
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60 / RATE);
    expect(limited.body).toMatchObject({ type: 'urn:helpdesk:problem:rate-limited', status: 429 });
    expect(await ticketCount()).toBe(count + filed);
    // Another key has its own bucket.
    expect((await api('GET', '/tickets?limit=1', { key: writer })).status).toBe(200);
    const row = await app.deps.db
      .selectFrom('api_keys')
      .select('last_used_at')
      .where('name', '=', 'busy')
      .executeTakeFirstOrThrow();
    expect(row.last_used_at).toBeInstanceOf(Date);
  });

  it('answers 400 problem details naming the field for malformed JSON and invalid input', async () => {
    // A key of its own: the shared ones may have spent this minute's requests (RATE) already.
    const fresh = await newKey('validator', ['tickets:read', 'tickets:write']);
    const count = await ticketCount();
    const malformed = await api('POST', '/tickets', {
      key: fresh,
      raw: '{"requester_email": "x@example.com",',
    });
    expect(malformed.status).toBe(400);
    expect(malformed.type).toContain('application/problem+json');
    expect(malformed.body).toMatchObject({
      type: 'urn:helpdesk:problem:invalid-json',
      title: 'Bad Request',
      status: 400,
      instance: '/api/v1/tickets',
    });

    const invalid = await api('POST', '/tickets', {
      key: fresh,
      body: { requester_email: 'not-an-email', colour: 'red' },
    });
    expect(invalid.status).toBe(400);
    const fields = (invalid.body.errors as Array<{ field: string }>).map((e) => e.field).sort();
    expect(fields).toEqual(['body.colour', 'body.description', 'body.requester_email']);
    expect(invalid.body.detail).toContain('body.requester_email');

    const empty = await api('PATCH', '/tickets/1', { key: fresh, body: {} });
    expect(empty).toMatchObject({ status: 400, body: { errors: [{ field: 'body' }] } });
    expect((await api('GET', '/tickets?limit=500', { key: fresh })).body.errors).toEqual([
      expect.objectContaining({ field: 'query.limit' }),
    ]);
    expect((await api('GET', '/tickets?cursor=bm9wZQ', { key: fresh })).body.errors).toEqual([
      expect.objectContaining({ field: 'query.cursor' }),
    ]);
    expect((await api('GET', '/tickets/abc', { key: fresh })).body.errors).toEqual([
      expect.objectContaining({ field: 'path.number' }),
    ]);
    expect((await api('GET', '/nothing-here', { key: fresh })).status).toBe(404);
    expect(await ticketCount()).toBe(count);
  });
});

describe('API keys in chat', () => {
  it('lets admins list and revoke keys, never shows a key, and sends key creation to the CLI', async () => {
    const spare = await newKey('spare', ['tickets:read']);
    const id = (
      await app.deps.db
        .selectFrom('api_keys')
        .select('id')
        .where('name', '=', 'spare')
        .executeTakeFirstOrThrow()
    ).id;
    const before = app.output().length;
    await run(command('root', 'apikey list'));
    await run(command('root', `apikey revoke ${id}`));
    await run(command('root', `apikey revoke ${id}`));
    await run(command('root', 'apikey create foo tickets:read'));
    await run(command('bob', 'apikey list'));
    const said = app.output().slice(before);
    expect(said).toMatch(
      /• \d+ zapier \(hd_[0-9a-f]{12}, tickets:read,tickets:write\): created .* UTC, last used \d{4}-/,
    );
    expect(said).toContain(`• ${id} spare (hd_`);
    expect(said).not.toContain(spare.slice(16));
    expect(said).toContain(`Revoked API key ${id} (spare); its next request gets 401.`);
    expect(said).toContain(`API key ${id} is already revoked.`);
    expect(said).toContain(
      '`helpdesk apikey create --name <name> --scopes tickets:read,tickets:write` prints it once',
    );
    expect(said).toContain('`apikey` needs the admin role (you are an agent)');
    expect((await api('GET', '/tickets', { key: spare })).status).toBe(401);
    const audit = await app.deps.db
      .selectFrom('audit_log')
      .select(['actor_name', 'after'])
      .where('target', '=', `apikey:${id}`)
      .orderBy('id')
      .execute();
    expect(audit.at(-1)).toMatchObject({ actor_name: 'root', after: { name: 'spare', revoked: true } });
  });
});

describe('the OpenAPI document', () => {
  it('is an OpenAPI 3.1 document covering every route, whose schemas are valid and match real responses', async () => {
    const response = await api('GET', '/openapi.json');
    expect(response.status).toBe(200);
    const doc = response.body;
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    expect(doc.components.securitySchemes.apiKey).toMatchObject({ type: 'http', scheme: 'bearer' });

    // Every route fastify serves under /api/v1 is in `paths`, with each of its methods, and nothing more.
    const served = servedRoutes(app.http?.printRoutes({ commonPrefix: false }) ?? '');
    const documented = new Set<string>();
    for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, unknown>>))
      for (const method of Object.keys(item)) documented.add(`${method} ${path}`);
    expect(served.size).toBeGreaterThanOrEqual(6);
    expect([...documented].sort()).toEqual([...served].sort());

    const ajv = new Ajv2020({ strict: true, allErrors: true });
    (addFormatsModule as unknown as (ajv: Ajv2020) => void)(ajv);
    const defs = JSON.parse(
      JSON.stringify(doc.components.schemas).replaceAll('"#/components/schemas/', '"#/$defs/'),
    );
    ajv.addSchema({ $id: 'doc', $defs: defs });
    for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, any>>)) {
      expect(path.startsWith('/api/v1/')).toBe(true);
      for (const [method, op] of Object.entries(item)) {
        expect(typeof op.operationId, `${method} ${path}`).toBe('string');
        for (const [status, answer] of Object.entries(op.responses as Record<string, any>)) {
          expect(status).toMatch(/^[1-5]\d\d$/);
          expect(typeof answer.description).toBe('string');
          for (const media of Object.values(answer.content ?? {}) as Array<{ schema?: unknown }>)
            if (media.schema)
              expect(() => ajv.compile(rebased(media.schema)), `${method} ${path} ${status}`).not.toThrow();
        }
        for (const parameter of op.parameters ?? []) {
          expect(['path', 'query']).toContain(parameter.in);
          expect(() => ajv.compile(parameter.schema)).not.toThrow();
        }
        if (op.requestBody)
          expect(() => ajv.compile(rebased(op.requestBody.content['application/json'].schema))).not.toThrow();
      }
    }
    // What the API really answered in the tests above fits the schema it documents.
    expect(new Set(answered.map((a) => a.schema))).toEqual(
      new Set(['Ticket', 'TicketDetail', 'TicketPage', 'Problem']),
    );
    for (const { schema, body } of answered) {
      const validate = ajv.compile({ $ref: `doc#/$defs/${schema}` });
      expect(validate(body), `${schema}: ${JSON.stringify(validate.errors)} in ${JSON.stringify(body)}`).toBe(
        true,
      );
    }
  });
});

describe('the api_keys migration', () => {
  it('goes down and up again', async () => {
    const migration = await import('../../migrations/2026_12_07_1000_api_keys.ts');
    const db = app.database.db;
    const tables = async () =>
      // This test's schema only: other schemas in the database (other test files) have the table too.
      (await db.introspection.getTables())
        .filter((table) => table.schema === app.config.DATABASE_SCHEMA)
        .map((table) => table.name)
        .filter((name) => name === 'api_keys');
    await migration.down(db);
    expect(await tables()).toEqual([]);
    await migration.up(db);
    expect(await tables()).toEqual(['api_keys']);
  });
});

/** `method path` of every route fastify serves under /api/v1, from its route tree (HEAD aside). */
function servedRoutes(tree: string): Set<string> {
  const served = new Set<string>();
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^(.*?)(\/\S*)(?: \(([^)]+)\))?$/.exec(line);
    if (!match?.[2]) continue;
    const depth = (match[1] ?? '').length / 4 - 1;
    stack.length = depth;
    stack[depth] = match[2];
    const path = stack.join('').replace(/:(\w+)/g, '{$1}');
    if (!path.startsWith('/api/v1/')) continue;
    for (const method of match[3]?.split(', ') ?? [])
      if (method !== 'HEAD') served.add(`${method.toLowerCase()} ${path}`);
  }
  return served;
}

/** A schema from the document with its component references pointed into the schemas registered as `doc`. */
function rebased(schema: unknown): object {
  return JSON.parse(JSON.stringify(schema).replaceAll('"#/components/schemas/', '"doc#/$defs/'));
}
