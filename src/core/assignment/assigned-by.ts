/** How an automatic assignment chose, as the timeline and the triage thread say it. */

export type AssignedBy = 'round-robin' | 'load' | 'skills' | 'on-call';

/** "by round-robin", "by skills (network)", "by load (nobody with network skills is available)". */
export function byText(after: { by?: unknown; category?: unknown; fallback?: unknown }): string {
  const by = String(after.by);
  if (after.fallback === true && typeof after.category === 'string')
    return `by ${by} (nobody with ${after.category} skills is available)`;
  if (by === 'skills' && typeof after.category === 'string') return `by skills (${after.category})`;
  return `by ${by}`;
}
