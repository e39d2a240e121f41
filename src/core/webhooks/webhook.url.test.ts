import { describe, expect, it } from 'vitest';
import { checkWebhookUrl, DEFAULT_WEBHOOK_SETTINGS, isPrivateAddress } from './webhook.url.ts';

const resolver = (table: Record<string, string[]>) => async (host: string) => {
  const found = table[host];
  if (!found) throw new Error('ENOTFOUND');
  return found;
};
const dev = DEFAULT_WEBHOOK_SETTINGS;
const prod = { ...DEFAULT_WEBHOOK_SETTINGS, production: true };
const dns = resolver({ 'hooks.example.com': ['93.184.216.34'], 'intranet.example.com': ['10.1.2.3'] });

describe('webhook URL rules', () => {
  it('accepts public https, and plain http only to localhost outside production', async () => {
    expect((await checkWebhookUrl('https://hooks.example.com/x', dev, dns)).ok).toBe(true);
    expect((await checkWebhookUrl('http://localhost:8080/x', dev, dns)).ok).toBe(true);
    expect((await checkWebhookUrl('http://127.0.0.1:8080/x', dev, dns)).ok).toBe(true);
    expect(await checkWebhookUrl('http://localhost:8080/x', prod, dns)).toMatchObject({
      ok: false,
      reason: 'only https URLs are allowed',
    });
    expect((await checkWebhookUrl('http://hooks.example.com/x', dev, dns)).ok).toBe(false);
    expect((await checkWebhookUrl('ftp://hooks.example.com/x', dev, dns)).ok).toBe(false);
    expect((await checkWebhookUrl('https://user:pw@hooks.example.com/x', dev, dns)).ok).toBe(false);
  });

  it('refuses private targets, by address or by what a name resolves to, unless allowed', async () => {
    for (const url of [
      'https://10.0.0.1/',
      'https://172.20.1.1/',
      'https://169.254.169.254/',
      'https://[fd12::1]/',
    ]) {
      expect((await checkWebhookUrl(url, dev, dns)).ok, url).toBe(false);
    }
    // Loopback is a development convenience only.
    expect((await checkWebhookUrl('https://127.0.0.1/', prod, dns)).ok).toBe(false);
    expect((await checkWebhookUrl('https://[::1]/', prod, dns)).ok).toBe(false);
    expect(await checkWebhookUrl('https://intranet.example.com/hook', dev, dns)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('intranet.example.com is on a private network (10.1.2.3)'),
    });
    expect(
      (await checkWebhookUrl('https://intranet.example.com/', { ...dev, allowPrivate: 'all' }, dns)).ok,
    ).toBe(true);
    expect(
      (await checkWebhookUrl('https://intranet.example.com/', { ...dev, allowPrivate: ['10.1.0.0/16'] }, dns))
        .ok,
    ).toBe(true);
    expect(
      (await checkWebhookUrl('https://192.168.0.4/', { ...dev, allowPrivate: ['10.1.0.0/16'] }, dns)).ok,
    ).toBe(false);
    expect((await checkWebhookUrl('https://nowhere.invalid/', dev, dns)).ok).toBe(false);
  });

  it('sees an IPv4 address mapped into IPv6 as the IPv4 address', () => {
    expect(isPrivateAddress('::ffff:192.168.1.1')).toBe(true);
    expect(isPrivateAddress('::ffff:8.8.8.8')).toBe(false);
  });
});
