/** Stats as chat text: one compact block that reads the same in Slack, Teams and the console. */

import { PRIORITIES } from '../tickets/ticket.ts';
import { formatDuration } from '../timers/duration.ts';
import type { Compliance, StatsReport } from './stats.service.ts';

const pct = (value: number | null) => (value === null ? '—' : `${Math.round(value * 100)}%`);
const time = (ms: number | null) =>
  ms === null ? '—' : formatDuration(Math.round(ms / 60_000) * 60_000 || 1000);
const ratio = (c: Compliance) => (c.total === 0 ? '—' : `${pct(c.met / c.total)} (${c.met}/${c.total})`);

export function formatStats(report: StatsReport, title: string): string {
  const lines = [
    `📊 ${title}`,
    `Tickets: ${report.opened} opened, ${report.resolved} resolved`,
    `Median first response: ${time(report.medianFirstResponseMs)} · median resolution: ${time(report.medianResolutionMs)}`,
    'SLA met (first response / resolution):',
    ...PRIORITIES.map(
      (p) =>
        `  ${p}: ${ratio(report.compliance[p].firstResponse)} / ${ratio(report.compliance[p].resolution)}`,
    ),
    `Deflection: ${report.deflection.fixedByKb} fixed by the knowledge base vs ${report.deflection.filed} filed (${pct(report.deflection.rate)})`,
    `CSAT: ${report.csat.average === null ? '—' : report.csat.average.toFixed(1)} / 5 from ${report.csat.count} rating${report.csat.count === 1 ? '' : 's'}`,
    `Top categories: ${report.topCategories.map((c) => `${c.category} ${c.count}`).join(', ') || '—'}`,
  ];
  if (report.knowledgeGaps.length) {
    lines.push('Knowledge gaps (asked, no article helped):');
    for (const gap of report.knowledgeGaps) {
      const asked = gap.exampleCount > 1 ? `most asked ×${gap.exampleCount}:` : 'e.g.';
      lines.push(`  ${gap.category} ×${gap.count} — ${asked} “${gap.example.slice(0, 80)}”`);
    }
  }
  return lines.join('\n');
}
