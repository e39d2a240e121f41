/**
 * Files and images on requests and replies. The bytes stay on the platform: a ticket keeps each
 * file's name, type, size and link (`ticket_attachments`), shows them on its card and in `show`,
 * and relays them as links between the requester and the triage thread.
 */
import type { ChatAttachment, Platform } from '../chat/chat.ts';
import type { DbOrTx, Tx } from '../db.ts';

/** At most this many files of one message are kept (a message with more is rare and odd). */
export const MAX_ATTACHMENTS_PER_MESSAGE = 10;
export const MAX_ATTACHMENT_NAME = 200;
export const MAX_ATTACHMENT_URL = 2000;

export interface StoredAttachment {
  /** Where the file lives (its link opens for members of that workspace or tenant). */
  platform: Platform;
  name: string;
  contentType: string | null;
  size: number | null;
  url: string;
}

/** What is kept of a message's files: named, bounded, links only when they are http(s). */
export function keptAttachments(
  platform: Platform,
  attachments: readonly ChatAttachment[] | undefined,
): StoredAttachment[] {
  return (attachments ?? []).slice(0, MAX_ATTACHMENTS_PER_MESSAGE).map((file) => {
    const url =
      file.url && /^https?:\/\//i.test(file.url) && file.url.length <= MAX_ATTACHMENT_URL ? file.url : '';
    const size =
      typeof file.size === 'number' && Number.isFinite(file.size) && file.size >= 0
        ? Math.round(file.size)
        : null;
    return {
      platform,
      name: (file.name.replace(/[\r\n\t]+/g, ' ').trim() || 'file').slice(0, MAX_ATTACHMENT_NAME),
      contentType: file.contentType?.slice(0, 100) || null,
      size,
      url,
    };
  });
}

/** Records a message's files on the ticket; the same link twice is one row. */
export async function addAttachments(
  tx: Tx,
  input: {
    ticketId: number;
    addedBy: number | null;
    files: readonly StoredAttachment[];
    visibility?: 'public' | 'internal';
  },
): Promise<void> {
  if (input.files.length === 0) return;
  await tx
    .insertInto('ticket_attachments')
    .values(
      input.files.map((file) => ({
        ticket_id: input.ticketId,
        platform: file.platform,
        name: file.name,
        content_type: file.contentType,
        size_bytes: file.size,
        url: file.url,
        added_by: input.addedBy,
        visibility: input.visibility ?? 'public',
      })),
    )
    .onConflict((oc) => oc.columns(['ticket_id', 'platform', 'url', 'name']).doNothing())
    .execute();
}

/** A ticket's files, oldest first; internal ones (on notes) only for agents. */
export async function attachmentsOf(
  db: DbOrTx,
  ticketId: number,
  includeInternal = false,
): Promise<StoredAttachment[]> {
  let query = db
    .selectFrom('ticket_attachments')
    .select(['platform', 'name', 'content_type', 'size_bytes', 'url'])
    .where('ticket_id', '=', ticketId)
    .orderBy('id');
  if (!includeInternal) query = query.where('visibility', '=', 'public');
  const rows = await query.execute();
  return rows.map((row) => ({
    platform: row.platform as Platform,
    name: row.name,
    contentType: row.content_type,
    size: row.size_bytes,
    url: row.url,
  }));
}

/** `120 KB`, `3.4 MB`: the size as a person reads it. */
export function readableSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

/** What a file is, besides its name: `PNG image, 120 KB`. */
export function attachmentDetail(file: StoredAttachment): string | undefined {
  const parts: string[] = [];
  if (file.contentType) parts.push(file.contentType);
  if (file.size !== null) parts.push(readableSize(file.size));
  return parts.length > 0 ? parts.join(', ') : undefined;
}

/** One line per file for plain text (relays, fallbacks): `📎 name (image/png, 12 KB) https://…`. */
export function attachmentLines(files: readonly StoredAttachment[]): string {
  return files
    .map((file) => {
      const detail = attachmentDetail(file);
      return `📎 ${file.name}${detail ? ` (${detail})` : ''}${file.url ? ` ${file.url}` : ''}`;
    })
    .join('\n');
}

/** Message text followed by its files' lines, for relaying a message that carried files. */
export function withAttachmentLines(text: string, files: readonly StoredAttachment[]): string {
  const lines = attachmentLines(files);
  if (!lines) return text;
  return text ? `${text}\n${lines}` : lines;
}
