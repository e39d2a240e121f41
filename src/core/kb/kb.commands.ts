/** `helpdesk kb ...`: search for everyone, add for agents, review of drafts for admins. */

import type { CommandResult, CommandSpec } from '../commands/command.ts';
import type { Tx } from '../db.ts';
import type { CoreDeps } from '../deps.ts';
import { jobId } from '../jobs/jobs.ts';
import { requireRole } from '../people/people.service.ts';
import { afterCommit } from '../unit-of-work.ts';
import { listArticles, searchArticles, setArticleStatus, slugify, upsertArticle } from './kb.repository.ts';

const say = (text: string): CommandResult => ({ reply: { text } });

/**
 * After the write commits, the `kb-embed` job embeds what changed (one job id per article version, so
 * a repeated command enqueues nothing twice; the job embeds whatever is stale).
 */
function embedAfterCommit(deps: CoreDeps, tx: Tx, articleId: string, version: string): void {
  afterCommit(tx, () => deps.jobs.enqueue('kb-embed', {}, { jobId: jobId('kb-embed', articleId, version) }));
}

const USAGE = [
  '`kb search <words>` — search the knowledge base',
  '`kb add <title> | <body>` — add an article (agents)',
  '`kb drafts` — articles waiting for review (admins)',
  '`kb approve <id>` / `kb reject <id>` — publish or reject a draft (admins)',
].join('\n');

export const kbCommand: CommandSpec<CoreDeps> = {
  name: 'kb',
  usage: 'kb search <words> | add <title> | <body> | drafts | approve <id> | reject <id>',
  summary: 'search and manage the knowledge base',
  role: 'requester',
  helpFor: {
    requester: { usage: 'kb search <words>', summary: 'search the knowledge base' },
    agent: {
      usage: 'kb search <words> | add <title> | <body>',
      summary: 'search the knowledge base, add an article',
    },
  },
  async run(deps, tx, actor, args, ctx) {
    const sub = args[0]?.kind === 'word' ? args[0].value.toLowerCase() : '';
    // Free text after the sub-command, as typed (titles, bodies and queries keep their punctuation).
    const rest = ctx.parsed.rest.replace(/^\S+\s*/, '').trim();
    switch (sub) {
      case 'search': {
        if (!rest) return say('Usage: `kb search <words>`');
        const hits = await searchArticles(tx, rest, { limit: 5 });
        if (hits.length === 0) return say(`Nothing in the knowledge base matches “${rest}”.`);
        return say(
          [
            `Knowledge base results for “${rest}”:`,
            ...hits.map((h) => `• ${h.title} [kb:${h.id}]${h.url ? ` ${h.url}` : ''}`),
          ].join('\n'),
        );
      }
      case 'add': {
        const access = requireRole(actor, 'agent');
        if (!access.ok) return say(access.reason);
        const bar = rest.indexOf('|');
        const title = (bar >= 0 ? rest.slice(0, bar) : '').trim();
        const body = (bar >= 0 ? rest.slice(bar + 1) : '').trim();
        if (!title || !body) return say('Usage: `kb add <title> | <body>`');
        const id = `${slugify(title)}-${deps.clock.now().getTime().toString(36)}`;
        await upsertArticle(
          tx,
          { id, title, body, source: 'chat', status: 'published', createdBy: actor.id },
          deps.clock.now(),
        );
        embedAfterCommit(deps, tx, id, 'added');
        return say(`Added “${title}” [kb:${id}].`);
      }
      case 'drafts': {
        const access = requireRole(actor, 'admin');
        if (!access.ok) return say(access.reason);
        const drafts = await listArticles(tx, 'draft', 15);
        if (drafts.length === 0) return say('No drafts waiting for review.');
        return say(
          [
            'Drafts waiting for review:',
            ...drafts.map(
              (d) =>
                `• ${d.id} — ${d.title}${d.source_ticket_id ? ` (from ticket ${d.source_ticket_id})` : ''}`,
            ),
            'Publish with `kb approve <id>` or drop with `kb reject <id>`.',
          ].join('\n'),
        );
      }
      case 'approve':
      case 'reject': {
        const access = requireRole(actor, 'admin');
        if (!access.ok) return say(access.reason);
        const id = rest.replace(/^\[?kb:/, '').replace(/\]$/, '');
        if (!id) return say(`Usage: \`kb ${sub} <id>\``);
        const updated = await setArticleStatus(
          tx,
          id,
          sub === 'approve' ? 'published' : 'rejected',
          actor.id,
          deps.clock.now(),
        );
        if (!updated) return say(`No article with id \`${id}\`.`);
        if (sub === 'approve') embedAfterCommit(deps, tx, id, updated.content_hash);
        return say(sub === 'approve' ? `Published “${updated.title}”.` : `Rejected “${updated.title}”.`);
      }
      default:
        return say(USAGE);
    }
  },
};

export const kbCommands: CommandSpec<CoreDeps>[] = [kbCommand];
