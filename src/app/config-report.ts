/**
 * What start-up says about the configuration besides errors: variables that look like settings but
 * are not one (a typo is otherwise ignored in silence), and which database and queue are in use.
 */
import { isAbsolute } from 'node:path';
import { type Config, configSchema } from './config.ts';

/** Every setting the configuration reads; the schema is the only list. */
export const KNOWN_SETTINGS: readonly string[] = Object.keys(configSchema.shape).sort();

/** Variables starting with these are meant for this helpdesk, so an unknown one is a mistake. */
const PREFIXES = [
  'HELPDESK_',
  'DATABASE',
  'REDIS',
  'SLACK_',
  'MICROSOFT_',
  'TEAMS_',
  'OPENAI_',
  'AZURE_',
  'LLM_',
  'LOG_',
];

/** Kubernetes service links (`REDIS_PORT=tcp://…`, `REDIS_SERVICE_HOST`) are not settings. */
function isServiceLink(name: string, value: string | undefined): boolean {
  if (/_SERVICE_(HOST|PORT)(_|$)|_PORT_\d+_(TCP|UDP|SCTP)(_|$)/.test(name)) return true;
  return /_PORT$/.test(name) && /^(tcp|udp|sctp):\/\//.test(value ?? '');
}

/** Edit distance counting a swap of two neighbouring letters as one edit (LOG_LEVLE → LOG_LEVEL). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const row = d[i]!;
      const above = d[i - 1]!;
      row[j] = Math.min(above[j]! + 1, row[j - 1]! + 1, above[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        row[j] = Math.min(row[j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

export interface UnknownSetting {
  name: string;
  /** The known setting nearest by edit distance. */
  closest: string;
  /** Close enough to be a typo of it. */
  likelyTypo: boolean;
}

/**
 * Variables that are not settings but look meant as one: they carry one of the project's prefixes,
 * or they are a small typo away from a setting (DATABSE_URL). Ordinary variables (HOME, PATH) are not.
 */
export function unknownSettings(env: NodeJS.ProcessEnv): UnknownSetting[] {
  const found: UnknownSetting[] = [];
  for (const name of Object.keys(env).sort()) {
    if (KNOWN_SETTINGS.includes(name) || isServiceLink(name, env[name])) continue;
    let closest = KNOWN_SETTINGS[0]!;
    let distance = Number.POSITIVE_INFINITY;
    for (const known of KNOWN_SETTINGS) {
      const d = editDistance(name, known);
      if (d < distance) [closest, distance] = [known, d];
    }
    const likelyTypo = distance <= Math.max(1, Math.floor(Math.min(name.length, closest.length) / 4));
    const prefixed = PREFIXES.some((prefix) => name.startsWith(prefix));
    if (prefixed || (likelyTypo && name.length >= 6 && /^[A-Z][A-Z0-9_]*$/.test(name)))
      found.push({ name, closest, likelyTypo });
  }
  return found;
}

/** One line per unknown variable, naming the closest setting. */
export function unknownSettingWarning({ name, closest, likelyTypo }: UnknownSetting): string {
  return likelyTypo
    ? `${name} is not a setting and is ignored; did you mean ${closest}?`
    : `${name} is not a setting and is ignored (the closest is ${closest})`;
}

/** A connection URL safe to log: the password (also a password-like query parameter) masked. */
export function maskUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.password) url.password = '****';
    for (const key of [...url.searchParams.keys()])
      if (/pass|secret|token|key/i.test(key)) url.searchParams.set(key, '****');
    return url.toString();
  } catch {
    return '(not a URL)';
  }
}

/** Which database and queue this configuration uses, for the first log line. */
export function describeStorage(config: Pick<Config, 'DATABASE_URL' | 'DATA_DIR' | 'REDIS_URL'>): {
  database: string;
  queue: string;
} {
  const dir = config.DATA_DIR;
  const shown = isAbsolute(dir) || /^\.\.?\//.test(dir) ? dir : `./${dir}`;
  const database = config.DATABASE_URL ? maskUrl(config.DATABASE_URL) : `embedded PGlite at ${shown}`;
  const queue = config.REDIS_URL ? `BullMQ on ${maskUrl(config.REDIS_URL)}` : 'BullMQ on the same database';
  return { database, queue };
}
