#!/usr/bin/env node
// Runs the TypeScript sources through tsx in a checkout, or the compiled build in an image without sources.
import { existsSync } from 'node:fs';

const source = new URL('../src/app/cli.ts', import.meta.url);
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(source.href);
} else {
  await import(new URL('../dist/src/app/cli.js', import.meta.url).href);
}
