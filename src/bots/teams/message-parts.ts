import type { Activity, ChannelAccount } from 'botbuilder';
import { decodeHTMLStrict } from 'entities';
import type { ChatAttachment } from '../../core/chat/chat.ts';

type Inbound = Partial<Activity>;

const FILE_DOWNLOAD_INFO = 'application/vnd.microsoft.teams.file.download.info';
const FILE_INFO_CARD = 'application/vnd.microsoft.teams.card.file.info';

interface MentionEntity {
  type?: string;
  text?: unknown;
  mentioned?: (ChannelAccount & { conversationIdentityType?: string }) | undefined;
}

function mentionEntities(activity: Inbound): MentionEntity[] {
  return ((activity.entities ?? []) as MentionEntity[]).filter(
    (entity) => entity.type === 'mention' && typeof entity.mentioned?.id === 'string',
  );
}

/** Whether the message mentions this bot (an entity naming the recipient's id). */
export function mentionsBot(activity: Inbound): boolean {
  const botId = activity.recipient?.id;
  return botId !== undefined && mentionEntities(activity).some((entity) => entity.mentioned?.id === botId);
}

/**
 * The message text as the user meant it: entities decoded once, this bot's mention(s) removed
 * whatever their shape (an entity with `text`, one without it, a display name other than the
 * bot's, a bare leading bot name), and people mentioned written as `<@29:…|Name>` like on Slack.
 */
export function readText(activity: Inbound): string {
  let text = decodeEntities(activity.text ?? '');
  const botId = activity.recipient?.id;
  const botNames = new Set<string>();
  if (activity.recipient?.name) botNames.add(activity.recipient.name);
  let removedBot = false;
  for (const entity of mentionEntities(activity)) {
    const mentioned = entity.mentioned!;
    const name = (mentioned.name ?? '').trim();
    const isBot = mentioned.id === botId;
    if (isBot && name) botNames.add(name);
    const tag =
      typeof entity.text === 'string' && entity.text !== ''
        ? decodeEntities(entity.text)
        : name
          ? `<at>${name}</at>`
          : '';
    if (!tag || !text.includes(tag)) continue;
    if (isBot) removedBot = true;
    text = text.split(tag).join(isBot ? ' ' : personToken(mentioned, name));
  }
  // A bot mention the entities did not spell out (no `text`, or a different display name).
  text = text.replace(/<at>([^<]*)<\/at>/gi, (whole, inner: string) => {
    if (!isOneOf(inner, botNames)) return whole;
    removedBot = true;
    return ' ';
  });
  if (!removedBot && mentionsBot(activity)) text = withoutLeadingName(text, botNames);
  return text
    .replace(/<at>([^<]*)<\/at>/gi, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

/** People (`29:` ids, Entra ids) become mention tokens; a channel or tag mention stays its name. */
function personToken(mentioned: MentionEntity['mentioned'] & object, name: string): string {
  const id = mentioned.id;
  const isConversation = mentioned.conversationIdentityType !== undefined || id.startsWith('19:');
  if (isConversation) return name;
  const safeName = name.replace(/[<>|]/g, '').trim();
  return safeName ? `<@${id}|${safeName}>` : `<@${id}>`;
}

function isOneOf(candidate: string, names: Set<string>): boolean {
  const wanted = candidate.trim().toLowerCase();
  for (const name of names) if (name.trim().toLowerCase() === wanted) return true;
  return false;
}

/** "Helpdesk Hey" (the bot's name sent without `<at>` tags) reads as "Hey". */
function withoutLeadingName(text: string, names: Set<string>): string {
  const trimmed = text.trimStart();
  for (const name of [...names].sort((a, b) => b.length - a.length)) {
    if (!name) continue;
    const head = trimmed.slice(0, name.length);
    const next = trimmed.charAt(name.length);
    if (head.toLowerCase() === name.toLowerCase() && (next === '' || /[\s,:;!.]/.test(next))) {
      return trimmed.slice(name.length).replace(/^[\s,:;]+/, '');
    }
  }
  return text;
}

/**
 * Files and images on a message, by their platform link: file shares (SharePoint/OneDrive, from
 * a 1:1 chat), inline images, and images pasted into the HTML copy of the message when that copy
 * is their only trace. The HTML copy itself, cards and emoji are not attachments.
 */
export function readAttachments(activity: Inbound): ChatAttachment[] {
  const found: ChatAttachment[] = [];
  const seen = new Set<string>();
  const add = (attachment: ChatAttachment) => {
    const key = attachment.url || `name:${attachment.name}`;
    if (seen.has(key)) return;
    seen.add(key);
    found.push(attachment);
  };
  const html: string[] = [];
  let images = 0;
  for (const attachment of activity.attachments ?? []) {
    const type = attachment.contentType ?? '';
    if (type === FILE_DOWNLOAD_INFO || type === FILE_INFO_CARD) {
      const content = (attachment.content ?? {}) as { fileType?: unknown };
      const fileType = typeof content.fileType === 'string' ? content.fileType : undefined;
      add({
        name: attachment.name || (fileType ? `file.${fileType}` : 'file'),
        contentType: mimeOf(fileType ?? extensionOf(attachment.name)),
        url: attachment.contentUrl || undefined,
      });
    } else if (type.startsWith('image/')) {
      images++;
      add({
        name: attachment.name || 'image',
        contentType: type === 'image/*' ? undefined : type,
        url: attachment.contentUrl || undefined,
      });
    } else if (type === 'text/html' && typeof attachment.content === 'string') {
      html.push(attachment.content);
    }
  }
  // An image Teams sent as an attachment is also in the HTML copy: read the copy only without one.
  if (images === 0) {
    for (const body of html) for (const image of imagesIn(body)) add(image);
  }
  return found;
}

/** `<img>` tags of pasted images in a message's HTML copy (emoji are images too, and skipped). */
function imagesIn(html: string): ChatAttachment[] {
  const images: ChatAttachment[] = [];
  for (const match of html.matchAll(/<img\b[^>]*>/gi)) {
    const tag = match[0];
    if (/itemtype\s*=\s*"[^"]*Emoji/i.test(tag) || /\bclass\s*=\s*"[^"]*emoji/i.test(tag)) continue;
    const src = attribute(tag, 'src');
    if (!src || !/^https:\/\//i.test(src)) continue;
    images.push({ name: attribute(tag, 'alt') || 'image', url: src });
  }
  return images;
}

function attribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\b${name}\\s*=\\s*"([^"]*)"`, 'i').exec(tag);
  return match?.[1] !== undefined ? decodeEntities(match[1]).trim() : undefined;
}

function extensionOf(name: string | undefined): string | undefined {
  const dot = name?.lastIndexOf('.') ?? -1;
  return dot > 0 ? name!.slice(dot + 1) : undefined;
}

const MIME: Record<string, string> = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  txt: 'text/plain',
  log: 'text/plain',
  csv: 'text/csv',
  json: 'application/json',
  zip: 'application/zip',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
};

function mimeOf(fileType: string | undefined): string | undefined {
  return fileType ? MIME[fileType.toLowerCase()] : undefined;
}

/** Reads HTML as plain text: line breaks kept, tags dropped, entities decoded. */
export function htmlToText(html: string): string {
  return decodeEntities(
    html
      .replace(/<br\s*\/?>/gi, '\n')
      .replace(/<\/(p|div|li)>/gi, '\n')
      .replace(/<[^>]+>/g, ''),
  )
    .replace(/[ \t]+/g, ' ')
    .replace(/\n\s*\n+/g, '\n')
    .trim();
}

/** Named and numeric HTML entities (`;` required) decoded; a no-break space reads as a plain one. */
export function decodeEntities(text: string): string {
  return decodeHTMLStrict(text).replace(/\u00a0/g, ' ');
}
