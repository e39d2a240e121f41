/** `form <category>` (admins): the fields a category's requests ask for. */
import { recordAudit } from '../audit/audit.ts';
import { type CommandSpec, reply } from '../commands/command.ts';
import type { Tx } from '../db.ts';
import type { CoreDeps } from '../deps.ts';
import type { Person } from '../people/people.service.ts';
import { isCategory } from '../tickets/ticket.ts';
import { describeField, formFieldsOf, removeField, saveField } from './form.service.ts';

const FORM_USAGE =
  'Usage: `form access add "System" required`, `form access add "Access level" choice read,write,admin`, `form access`, `form access remove "System"`';

export const formCommands: CommandSpec<CoreDeps>[] = [
  {
    name: 'form',
    usage: 'form <category> [add "Field" [required] [choice a,b,c] | remove "Field"]',
    summary: "the fields a category's requests ask for",
    role: 'admin',
    auditsItself: true,
    async run(deps, tx, actor, args) {
      const words = args.map((arg) => (arg.kind === 'word' ? arg.value : arg.raw));
      const category = (words[0] ?? '').toLowerCase();
      if (!category) return reply(FORM_USAGE);
      if (!isCategory(category)) return reply(`${category} is not a category.\n${FORM_USAGE}`);
      const verb = (words[1] ?? '').toLowerCase();
      const before = (await formFieldsOf(tx, category)).map(describeField);
      if (!verb) {
        return reply(
          before.length
            ? `The ${category} form asks for:\n${before.map((line) => `• ${line}`).join('\n')}\n(\`new ${category}\` opens it.)`
            : `The ${category} form has no fields yet.\n${FORM_USAGE}`,
        );
      }
      const name = words[2] ?? '';
      if (verb === 'remove') {
        if (!name) return reply(FORM_USAGE);
        if (!(await removeField(tx, category, name)))
          return reply(`The ${category} form has no field "${name}".`);
        await audit(deps, tx, actor, category, before);
        return reply(`Removed "${name}" from the ${category} form.`);
      }
      if (verb !== 'add' || !name) return reply(FORM_USAGE);
      const flags = words.slice(3).map((word) => word.toLowerCase());
      const choiceAt = flags.indexOf('choice');
      const options =
        choiceAt >= 0
          ? [
              ...new Set(
                (words[3 + choiceAt + 1] ?? '')
                  .split(',')
                  .map((o) => o.trim())
                  .filter(Boolean),
              ),
            ]
          : [];
      const known = new Set(['required', 'optional', 'choice', 'text']);
      const stray = flags.filter((flag, i) => !known.has(flag) && i !== choiceAt + 1);
      if (stray.length > 0 || (choiceAt >= 0 && options.length === 0))
        return reply(`I did not understand ${stray.join(' ') || 'the options'}.\n${FORM_USAGE}`);
      const saved = await saveField(tx, {
        category,
        name,
        kind: choiceAt >= 0 ? 'choice' : 'text',
        required: flags.includes('required'),
        options,
      });
      if (!saved.ok) return reply(saved.reason);
      await audit(deps, tx, actor, category, before);
      return reply(`The ${category} form now asks for ${describeField(saved.field)}.`);
    },
  },
];

async function audit(
  deps: CoreDeps,
  tx: Tx,
  actor: Person,
  category: string,
  before: string[],
): Promise<void> {
  await recordAudit(tx, {
    actor,
    action: 'form',
    target: `form:${category}`,
    before,
    after: (await formFieldsOf(tx, category)).map(describeField),
    at: deps.clock.now(),
  });
}
