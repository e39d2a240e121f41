import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dataDir = mkdtempSync(join(tmpdir(), 'helpdesk-console-sla-'));
let child: ChildProcessWithoutNullStreams | undefined;

afterAll(() => {
  child?.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

/** Lines of the console's output with the time each arrived. */
function watch(process: ChildProcessWithoutNullStreams) {
  const lines: Array<{ at: number; text: string }> = [];
  let buffer = '';
  process.stdout.setEncoding('utf8');
  process.stdout.on('data', (chunk: string) => {
    buffer += chunk;
    const parts = buffer.split('\n');
    buffer = parts.pop() ?? '';
    for (const text of parts) lines.push({ at: Date.now(), text });
  });
  const waitFor = async (pattern: RegExp, timeoutMs = 60_000) => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const hit = lines.find((l) => pattern.test(l.text));
      if (hit) return hit;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(
      `no line matching ${pattern} within ${timeoutMs} ms:\n${lines.map((l) => l.text).join('\n')}`,
    );
  };
  return { lines, waitFor };
}

describe('SLA timers in the console (embedded mode, through the real CLI)', () => {
  it('with `sla P3 first-response 6s`, an unanswered P3 ticket gets one warning and then one breach on time', async () => {
    child = spawn('node', ['bin/helpdesk.js', 'chat', '--as', 'admin'], {
      env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn', DATABASE_URL: '', REDIS_URL: '' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out = watch(child);
    child.stdin.write('helpdesk sla P3 first-response 6s\n');
    await out.waitFor(/P3: first response 6s/, 90_000);
    child.stdin.write('/as alice\n');
    child.stdin.write('outlook keeps crashing every time I open an attachment\n');
    const filed = await out.waitFor(/filed ticket #1/);
    const card = await out.waitFor(/\[#triage\] \(c\d+\) 🤖 ┌ #1 · /);
    expect(card.text).toBeTruthy();

    const warning = await out.waitFor(/SLA warning: #1 /);
    const breach = await out.waitFor(/SLA breached: #1 .*no first response within 6s/);
    // The warning is due at 75 % (4.5 s), the breach at 6 s, both counted from filing; the ack is
    // printed a little after filing, so allow for that below and for a slow machine above.
    expect(warning.at - filed.at).toBeGreaterThan(3_000);
    expect(breach.at - filed.at).toBeGreaterThan(5_000);
    expect(breach.at).toBeGreaterThan(warning.at);
    expect(breach.at - filed.at).toBeLessThan(15_000);

    // Give retries and the reconciler a chance to double-post; nothing more may arrive.
    child.stdin.write('helpdesk show #1\n');
    await out.waitFor(/sla_breached|SLA breached/i);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const count = (pattern: RegExp) => out.lines.filter((l) => pattern.test(l.text)).length;
    expect(count(/SLA warning: #1 /)).toBe(1);
    // One breach post in the ticket's thread and one in the triage channel.
    expect(count(/🚨 SLA breached: #1 /)).toBe(2);
    child.stdin.end('/quit\n');
  }, 120_000);
});
