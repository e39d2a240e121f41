/**
 * The English catalogue: every fixed text the helpdesk says, and the shape every other language
 * follows. A key used anywhere must be here (the compiler checks); other languages may lack a key,
 * which then falls back to this text. Parameterised texts are functions of plain values.
 */
import type { Role } from '../people/people.table.ts';
import type { Priority, TicketStatus } from '../tickets/ticket.ts';
import type { Language } from './languages.ts';

const LANGUAGE_NAMES: Record<Language, string> = {
  en: 'English',
  de: 'German',
  fr: 'French',
  es: 'Spanish',
  pt: 'Portuguese',
};

const aRole = (role: Role) => (role === 'requester' ? 'a requester' : `an ${role}`);
const plural = (count: number, one: string, many: string) => (count === 1 ? one : many);

/** Texts a requester reads: the completeness test fails when a language lacks one of these. */
const requester = {
  ackFiled: (t: { number: number; title: string; priority: Priority; category: string }) =>
    `Thanks, I've filed ticket #${t.number}: "${t.title}" (${t.priority}, ${t.category}). The IT team will reply here.`,
  ackFiledFiles: (t: { number: number; count: number; names: string }) =>
    `Thanks, I've filed ticket #${t.number} with your ${plural(t.count, 'file', 'files')} (${t.names}). What's wrong? Reply here with a few words so the IT team can help faster.`,
  addedToTicket: (number: number) => `📎 Added to your ticket #${number}; it is open again.`,
  clarifyMore:
    'Could you tell me a bit more? Which device or app is it, what were you trying to do, and what happened?',
  clarifyUnsure:
    "I'm not sure what this is about yet. Is it an account or password, a device, an app, the network or VPN, e-mail or calendar, a printer, or something else? A few words on what happened help.",
  chatterThanks: "You're welcome! 🙂 Message me any time something's not right.",
  chatterHello:
    "Hi! 👋 Tell me what's wrong or what you need, and I'll find an answer or file a ticket for IT.",
  unreadable: "I couldn't read that message, so I couldn't file it.",
  describeProblem: 'Describe what is wrong so the IT team can help.',
  ackFiledAwaiting: (t: { number: number; title: string; category: string }) =>
    `Thanks, I've filed your request #${t.number}: "${t.title}" (${t.category}). It needs approval first; I'll tell you here when it is decided.`,
  repeatedCommand: 'You sent this a moment ago, so I am answering that one rather than doing it twice.',
  // The knowledge answer and its buttons.
  answerTitle: 'This might help',
  answerSources: 'Sources',
  answerFixedButton: 'That fixed it',
  answerMoreHelpButton: 'I still need help',
  answerFixedTitle: '✅ Glad that fixed it',
  answerFiledTitle: (number: number) => `🎫 Filed ticket #${number} for you`,
  answerFrom: (title: string) => `From “${title}”:`,
  articleIn: (language: Language) => `This article is in ${LANGUAGE_NAMES[language]}.`,
  answerGone: "I couldn't find that answer any more.",
  answerGoneDescribe: "I couldn't find that answer any more; please describe the problem again.",
  answerNotYoursFixed: 'Only the person who asked can say whether it helped.',
  answerNotYoursMore: 'Only the person who asked can ask for more help on this answer.',
  answerAlreadyFiled: 'A ticket was already filed for this.',
  answerAlreadyOpen: 'A ticket is already open for this.',
  answerNotedAlready: 'Noted already. 👍',
  answerGlad: 'Glad that fixed it! 🎉 Message me any time.',
  // Satisfaction survey.
  csatAsk: (number: number) => `How did we do on #${number}?`,
  csatAskBody: 'Rate the help you got, from 1 (poor) to 5 (great).',
  csatAskText: (number: number) => `How did we do on #${number}? Rate 1 (poor) to 5 (great).`,
  csatRated: (number: number, score: number) => `Thanks — you rated #${number} ${score}/5`,
  csatRatedBody: 'Changed your mind? Pick another rating.',
  csatThanks: (number: number, stars: string) => `Thanks for rating #${number} ${stars}.`,
  // Status notices to the requester.
  noticeClaimed: (name: string, number: number) => `${name} from IT is looking at your ticket #${number}.`,
  noticeReply: (name: string, number: number, said: string) => `💬 ${name} (IT) on #${number}: ${said}`,
  noticePending: (number: number, text: string | undefined) =>
    `⏳ IT is waiting on you for #${number}${text ? `: ${text}` : '.'} Reply here to continue.`,
  noticeResolved: (number: number, name: string, resolution: string | null) =>
    `✅ Ticket #${number} was resolved by ${name}${resolution ? `: ${resolution}` : '.'}\nIf it is not fixed, just reply here and it reopens.`,
  noticeAutoResolved: (number: number) =>
    `✅ Ticket #${number} was resolved automatically because we did not hear back. If you still need help, just reply here and it reopens.`,
  noticeReopened: (number: number) => `🔁 Ticket #${number} is open again.`,
  noticeClosed: (number: number) => `🔒 Ticket #${number} is closed.`,
  noticeNudge: (number: number, title: string, wait: string) =>
    `👋 IT is still waiting on your reply for #${number} “${title}”. Reply here to continue; if we don't hear back within ${wait}, the ticket will be resolved automatically.`,
  // A required form field the request lacks, asked in the requester's thread.
  formQuestion: (number: number, field: string, options: string[] | null) =>
    `📝 One more thing for #${number}: what is the ${field}${options ? ` (one of: ${options.join(', ')})` : ''}? Reply here, or say "skip".`,
  formNotAnOption: 'That is not one of the options.',
  formDone: (number: number) => `👍 Thanks, that's everything for #${number}. The IT team will reply here.`,
  // Help and command framing.
  helpIntro: 'Send me a message describing your problem and I will help or file a ticket. Commands:',
  helpHint: 'Type `help` to see the commands.',
  unknownCommand: (name: string) => `Unknown command \`${name}\`. Type \`help\` to see the commands.`,
  needsRole: (command: string, needed: Role, role: Role) =>
    `\`${command}\` needs the ${needed} role (you are ${aRole(role)}).`,
  /**
   * `help` lines: a command's summary (as its spec writes it in English) → its translation. English
   * needs none; a summary a language lacks is listed in English.
   */
  commandSummaries: {} as Record<string, string>,
  mineEmpty: 'You have no tickets.',
  mineHeader: 'Your tickets:',
  homeMine: 'My tickets',
  timeline: 'Timeline',
  showNotYours: (number: number) =>
    `Ticket #${number} is not yours; only its requester or an agent can see it.`,
};

/** Texts agents read in the triage channel, in the team's language (`config language`). */
const team = {
  welcome:
    "👋 Hi! I'm the IT helpdesk. Message me (or mention me) with what's wrong and I'll answer or file a ticket. " +
    'Type `helpdesk help` for commands. Admins: `helpdesk config triage-channel here` makes this the channel where tickets are worked.',
  status: {
    new: '🆕 New',
    awaiting_approval: '🛂 Awaiting approval',
    open: '🔧 Open',
    pending: '⏳ Waiting on requester',
    resolved: '✅ Resolved',
    closed: '🔒 Closed',
  } satisfies Record<TicketStatus, string>,
  cardClaim: 'Claim',
  cardAssignTo: 'Assign to…',
  cardPriority: 'Priority',
  cardNote: 'Internal note',
  cardResolve: 'Resolve',
  cardClose: 'Close',
  cardReopen: 'Reopen',
  fieldStatus: 'Status',
  fieldPriority: 'Priority',
  fieldCategory: 'Category',
  fieldRequester: 'Requester',
  fieldAssignee: 'Assignee',
  unassigned: 'Unassigned',
  fieldResolveBy: 'Resolve by',
  fieldSla: 'SLA',
  slaBreached: '🚨 Breached',
  fieldEscalation: 'Escalation',
  escalationLevel: (level: number) => `Level ${level}`,
  resolutionLabel: 'Resolution',
  cardFiles: (count: number) => `📎 ${count} ${plural(count, 'file', 'files')}`,
  cardContext: 'Reply in this thread to answer the requester; start with "note:" to keep it internal.',
  cardAwaitingApproval: 'Waiting for an approver to decide; IT works on it once it is approved.',
  // Automatic assignment (issue 17): `by` is the rule's English words (assignment/assigned-by.ts).
  triageAutoAssigned: (number: number, who: string, by: string) =>
    `👉 #${number} is assigned to ${who} ${by}.`,
  triageClaimed: (name: string, number: number) => `🙋 ${name} claimed #${number}.`,
  triageAssigned: (actor: string, number: number, who: string) =>
    `👉 ${actor} assigned #${number} to ${who}.`,
  triagePriority: (actor: string, number: number, from: Priority, to: Priority) =>
    `${actor} changed the priority of #${number} from ${from} to ${to}.`,
  triageNote: (number: number, name: string, said: string) =>
    `📝 Internal note on #${number} from ${name}: ${said}`,
  triageReply: (name: string, said: string) => `💬 ${name} replied to the requester: ${said}`,
  triageRequester: (name: string, said: string, reopened: number | undefined) =>
    `🗨️ ${name}: ${said}${reopened !== undefined ? `\n(#${reopened} is open again)` : ''}`,
  triageResolved: (name: string, number: number) => `✅ ${name} resolved #${number}.`,
  triageReopened: (name: string, number: number) => `🔁 ${name} reopened #${number}.`,
  triageClosed: (name: string, number: number) => `🔒 ${name} closed #${number}.`,
  notedPrivately: (number: number) => `📝 Noted on #${number}; the requester does not see it.`,
  languageSet: (language: Language) =>
    `Cards and triage-channel texts are now in ${LANGUAGE_NAMES[language]}.`,
  languageUsage: (supported: string) =>
    `Usage: \`config language <code>\`, one of ${supported} — the language of cards and triage-channel texts.`,
  languageUnknown: (code: string, supported: string) =>
    `I have no texts in "${code}". Supported languages: ${supported}.`,
  languageShow: (language: Language, supported: string) =>
    `Cards and triage-channel texts are in ${LANGUAGE_NAMES[language]} (${language}). Supported: ${supported}.`,
};

/** Refusals by code (see `Refusal` in tickets/refusal.ts, whose `refusalText` checks every code is here). */
const refusals = {
  no_such_ticket: () => 'No such ticket.',
  empty_request: () => 'Tell me what you need help with, e.g. `new my VPN drops every hour`.',
  agents_only: (r: { role: Role }) => `Only agents can do that (you are ${aRole(r.role)}).`,
  not_yours: (r: { number: number }) =>
    `Ticket #${r.number} is not yours; only its requester or an agent can do that.`,
  reopen_first: (r: { number: number; status: TicketStatus }) =>
    `#${r.number} is ${r.status}; reopen it first.`,
  already_yours: (r: { number: number }) => `You already have #${r.number}.`,
  not_an_agent: (r: { number: number; name: string; mention: string; unassigned: boolean }) =>
    `${r.name} is not an agent, so #${r.number} stays ${r.unassigned ? 'unassigned' : 'with its current assignee'}. An admin can make them one (“role ${r.mention} agent”), then assign it again.`,
  already_assigned: (r: { number: number; name: string }) => `#${r.number} is already with ${r.name}.`,
  same_priority: (r: { number: number; priority: Priority }) => `#${r.number} is already ${r.priority}.`,
  closed: (r: { number: number }) => `#${r.number} is closed.`,
  closed_reply: (r: { number: number }) =>
    `Ticket #${r.number} is closed. Send a new message and I'll file a new ticket.`,
  closed_reopen: (r: { number: number }) => `#${r.number} is closed; file a new ticket instead.`,
  not_resolved: (r: { number: number }) => `#${r.number} is not resolved.`,
  not_resolved_yet: (r: { number: number }) => `#${r.number} is not resolved yet.`,
  empty_note: () => 'The note is empty.',
  empty_reply: () => 'The reply is empty.',
  transition: (r: { number: number; reason: string }) => `Cannot do that to #${r.number}: ${r.reason}.`,
  rate_not_requester: () => 'Only the requester can rate a ticket.',
  rate_range: () => 'Ratings go from 1 to 5.',
  no_approval: (r: { number: number }) => `#${r.number} is not waiting for an approval.`,
  approve_own: (r: { number: number }) =>
    `You asked for #${r.number}, so you cannot decide it yourself; one of its other approvers will.`,
  not_approver: (r: { number: number; category: string }) =>
    `Only the approvers of ${r.category} requests (or an admin) can decide #${r.number}.`,
  approval_decided: (r: { number: number; decision: 'approved' | 'denied'; by: string }) =>
    `#${r.number} was already ${r.decision} by ${r.by}.`,
  deny_reason: () => 'Say why the request is denied: the requester sees the reason.',
};

export const en = { ...requester, ...team, refusals };

export type Messages = typeof en;

/** The keys a requester reads (and every refusal, `refusals.<code>`): no language may lack one. */
export const REQUESTER_KEYS: readonly string[] = [
  ...Object.keys(requester),
  ...Object.keys(refusals).map((code) => `refusals.${code}`),
];

/**
 * Another language's catalogue: any key may be missing (English is said instead); `refusals`
 * may lack codes one by one, and `status` is all five labels or none.
 */
export type Catalogue = Partial<Omit<Messages, 'refusals'>> & { refusals?: Partial<Messages['refusals']> };
