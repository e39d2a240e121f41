#!/usr/bin/env node
// The container health check: GET /healthz of the role this container runs. `serve` and `start`
// answer on PORT, `worker` on WORKER_HEALTH_PORT. The role is the first argument, or else read from
// PID 1's command line (the image's entrypoint: tini -- node bin/helpdesk.js <role>). Exit 0 healthy.
import { readFileSync } from 'node:fs';

function roleOfPid1() {
  try {
    const args = readFileSync('/proc/1/cmdline', 'utf8').split('\0');
    return args.find((arg) => ['serve', 'start', 'worker', 'migrate'].includes(arg));
  } catch {
    return undefined;
  }
}

const role = process.argv[2] ?? roleOfPid1() ?? 'serve';
if (role === 'migrate') process.exit(0);
const port = role === 'worker' ? (process.env.WORKER_HEALTH_PORT ?? '3001') : (process.env.PORT ?? '3000');
if (!port) {
  console.error(
    `healthcheck: no port for ${role} (set ${role === 'worker' ? 'WORKER_HEALTH_PORT' : 'PORT'})`,
  );
  process.exit(1);
}
try {
  const response = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(4000) });
  if (!response.ok) console.error(`healthcheck: ${role} on port ${port} answered ${response.status}`);
  process.exit(response.ok ? 0 : 1);
} catch (error) {
  console.error(`healthcheck: ${role} on port ${port}: ${error.cause?.code ?? error.message}`);
  process.exit(1);
}
