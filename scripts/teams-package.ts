/**
 * Builds the Teams app package an admin uploads: fills the placeholders in
 * manifests/teams/manifest.json, validates the result against the Teams manifest JSON schema that
 * ships in @microsoft/app-manifest (offline), and zips it with the two icons.
 *
 *   npm run teams:package -- [--app-id <guid>] [--teams-app-id <guid>] [--version 1.0.0]
 *     [--name Helpdesk] [--developer "Contoso IT"] [--website URL] [--privacy URL] [--terms URL]
 *     [--out manifests/teams/build/helpdesk-teams.zip]
 *   npm run teams:package -- --write-icons     (re-draws color.png and outline.png)
 *
 * The bot id defaults to MICROSOFT_APP_ID from the app configuration.
 */
import { readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { deflateSync } from 'node:zlib';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import JSZip from 'jszip';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const MANIFEST_DIR = join(ROOT, 'manifests/teams');
const DEFAULT_OUT = join(MANIFEST_DIR, 'build/helpdesk-teams.zip');
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface PackageOptions {
  appId: string;
  teamsAppId?: string | undefined;
  version?: string | undefined;
  name?: string | undefined;
  developer?: string | undefined;
  website?: string | undefined;
  privacy?: string | undefined;
  terms?: string | undefined;
  out?: string | undefined;
}

export class PackageError extends Error {}

/** Fills, validates and zips the manifest; returns the zip path and the filled manifest. */
export async function buildTeamsPackage(options: PackageOptions): Promise<{ path: string; manifest: any }> {
  if (!GUID.test(options.appId)) {
    throw new PackageError(
      `Invalid MICROSOFT_APP_ID: expected the bot's Microsoft Entra app id (a GUID), got ${JSON.stringify(options.appId)}`,
    );
  }
  const teamsAppId = options.teamsAppId ?? options.appId;
  if (!GUID.test(teamsAppId))
    throw new PackageError(`Invalid --teams-app-id: expected a GUID, got ${teamsAppId}`);
  const website = options.website ?? 'https://github.com/helpdesk/helpdesk';
  const values: Record<string, string> = {
    MICROSOFT_APP_ID: options.appId,
    TEAMS_APP_ID: teamsAppId,
    APP_VERSION: options.version ?? packageVersion(),
    APP_NAME: options.name ?? 'Helpdesk',
    DEVELOPER_NAME: options.developer ?? 'Helpdesk',
    DEVELOPER_WEBSITE_URL: website,
    DEVELOPER_PRIVACY_URL: options.privacy ?? `${website}#privacy`,
    DEVELOPER_TERMS_URL: options.terms ?? `${website}#terms`,
  };
  const template = await readFile(join(MANIFEST_DIR, 'manifest.json'), 'utf8');
  const manifest = JSON.parse(fillPlaceholders(template, values));
  const errors = validateManifest(manifest);
  if (errors.length > 0)
    throw new PackageError(`manifest.json does not match the Teams schema:\n  ${errors.join('\n  ')}`);

  const zip = new JSZip();
  zip.file('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`);
  for (const [file, size] of [
    ['color.png', 192],
    ['outline.png', 32],
  ] as const) {
    const png = await readFile(join(MANIFEST_DIR, file));
    const { width, height } = pngSize(png);
    if (width !== size || height !== size)
      throw new PackageError(`${file} must be ${size}x${size}, is ${width}x${height}`);
    zip.file(file, png);
  }
  const path = resolve(options.out ?? DEFAULT_OUT);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
  return { path, manifest };
}

/** Replaces `{{NAME}}`; JSON-escapes values so a quote in a name cannot break the file. */
export function fillPlaceholders(template: string, values: Record<string, string>): string {
  const filled = template.replace(/\{\{([A-Z0-9_]+)\}\}/g, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) throw new PackageError(`manifest.json uses an unknown placeholder ${whole}`);
    return JSON.stringify(value).slice(1, -1);
  });
  return filled;
}

/** Validates against the schema of the manifest's own `manifestVersion`, from @microsoft/app-manifest. */
export function validateManifest(manifest: { manifestVersion?: string }): string[] {
  const schema = teamsSchema(manifest.manifestVersion ?? '');
  const ajv = new Ajv({ allErrors: true, strict: false });
  (addFormatsModule as unknown as (ajv: Ajv) => void)(ajv);
  const validate = ajv.compile(schema);
  if (validate(manifest)) return [];
  return (validate.errors ?? []).map(
    (error) => `${error.instancePath || '/'} ${error.message ?? 'is invalid'}`,
  );
}

export function teamsSchema(version: string): object {
  const require = createRequire(import.meta.url);
  const packageDir = dirname(require.resolve('@microsoft/app-manifest/package.json'));
  const file = join(packageDir, 'build/json-schemas/teams', `v${version}`, 'MicrosoftTeams.schema.json');
  const schema = JSON.parse(readFileSync(file, 'utf8'));
  // The published schemas declare draft-04 but use nothing Ajv's default dialect reads differently.
  delete schema.$schema;
  return schema;
}

function packageVersion(): string {
  return JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
}

export function pngSize(png: Buffer): { width: number; height: number } {
  if (png.subarray(1, 4).toString('latin1') !== 'PNG') throw new PackageError('not a PNG file');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

// --- icons: a tiny RGBA PNG encoder, so the icons are reproducible without an image editor ---

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** Encodes `size`x`size` RGBA pixels from `pixel(x, y)` as a PNG. */
export function encodePng(
  size: number,
  pixel: (x: number, y: number) => [number, number, number, number],
): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit, RGBA, deflate, no filter method, no interlace
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    for (let x = 0; x < size; x++) raw.set(pixel(x, y), y * (size * 4 + 1) + 1 + x * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A lifebuoy: a ring with four bands, white on the accent colour (color) or on nothing (outline). */
function lifebuoy(size: number, x: number, y: number): 'ring' | 'band' | 'none' {
  const c = (size - 1) / 2;
  const dx = x - c;
  const dy = y - c;
  const r = Math.hypot(dx, dy) / (size / 2);
  if (r < 0.42 || r > 0.8) return 'none';
  const angle = ((Math.atan2(dy, dx) * 180) / Math.PI + 360) % 90;
  return angle > 30 && angle < 60 ? 'band' : 'ring';
}

export function drawIcons(): { color: Buffer; outline: Buffer } {
  const accent: [number, number, number, number] = [0x2e, 0x5a, 0xac, 255];
  const color = encodePng(192, (x, y) => {
    const part = lifebuoy(192, x, y);
    if (part === 'ring') return [255, 255, 255, 255];
    if (part === 'band') return [0xe8, 0x4a, 0x3c, 255];
    return accent;
  });
  // Teams requires the outline icon to be white on a transparent background.
  const outline = encodePng(32, (x, y) =>
    lifebuoy(32, x, y) === 'ring' ? [255, 255, 255, 255] : [255, 255, 255, 0],
  );
  return { color, outline };
}

function parseArgs(argv: string[]): Record<string, string | true> {
  const args: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new PackageError(`unexpected argument ${arg}`);
    const next = argv[i + 1];
    if (next === undefined || next.startsWith('--')) args[arg.slice(2)] = true;
    else {
      args[arg.slice(2)] = next;
      i++;
    }
  }
  return args;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const text = (name: string) => (typeof args[name] === 'string' ? (args[name] as string) : undefined);
  if (args['write-icons']) {
    const { color, outline } = drawIcons();
    await writeFile(join(MANIFEST_DIR, 'color.png'), color);
    await writeFile(join(MANIFEST_DIR, 'outline.png'), outline);
    console.log('wrote manifests/teams/color.png (192x192) and outline.png (32x32)');
    return;
  }
  // The bot id comes from the app configuration (the only reader of the environment).
  const { loadConfig } = await import('../src/app/config.ts');
  const appId = text('app-id') ?? loadConfig().MICROSOFT_APP_ID;
  const { path } = await buildTeamsPackage({
    appId,
    teamsAppId: text('teams-app-id'),
    version: text('version'),
    name: text('name'),
    developer: text('developer'),
    website: text('website'),
    privacy: text('privacy'),
    terms: text('terms'),
    out: text('out'),
  });
  console.log(
    `Teams app package: ${path}\nUpload it in Teams (Apps → Manage your apps → Upload an app) or the Teams admin center.`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof PackageError ? error.message : error);
    process.exit(1);
  });
}
