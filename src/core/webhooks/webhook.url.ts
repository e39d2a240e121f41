/**
 * Which URLs a webhook may point at: https anywhere public; plain http only to localhost outside
 * production; private networks (and names resolving to them) only where WEBHOOK_ALLOW_PRIVATE says.
 * Checked when a webhook is added and again before every delivery (DNS may have changed).
 */
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import type { WebhookSettings } from '../config.ts';

export const DEFAULT_WEBHOOK_SETTINGS: WebhookSettings = {
  timeoutMs: 5000,
  disableAfterDays: 3,
  allowPrivate: [],
  production: false,
};

/** Private, loopback, link-local and otherwise non-public ranges. */
const PRIVATE_RANGES: Array<[string, number, 'ipv4' | 'ipv6']> = [
  ['0.0.0.0', 8, 'ipv4'],
  ['10.0.0.0', 8, 'ipv4'],
  ['100.64.0.0', 10, 'ipv4'],
  ['127.0.0.0', 8, 'ipv4'],
  ['169.254.0.0', 16, 'ipv4'],
  ['172.16.0.0', 12, 'ipv4'],
  ['192.168.0.0', 16, 'ipv4'],
  ['::', 128, 'ipv6'],
  ['::1', 128, 'ipv6'],
  ['fc00::', 7, 'ipv6'],
  ['fe80::', 10, 'ipv6'],
];

const privateNetworks = new BlockList();
for (const [address, prefix, family] of PRIVATE_RANGES) privateNetworks.addSubnet(address, prefix, family);

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Parses `10.0.0.0/8`-style CIDR entries; returns the first bad one as an error message. */
export function parseCidrs(
  entries: readonly string[],
): { ok: true; list: BlockList } | { ok: false; bad: string } {
  const list = new BlockList();
  for (const entry of entries) {
    const [address = '', bits = ''] = entry.split('/');
    const family = isIP(address);
    const prefix = Number(bits);
    const max = family === 6 ? 128 : 32;
    if (!family || !/^\d+$/.test(bits) || prefix > max) return { ok: false, bad: entry };
    list.addSubnet(address, prefix, family === 6 ? 'ipv6' : 'ipv4');
  }
  return { ok: true, list };
}

function familyOf(address: string): 'ipv4' | 'ipv6' {
  return isIP(address) === 6 ? 'ipv6' : 'ipv4';
}

/** An IPv4 address in IPv6 clothing (::ffff:10.0.0.1) is checked as the IPv4 address it is. */
function unmapped(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped?.[1] ?? address;
}

export function isPrivateAddress(address: string): boolean {
  const plain = unmapped(address);
  return privateNetworks.check(plain, familyOf(plain));
}

export type UrlCheck = { ok: true; url: URL } | { ok: false; reason: string };

type Resolver = (host: string) => Promise<string[]>;
const resolveAll: Resolver = async (host) =>
  (await lookup(host, { all: true })).map((entry) => entry.address);

/** Whether `raw` may receive webhook deliveries under `settings`; resolves the host name. */
export async function checkWebhookUrl(
  raw: string,
  settings: WebhookSettings = DEFAULT_WEBHOOK_SETTINGS,
  resolve: Resolver = resolveAll,
): Promise<UrlCheck> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'that is not a URL (expected https://…)' };
  }
  if (url.username || url.password) return { ok: false, reason: 'a webhook URL may not contain credentials' };
  const host = url.hostname.toLowerCase();
  const loopbackDev = !settings.production && LOOPBACK_NAMES.has(host);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopbackDev)) {
    return {
      ok: false,
      reason: settings.production
        ? 'only https URLs are allowed'
        : 'only https URLs are allowed (plain http only to localhost or 127.0.0.1 outside production)',
    };
  }
  if (loopbackDev || settings.allowPrivate === 'all') return { ok: true, url };
  const bare = host.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = isIP(bare) ? [bare] : await resolve(bare);
  } catch {
    return { ok: false, reason: `the host ${host} does not resolve` };
  }
  const allowed = parseCidrs(settings.allowPrivate);
  for (const address of addresses) {
    if (!isPrivateAddress(address)) continue;
    const plain = unmapped(address);
    if (allowed.ok && allowed.list.check(plain, familyOf(plain))) continue;
    return {
      ok: false,
      reason: `${host} is on a private network (${address}); WEBHOOK_ALLOW_PRIVATE must allow it`,
    };
  }
  return { ok: true, url };
}
