import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pngSize, validateManifest } from '../../scripts/teams-package.ts';

const APP_ID = '3f1c2b4a-5d6e-4f70-8a9b-0c1d2e3f4a5b';
let dir: string;

function runPackager(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      ['bin/run-ts.js', 'scripts/teams-package.ts', ...args],
      { env: { ...process.env, ...env }, cwd: process.cwd() },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** The alpha channel of every pixel of an 8-bit RGBA, unfiltered PNG (what our encoder writes). */
function alphas(png: Buffer): number[] {
  const { width, height } = pngSize(png);
  let offset = 8;
  const idat: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    if (png.toString('latin1', offset + 4, offset + 8) === 'IDAT')
      idat.push(png.subarray(offset + 8, offset + 8 + length));
    offset += length + 12;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const result: number[] = [];
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) result.push(raw[y * (width * 4 + 1) + 1 + x * 4 + 3]!);
  return result;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'teams-package-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('npm run teams:package', () => {
  it('builds a zip whose manifest, filled with MICROSOFT_APP_ID, passes the Teams manifest schema', async () => {
    const out = join(dir, 'helpdesk-teams.zip');
    const result = await runPackager(['--out', out, '--version', '1.2.3'], { MICROSOFT_APP_ID: APP_ID });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);

    const zip = await JSZip.loadAsync(await readFile(out));
    expect(Object.keys(zip.files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    const manifest = JSON.parse(await zip.file('manifest.json')!.async('string'));
    expect(validateManifest(manifest)).toEqual([]);
    expect(manifest).toMatchObject({ id: APP_ID, version: '1.2.3', manifestVersion: '1.24' });
    expect(manifest.bots[0]).toMatchObject({ botId: APP_ID, scopes: ['personal', 'team', 'groupChat'] });
    expect(manifest.composeExtensions[0].commands[0]).toMatchObject({
      id: 'fileTicket',
      title: 'File IT ticket',
      context: ['message'],
    });
    expect(JSON.stringify(manifest)).not.toContain('{{');

    const color = await zip.file('color.png')!.async('nodebuffer');
    const outline = await zip.file('outline.png')!.async('nodebuffer');
    expect(pngSize(color)).toEqual({ width: 192, height: 192 });
    expect(pngSize(outline)).toEqual({ width: 32, height: 32 });
    expect(alphas(outline)).toContain(0);
    expect(alphas(color).every((alpha) => alpha === 255)).toBe(true);
  });

  it('refuses an app id that is not a GUID, naming MICROSOFT_APP_ID', async () => {
    const result = await runPackager(['--out', join(dir, 'bad.zip')], { MICROSOFT_APP_ID: 'not-a-guid' });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/MICROSOFT_APP_ID/);
  });

  it('reports schema violations in a manifest', () => {
    const errors = validateManifest({
      manifestVersion: '1.24',
      id: 'not-a-guid',
      bots: [{ scopes: ['everywhere'] }],
    } as never);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.join('\n')).toMatch(/\/id|required/);
  });
});
