/**
 * Reads knowledge-base articles from a Markdown folder (or file), JSONL or CSV and upserts them by a
 * stable id. A malformed row is reported and skipped; every other row still lands.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join, relative } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { parse as parseYaml } from 'yaml';
import type { DbOrTx } from '../db.ts';
import { type ArticleInput, slugify, upsertArticle } from './kb.repository.ts';

export type ImportItem =
  | { ok: true; article: ArticleInput; where: string }
  | { ok: false; where: string; reason: string };

export interface ImportSummary {
  imported: number;
  updated: number;
  unchanged: number;
  skipped: Array<{ where: string; reason: string }>;
}

const MARKDOWN = new Set(['.md', '.markdown']);

/** Parses everything at `path` into import items without touching the database. */
export async function readArticles(path: string, source?: string): Promise<ImportItem[]> {
  const info = await stat(path);
  if (info.isDirectory()) {
    const files = (await listFiles(path)).filter((f) => MARKDOWN.has(extname(f).toLowerCase())).sort();
    const items: ImportItem[] = [];
    for (const file of files) {
      const id = relative(path, file)
        .replace(/\\/g, '/')
        .replace(/\.(md|markdown)$/i, '');
      items.push(parseMarkdown(await readFile(file, 'utf8'), id, relative(path, file), source ?? 'markdown'));
    }
    return items;
  }
  const content = await readFile(path, 'utf8');
  const ext = extname(path).toLowerCase();
  const name = path.split(/[\\/]/).pop() ?? path;
  if (ext === '.jsonl' || ext === '.ndjson') return parseJsonl(content, name, source ?? name);
  if (ext === '.csv') return parseCsvArticles(content, name, source ?? name);
  if (MARKDOWN.has(ext))
    return [parseMarkdown(content, name.replace(/\.(md|markdown)$/i, ''), name, source ?? 'markdown')];
  throw new Error(
    `unsupported file type ${ext || '(none)'}: expected a Markdown folder, .md, .jsonl or .csv`,
  );
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(full)));
    else out.push(full);
  }
  return out;
}

/** Title from front matter or the first heading; the heading itself is not repeated in the body. */
export function parseMarkdown(
  content: string,
  fallbackId: string,
  where: string,
  source: string,
): ImportItem {
  let text = content.replace(/^\uFEFF/, '');
  let meta: Record<string, unknown> = {};
  const front = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/.exec(text);
  if (front) {
    try {
      const parsed = parseYaml(front[1] ?? '');
      if (parsed && typeof parsed === 'object') meta = parsed as Record<string, unknown>;
    } catch (error) {
      return {
        ok: false,
        where,
        reason: `front matter is not valid YAML (${(error as Error).message.split('\n')[0]})`,
      };
    }
    text = text.slice(front[0].length);
  }
  let title = typeof meta.title === 'string' ? meta.title.trim() : '';
  if (!title) {
    const heading = /^#{1,6}\s+(.+?)\s*#*\s*$/m.exec(text);
    if (heading) {
      title = heading[1]!.trim();
      text = text.replace(heading[0], '');
    }
  }
  return toItem(
    {
      id: meta.id,
      title,
      body: text.trim(),
      tags: meta.tags,
      url: meta.url,
      status: meta.status,
    },
    fallbackId,
    where,
    source,
  );
}

export function parseJsonl(content: string, name: string, source: string): ImportItem[] {
  const items: ImportItem[] = [];
  content.split(/\r?\n/).forEach((line, index) => {
    if (!line.trim()) return;
    const where = `${name}:${index + 1}`;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      items.push({ ok: false, where, reason: 'not valid JSON' });
      return;
    }
    if (!row || typeof row !== 'object' || Array.isArray(row)) {
      items.push({ ok: false, where, reason: 'not a JSON object' });
      return;
    }
    items.push(fromRecord(row as Record<string, unknown>, where, source));
  });
  return items;
}

export function parseCsvArticles(content: string, name: string, source: string): ImportItem[] {
  const items: ImportItem[] = [];
  const records = parseCsv(content, {
    columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
    skip_empty_lines: true,
    relax_quotes: false,
    skip_records_with_error: true,
    info: true,
    on_skip: (error: { message: string; lines?: number } | undefined) => {
      if (error) items.push({ ok: false, where: `${name}:${error.lines ?? '?'}`, reason: error.message });
    },
  }) as Array<{ record: Record<string, unknown>; info: { lines: number } }>;
  for (const { record, info } of records) items.push(fromRecord(record, `${name}:${info.lines}`, source));
  return items.sort((a, b) => lineOf(a.where) - lineOf(b.where));
}

function lineOf(where: string): number {
  return Number(where.split(':').pop()) || 0;
}

function fromRecord(r: Record<string, unknown>, where: string, source: string): ImportItem {
  const pageTitle = str(r.page_title);
  const section = str(r.section_title);
  const title =
    str(r.title) ||
    str(r.h1) ||
    str(r.name) ||
    [pageTitle, section].filter(Boolean).join(': ') ||
    str(r.subject);
  const body = str(r.body) || str(r.body_markdown) || str(r.content) || str(r.text) || str(r.description);
  const tags = r.tags ?? r.keywords ?? (r.product_area ? [r.product_area] : undefined);
  return toItem({ id: r.id, title, body, tags, url: r.url ?? r.link, status: r.status }, '', where, source);
}

function toItem(
  raw: { id: unknown; title: string; body: string; tags: unknown; url: unknown; status: unknown },
  fallbackId: string,
  where: string,
  source: string,
): ImportItem {
  if (!raw.title)
    return { ok: false, where, reason: 'no title (front matter, first heading or title field)' };
  if (!raw.body) return { ok: false, where, reason: 'empty body' };
  const status = str(raw.status);
  if (status && status !== 'published' && status !== 'draft')
    return { ok: false, where, reason: `unknown status "${status}"` };
  const id = str(raw.id) || fallbackId || slugify(raw.title);
  return {
    ok: true,
    where,
    article: {
      id: id.slice(0, 300),
      title: raw.title.slice(0, 300),
      body: raw.body,
      tags: normaliseTags(raw.tags),
      url: str(raw.url) || null,
      status: (status || 'published') as 'published' | 'draft',
      source,
    },
  };
}

function str(value: unknown): string {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number') return String(value);
  return '';
}

function normaliseTags(value: unknown): string[] {
  const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[,;|]/) : [];
  return [...new Set(list.map((t) => String(t).trim().toLowerCase()).filter(Boolean))].slice(0, 20);
}

/** Upserts the good items one by one (one bad row never rolls back the others) and counts outcomes. */
export async function importArticles(
  db: DbOrTx,
  items: ImportItem[],
  now: Date,
  onProgress?: (done: number, total: number) => void,
): Promise<ImportSummary> {
  const summary: ImportSummary = { imported: 0, updated: 0, unchanged: 0, skipped: [] };
  const seen = new Set<string>();
  for (const [index, item] of items.entries()) {
    if (!item.ok) summary.skipped.push({ where: item.where, reason: item.reason });
    else if (seen.has(item.article.id)) {
      summary.skipped.push({ where: item.where, reason: `duplicate id "${item.article.id}" in this import` });
    } else {
      seen.add(item.article.id);
      try {
        summary[await upsertArticle(db, item.article, now)] += 1;
      } catch (error) {
        summary.skipped.push({ where: item.where, reason: (error as Error).message });
      }
    }
    onProgress?.(index + 1, items.length);
  }
  return summary;
}
