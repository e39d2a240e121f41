/** German (formal "Sie"). Keys missing here fall back to English (see en.ts). */
import type { Role } from '../people/people.table.ts';
import type { TicketStatus } from '../tickets/ticket.ts';
import type { Catalogue } from './en.ts';
import type { Language } from './languages.ts';

const LANGUAGE_NAMES: Record<Language, string> = {
  en: 'Englisch',
  de: 'Deutsch',
  fr: 'Französisch',
  es: 'Spanisch',
  pt: 'Portugiesisch',
};

const ROLE: Record<Role, string> = { requester: 'Anfragende/r', agent: 'Agent', admin: 'Admin' };
const STATUS: Record<TicketStatus, string> = {
  new: 'neu',
  awaiting_approval: 'wartet auf Genehmigung',
  open: 'offen',
  pending: 'wartet auf Rückmeldung',
  resolved: 'gelöst',
  closed: 'geschlossen',
};

export const de: Catalogue = {
  ackFiled: (t) =>
    `Danke, ich habe Ticket #${t.number} angelegt: „${t.title}“ (${t.priority}, ${t.category}). Das IT-Team antwortet hier.`,
  ackFiledFiles: (t) =>
    `Danke, ich habe Ticket #${t.number} mit Ihrer ${t.count === 1 ? 'Datei' : 'Dateien'} angelegt (${t.names}). Was ist das Problem? Antworten Sie hier mit ein paar Worten, dann kann das IT-Team schneller helfen.`,
  addedToTicket: (number) => `📎 Zu Ihrem Ticket #${number} hinzugefügt; es ist wieder offen.`,
  clarifyMore:
    'Können Sie mir etwas mehr sagen? Um welches Gerät oder welche Anwendung geht es, was wollten Sie tun, und was ist passiert?',
  clarifyUnsure:
    'Ich weiß noch nicht genau, worum es geht. Geht es um ein Konto oder Passwort, ein Gerät, eine Anwendung, das Netzwerk oder VPN, E-Mail oder Kalender, einen Drucker oder etwas anderes? Ein paar Worte dazu, was passiert ist, helfen.',
  chatterThanks: 'Gern geschehen! 🙂 Schreiben Sie mir jederzeit, wenn etwas nicht stimmt.',
  chatterHello:
    'Hallo! 👋 Schreiben Sie mir, was nicht funktioniert oder was Sie brauchen – ich finde eine Antwort oder lege ein Ticket für die IT an.',
  unreadable: 'Ich konnte diese Nachricht nicht lesen und daher kein Ticket anlegen.',
  describeProblem: 'Beschreiben Sie, was nicht stimmt, damit das IT-Team helfen kann.',
  ackFiledAwaiting: (t) =>
    `Danke, ich habe Ihre Anfrage #${t.number} angelegt: „${t.title}“ (${t.category}). Sie muss zuerst genehmigt werden; ich sage Ihnen hier Bescheid, sobald entschieden ist.`,
  repeatedCommand:
    'Das haben Sie gerade eben schon geschickt; ich beantworte die erste Nachricht, statt es doppelt zu tun.',
  answerTitle: 'Das könnte helfen',
  answerSources: 'Quellen',
  answerFixedButton: 'Problem gelöst',
  answerMoreHelpButton: 'Ich brauche noch Hilfe',
  answerFixedTitle: '✅ Schön, dass es geklappt hat',
  answerFiledTitle: (number) => `🎫 Ticket #${number} für Sie angelegt`,
  answerFrom: (title) => `Aus „${title}“:`,
  articleIn: (language) => `Dieser Artikel ist auf ${LANGUAGE_NAMES[language]}.`,
  answerGone: 'Diese Antwort finde ich nicht mehr.',
  answerGoneDescribe: 'Diese Antwort finde ich nicht mehr; bitte beschreiben Sie das Problem noch einmal.',
  answerNotYoursFixed: 'Nur wer gefragt hat, kann sagen, ob es geholfen hat.',
  answerNotYoursMore: 'Nur wer gefragt hat, kann zu dieser Antwort weitere Hilfe anfordern.',
  answerAlreadyFiled: 'Dafür wurde bereits ein Ticket angelegt.',
  answerAlreadyOpen: 'Dafür ist bereits ein Ticket offen.',
  answerNotedAlready: 'Schon notiert. 👍',
  answerGlad: 'Schön, dass es geklappt hat! 🎉 Schreiben Sie mir jederzeit.',
  csatAsk: (number) => `Wie zufrieden waren Sie mit #${number}?`,
  csatAskBody: 'Bewerten Sie die Hilfe von 1 (schlecht) bis 5 (sehr gut).',
  csatAskText: (number) =>
    `Wie zufrieden waren Sie mit #${number}? Bewerten Sie von 1 (schlecht) bis 5 (sehr gut).`,
  csatRated: (number, score) => `Danke – Sie haben #${number} mit ${score}/5 bewertet`,
  csatRatedBody: 'Anders überlegt? Wählen Sie eine andere Bewertung.',
  csatThanks: (number, stars) => `Danke für Ihre Bewertung von #${number}: ${stars}.`,
  noticeClaimed: (name, number) => `${name} aus der IT kümmert sich um Ihr Ticket #${number}.`,
  noticeReply: (name, number, said) => `💬 ${name} (IT) zu #${number}: ${said}`,
  noticePending: (number, text) =>
    `⏳ Die IT wartet bei #${number} auf Ihre Rückmeldung${text ? `: ${text}` : '.'} Antworten Sie einfach hier.`,
  noticeResolved: (number, name, resolution) =>
    `✅ Ticket #${number} wurde von ${name} gelöst${resolution ? `: ${resolution}` : '.'}\nFalls das Problem weiter besteht, antworten Sie einfach hier, dann wird es wieder geöffnet.`,
  noticeAutoResolved: (number) =>
    `✅ Ticket #${number} wurde automatisch gelöst, weil wir nichts mehr von Ihnen gehört haben. Wenn Sie noch Hilfe brauchen, antworten Sie einfach hier, dann wird es wieder geöffnet.`,
  noticeReopened: (number) => `🔁 Ticket #${number} ist wieder offen.`,
  noticeClosed: (number) => `🔒 Ticket #${number} ist geschlossen.`,
  noticeNudge: (number, title, wait) =>
    `👋 Die IT wartet bei #${number} „${title}“ noch auf Ihre Antwort. Antworten Sie hier, um fortzufahren; ohne Rückmeldung innerhalb von ${wait} wird das Ticket automatisch gelöst.`,
  formQuestion: (number, field, options) =>
    `📝 Noch eine Frage zu #${number}: Wie lautet ${field}${options ? ` (eine von: ${options.join(', ')})` : ''}? Antworten Sie hier oder schreiben Sie „skip“.`,
  formNotAnOption: 'Das ist keine der Optionen.',
  formDone: (number) => `👍 Danke, das ist alles für #${number}. Das IT-Team antwortet hier.`,
  helpIntro: 'Schreiben Sie mir, was nicht funktioniert, und ich helfe oder lege ein Ticket an. Befehle:',
  helpHint: 'Mit `help` sehen Sie die Befehle.',
  commandSummaries: {
    'show what you can do': 'zeigt, was Sie tun können',
    'file a ticket': 'ein Ticket anlegen',
    'your tickets': 'Ihre Tickets',
    'your tickets and, for agents, the queue': 'Ihre Tickets und, für Agenten, die Warteschlange',
    'a ticket and its whole timeline': 'ein Ticket mit seinem ganzen Verlauf',
    'reopen a resolved ticket': 'ein gelöstes Ticket wieder öffnen',
    'close a ticket': 'ein Ticket schließen',
    'close tickets': 'Tickets schließen',
    'search the knowledge base': 'die Wissensdatenbank durchsuchen',
    'open tickets by priority, unassigned first; or those whose request form says so':
      'offene Tickets nach Priorität, nicht zugewiesene zuerst; oder die, deren Anfrageformular das angibt',
    'take a ticket': 'ein Ticket übernehmen',
    'give tickets to an agent': 'Tickets einem Agenten zuweisen',
    'change the priority': 'die Priorität ändern',
    'an internal note (agents only see it)': 'eine interne Notiz (nur Agenten sehen sie)',
    'answer the requester': 'der anfragenden Person antworten',
    'wait on the requester (SLA paused)': 'auf die anfragende Person warten (SLA pausiert)',
    'resolve tickets': 'Tickets lösen',
  },
  mineEmpty: 'Sie haben keine Tickets.',
  mineHeader: 'Ihre Tickets:',
  homeMine: 'Meine Tickets',
  timeline: 'Verlauf',
  showNotYours: (number) =>
    `Ticket #${number} gehört nicht Ihnen; nur die anfragende Person oder ein Agent kann es sehen.`,
  unknownCommand: (name) => `Den Befehl \`${name}\` kenne ich nicht. Mit \`help\` sehen Sie die Befehle.`,
  needsRole: (command, needed, role) =>
    `\`${command}\` erfordert die Rolle ${ROLE[needed]} (Ihre Rolle: ${ROLE[role]}).`,
  welcome:
    '👋 Hallo! Ich bin der IT-Helpdesk. Schreiben Sie mir (oder erwähnen Sie mich), was nicht funktioniert, und ich antworte oder lege ein Ticket an. ' +
    'Befehle zeigt `helpdesk help`. Für Admins: `helpdesk config triage-channel here` macht diesen Kanal zum Kanal, in dem Tickets bearbeitet werden.',
  status: {
    new: '🆕 Neu',
    awaiting_approval: '🛂 Wartet auf Genehmigung',
    open: '🔧 Offen',
    pending: '⏳ Wartet auf Anfragende/n',
    resolved: '✅ Gelöst',
    closed: '🔒 Geschlossen',
  },
  cardClaim: 'Übernehmen',
  cardAssignTo: 'Zuweisen an…',
  cardPriority: 'Priorität',
  cardNote: 'Interne Notiz',
  cardResolve: 'Lösen',
  cardClose: 'Schließen',
  cardReopen: 'Wieder öffnen',
  fieldStatus: 'Status',
  fieldPriority: 'Priorität',
  fieldCategory: 'Kategorie',
  fieldRequester: 'Anfragende/r',
  fieldAssignee: 'Bearbeiter/in',
  unassigned: 'Nicht zugewiesen',
  fieldResolveBy: 'Lösen bis',
  fieldSla: 'SLA',
  slaBreached: '🚨 Verletzt',
  fieldEscalation: 'Eskalation',
  escalationLevel: (level) => `Stufe ${level}`,
  resolutionLabel: 'Lösung',
  cardFiles: (count) => `📎 ${count} ${count === 1 ? 'Datei' : 'Dateien'}`,
  cardContext:
    'Antworten Sie in diesem Thread, um der anfragenden Person zu antworten; beginnen Sie mit „note:“, damit es intern bleibt.',
  cardAwaitingApproval:
    'Wartet auf die Entscheidung einer genehmigenden Person; die IT bearbeitet es nach der Genehmigung.',
  triageAutoAssigned: (number, who, by) => `👉 #${number} ist ${who} zugewiesen (${by}).`,
  triageClaimed: (name, number) => `🙋 ${name} hat #${number} übernommen.`,
  triageAssigned: (actor, number, who) => `👉 ${actor} hat #${number} an ${who} zugewiesen.`,
  triagePriority: (actor, number, from, to) =>
    `${actor} hat die Priorität von #${number} von ${from} auf ${to} geändert.`,
  triageNote: (number, name, said) => `📝 Interne Notiz zu #${number} von ${name}: ${said}`,
  triageReply: (name, said) => `💬 ${name} hat der anfragenden Person geantwortet: ${said}`,
  triageRequester: (name, said, reopened) =>
    `🗨️ ${name}: ${said}${reopened !== undefined ? `\n(#${reopened} ist wieder offen)` : ''}`,
  triageResolved: (name, number) => `✅ ${name} hat #${number} gelöst.`,
  triageReopened: (name, number) => `🔁 ${name} hat #${number} wieder geöffnet.`,
  triageClosed: (name, number) => `🔒 ${name} hat #${number} geschlossen.`,
  notedPrivately: (number) => `📝 Notiz zu #${number} gespeichert; die anfragende Person sieht sie nicht.`,
  languageSet: (language) => `Karten und Texte im Triage-Kanal sind jetzt auf ${LANGUAGE_NAMES[language]}.`,
  languageUsage: (supported) =>
    `Verwendung: \`config language <Code>\`, einer von ${supported} – die Sprache der Karten und der Texte im Triage-Kanal.`,
  languageUnknown: (code, supported) =>
    `Für „${code}“ habe ich keine Texte. Unterstützte Sprachen: ${supported}.`,
  languageShow: (language, supported) =>
    `Karten und Texte im Triage-Kanal sind auf ${LANGUAGE_NAMES[language]} (${language}). Unterstützt: ${supported}.`,
  refusals: {
    no_such_ticket: () => 'Dieses Ticket gibt es nicht.',
    empty_request: () =>
      'Sagen Sie mir, wobei Sie Hilfe brauchen, z. B. `new mein VPN bricht jede Stunde ab`.',
    agents_only: (r) => `Das können nur Agenten (Ihre Rolle: ${ROLE[r.role]}).`,
    not_yours: (r) =>
      `Ticket #${r.number} gehört nicht Ihnen; das können nur die anfragende Person oder ein Agent.`,
    reopen_first: (r) => `#${r.number} ist ${STATUS[r.status]}; öffnen Sie es zuerst wieder.`,
    already_yours: (r) => `#${r.number} liegt bereits bei Ihnen.`,
    not_an_agent: (r) =>
      `${r.name} ist kein Agent, daher bleibt #${r.number} ${r.unassigned ? 'nicht zugewiesen' : 'bei der bisherigen Bearbeitung'}. Ein Admin kann die Person zum Agenten machen („role ${r.mention} agent“); danach erneut zuweisen.`,
    already_assigned: (r) => `#${r.number} liegt bereits bei ${r.name}.`,
    same_priority: (r) => `#${r.number} hat bereits ${r.priority}.`,
    closed: (r) => `#${r.number} ist geschlossen.`,
    closed_reply: (r) =>
      `Ticket #${r.number} ist geschlossen. Schreiben Sie eine neue Nachricht, dann lege ich ein neues Ticket an.`,
    closed_reopen: (r) => `#${r.number} ist geschlossen; legen Sie stattdessen ein neues Ticket an.`,
    not_resolved: (r) => `#${r.number} ist nicht gelöst.`,
    not_resolved_yet: (r) => `#${r.number} ist noch nicht gelöst.`,
    empty_note: () => 'Die Notiz ist leer.',
    empty_reply: () => 'Die Antwort ist leer.',
    transition: (r) => `Das geht bei #${r.number} nicht: ${r.reason}.`,
    rate_not_requester: () => 'Nur die anfragende Person kann ein Ticket bewerten.',
    rate_range: () => 'Bewertungen gehen von 1 bis 5.',
    no_approval: (r) => `#${r.number} wartet auf keine Genehmigung.`,
    approve_own: (r) =>
      `#${r.number} ist Ihre eigene Anfrage, Sie können sie nicht selbst genehmigen; eine andere genehmigende Person entscheidet.`,
    not_approver: (r) =>
      `Nur die Genehmigenden für ${r.category}-Anfragen (oder ein Admin) können über #${r.number} entscheiden.`,
    approval_decided: (r) =>
      `Über #${r.number} wurde bereits entschieden: ${r.decision === 'approved' ? 'genehmigt' : 'abgelehnt'} von ${r.by}.`,
    deny_reason: () => 'Geben Sie einen Grund für die Ablehnung an: Die anfragende Person sieht ihn.',
  },
};
