/**
 * The fault suite (issue 13): `npm run bench faults [scenario…]` runs each scenario of
 * test/support/faults.ts against a Postgres and a Redis of its own, with real `helpdesk serve` and
 * `helpdesk worker` processes and the fake Slack Web API, and prints one JSON line per scenario.
 * FAULTS_ONLY=postgres-restart,redis-outage runs only those. Progress goes to stderr.
 */
import { runFaults } from '../test/support/faults.ts';

const only = (process.env.FAULTS_ONLY ?? '')
  .split(',')
  .map((name) => name.trim())
  .filter(Boolean);
const results = await runFaults({
  only,
  log: (line) => process.stderr.write(`faults: ${line}\n`),
  onResult: (figures) => process.stdout.write(`${JSON.stringify(figures)}\n`),
});
const failed = results.filter(
  (r) => r.lost > 0 || r.doubled > 0 || r.deliveries_doubled > 0 || !r.processes_running,
);
process.exit(failed.length ? 1 : 0);
