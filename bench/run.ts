/** `npm run bench [name]`: runs each bench/*.bench.ts in its own process; each prints JSON lines. */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const only = process.argv[2];
const files = readdirSync('bench')
  .filter((file) => file.endsWith('.bench.ts') && (!only || file.startsWith(only)))
  .sort();
let failed = 0;
for (const file of files) {
  const result = spawnSync('node', ['bin/run-ts.js', `bench/${file}`], {
    stdio: 'inherit',
    env: process.env,
  });
  if (result.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
