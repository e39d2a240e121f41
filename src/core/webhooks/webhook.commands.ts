/** `webhook add|list|remove|test|enable` (admins): outbound subscriptions, each with its own secret. */
import { randomBytes } from 'node:crypto';
import { recordAudit } from '../audit/audit.ts';
import { type CommandResult, type CommandSpec, reply } from '../commands/command.ts';
import type { Arg } from '../commands/parse.ts';
import type { CoreDeps } from '../deps.ts';
import { emitWebhookEvent, isWebhookEvent, TEST_EVENT, WEBHOOK_EVENTS } from './webhook.events.ts';
import { checkWebhookUrl, DEFAULT_WEBHOOK_SETTINGS } from './webhook.url.ts';

const USAGE =
  'Usage: `webhook add <https-url> [events]`, `webhook list`, `webhook remove <id>`, `webhook test <id>`, `webhook enable <id>`. Events (comma-separated, default all): ' +
  WEBHOOK_EVENTS.join(', ');

/** A URL as typed, or as Slack wraps it (`<https://x|x>`). */
function urlArg(arg: Arg | undefined): string | undefined {
  if (arg?.kind !== 'word') return undefined;
  return arg.raw.replace(/^<([^|>]+)(\|[^>]*)?>$/, '$1');
}

function idArg(arg: Arg | undefined): number | undefined {
  if (arg?.kind === 'ticket') return arg.number;
  return undefined;
}

const short = (url: string) => (url.length > 80 ? `${url.slice(0, 79)}…` : url);

export const webhookCommands: CommandSpec<CoreDeps>[] = [
  {
    name: 'webhook',
    usage: 'webhook add <https-url> [events] | list | remove <id> | test <id>',
    summary: 'signed outbound webhooks for ticket, SLA and CSAT events',
    role: 'admin',
    async run(deps, tx, actor, args, ctx): Promise<CommandResult> {
      const sub = args[0]?.kind === 'word' ? args[0].value.toLowerCase() : '';
      const now = deps.clock.now();
      const settings = deps.config.webhooks ?? DEFAULT_WEBHOOK_SETTINGS;
      if (sub === 'add') {
        const raw = urlArg(args[1]);
        if (!raw) return reply(USAGE);
        const listed = args
          .slice(2)
          .flatMap((arg) => arg.raw.split(','))
          .map((e) => e.trim().toLowerCase())
          .filter(Boolean);
        const unknown = listed.filter((e) => e !== 'all' && !isWebhookEvent(e));
        if (unknown.length) return reply(`Unknown event ${unknown.join(', ')}. ${USAGE}`);
        const events =
          listed.length === 0 || listed.includes('all') ? [...WEBHOOK_EVENTS] : [...new Set(listed)];
        const checked = await checkWebhookUrl(raw, settings);
        if (!checked.ok) return reply(`Refused ${raw}: ${checked.reason}.`);
        const secret = `whsec_${randomBytes(24).toString('hex')}`;
        const created = await tx
          .insertInto('webhooks')
          .values({
            url: checked.url.href,
            events,
            secret,
            failing_since: null,
            disabled_at: null,
            disabled_reason: null,
            created_by: actor.id,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await recordAudit(tx, {
          actor,
          action: 'webhook',
          target: `webhook:${created.id}`,
          before: null,
          after: { url: checked.url.href, events },
          at: now,
        });
        return reply(
          `Webhook ${created.id} added: ${checked.url.href} (${events.join(', ')}).\nSigning secret (shown only now, keep it safe): ${secret}\nVerify each delivery: X-Helpdesk-Signature = sha256=HMAC-SHA256(secret, "<X-Helpdesk-Timestamp>.<raw body>"). Try it: \`webhook test ${created.id}\`.`,
        );
      }
      if (sub === 'list') {
        const hooks = await tx.selectFrom('webhooks').selectAll().orderBy('id').execute();
        if (hooks.length === 0) return reply('No webhooks. Add one: `webhook add https://example.com/hook`.');
        const lines: string[] = [];
        for (const hook of hooks) {
          const counts = await tx
            .selectFrom('webhook_deliveries')
            .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
            .where('webhook_id', '=', hook.id)
            .groupBy('status')
            .execute();
          const count = (status: string) => Number(counts.find((c) => c.status === status)?.n ?? 0);
          const last = await tx
            .selectFrom('webhook_deliveries')
            .select(['status', 'last_error', 'last_status'])
            .where('webhook_id', '=', hook.id)
            .where('attempts', '>', 0)
            .orderBy('id', 'desc')
            .limit(1)
            .executeTakeFirst();
          const state = hook.enabled
            ? hook.failing_since
              ? 'failing'
              : 'enabled'
            : `disabled (${hook.disabled_reason ?? ''})`;
          lines.push(
            `• ${hook.id} ${short(hook.url)} — ${state}; ${hook.events.join(', ')}; sent ${count('sent')}, pending ${count('pending')}, failed ${count('failed')}${last?.last_error ? `; last error: ${last.last_error}` : ''}`,
          );
        }
        return reply(`Webhooks:\n${lines.join('\n')}`);
      }
      if (sub === 'remove' || sub === 'test' || sub === 'enable') {
        const id = idArg(args[1]);
        if (id === undefined) return reply(USAGE);
        const hook = await tx.selectFrom('webhooks').selectAll().where('id', '=', id).executeTakeFirst();
        if (!hook) return reply(`There is no webhook ${id}. \`webhook list\` shows them.`);
        if (sub === 'remove') {
          await tx.deleteFrom('webhooks').where('id', '=', id).execute();
          await recordAudit(tx, {
            actor,
            action: 'webhook',
            target: `webhook:${id}`,
            before: { url: hook.url, events: hook.events, enabled: hook.enabled },
            after: null,
            at: now,
          });
          return reply(`Webhook ${id} (${short(hook.url)}) removed; its pending deliveries are dropped.`);
        }
        if (sub === 'enable') {
          if (hook.enabled) return reply(`Webhook ${id} is already enabled.`);
          await tx
            .updateTable('webhooks')
            .set({ enabled: true, failing_since: null, disabled_at: null, disabled_reason: null })
            .where('id', '=', id)
            .execute();
          await recordAudit(tx, {
            actor,
            action: 'webhook',
            target: `webhook:${id}`,
            before: { enabled: false },
            after: { enabled: true },
            at: now,
          });
          return reply(`Webhook ${id} is enabled again; new events go to it.`);
        }
        if (!hook.enabled) return reply(`Webhook ${id} is disabled; \`webhook enable ${id}\` first.`);
        await emitWebhookEvent(deps, tx, {
          event: TEST_EVENT,
          webhookId: id,
          data: { message: 'A test delivery from the helpdesk.' },
          replyTo: ctx.conversation,
        });
        return reply(`Sending a test delivery to webhook ${id}; the result follows here.`);
      }
      return reply(USAGE);
    },
  },
];
