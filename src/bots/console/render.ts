import type { CardAction, Dialog, OutMessage } from '../../core/chat/chat.ts';
import { plainMentions } from '../../core/chat/mention.ts';

/** A button the console user can press by number. */
export interface Pressable {
  number: number;
  action: CardAction;
  messageId: string;
  channel: string;
  thread?: string | undefined;
}

/** Renders a neutral message as terminal text, numbering its buttons from `nextNumber`. */
export function renderText(
  message: OutMessage,
  nextNumber: () => number,
  register: (action: CardAction, number: number) => void,
): string {
  const card = message.card;
  // A terminal notifies nobody: mentions are shown as `@Name`.
  const at = plainMentions;
  if (!card) return at(message.text);
  const lines: string[] = [`┌ ${at(card.title)}`];
  for (const field of card.fields ?? []) lines.push(`│ ${field.label}: ${at(field.value)}`);
  // A blank line of the body is a bare `│`: no trailing space for a terminal or a transcript to keep.
  const framed = (text: string) =>
    at(text)
      .split('\n')
      .map((line) => (line ? `│ ${line}` : '│'));
  if (card.body) lines.push(...framed(card.body));
  for (const file of card.files ?? [])
    lines.push(`│ 📎 ${file.name}${file.detail ? ` (${file.detail})` : ''}${file.url ? ` ${file.url}` : ''}`);
  if (card.context) lines.push(...framed(card.context));
  const buttons = (card.actions ?? []).map((action) => {
    const number = nextNumber();
    register(action, number);
    if (action.type === 'button') return `[${number}] ${action.label}`;
    if (action.type === 'select')
      return `[${number} ${action.options.map((o) => o.label).join('|')}] ${action.placeholder}`;
    return `[${number} <name>] ${action.placeholder}`;
  });
  if (buttons.length) lines.push(`└ ${buttons.join('  ')}`);
  else lines.push('└');
  return lines.join('\n');
}

export function renderDialog(dialog: Dialog, pressNumber: number): string {
  // A form field's id (`field_1`) says nothing: name it by its label, and a choice by its options.
  const fields = dialog.inputs
    .map((input) => {
      const named = input.label.toLowerCase() === input.id.toLowerCase() ? '' : ` = ${input.label}`;
      const options = input.options?.length ? ` (${input.options.map((o) => o.value).join('|')})` : '';
      return `${input.id}${input.optional ? '?' : ''}${named}${options}`;
    })
    .join(', ');
  return `📝 ${dialog.title} — answer with: /form ${pressNumber} ${dialog.inputs.map((i) => `${i.id}="…"`).join(' ')}\n   (fields: ${fields})`;
}
