/** French ("vous"). Keys missing here fall back to English (see en.ts). */
import type { Role } from '../people/people.table.ts';
import type { TicketStatus } from '../tickets/ticket.ts';
import type { Catalogue } from './en.ts';
import type { Language } from './languages.ts';

const LANGUAGE_NAMES: Record<Language, string> = {
  en: 'anglais',
  de: 'allemand',
  fr: 'français',
  es: 'espagnol',
  pt: 'portugais',
};

const ROLE: Record<Role, string> = { requester: 'demandeur', agent: 'agent', admin: 'admin' };
const STATUS: Record<TicketStatus, string> = {
  new: 'nouveau',
  awaiting_approval: "en attente d'approbation",
  open: 'ouvert',
  pending: 'en attente',
  resolved: 'résolu',
  closed: 'fermé',
};

export const fr: Catalogue = {
  ackFiled: (t) =>
    `Merci, j'ai créé le ticket #${t.number} : « ${t.title} » (${t.priority}, ${t.category}). L'équipe IT vous répondra ici.`,
  ackFiledFiles: (t) =>
    `Merci, j'ai créé le ticket #${t.number} avec ${t.count === 1 ? 'votre fichier' : 'vos fichiers'} (${t.names}). Quel est le problème ? Répondez ici en quelques mots pour que l'équipe IT puisse vous aider plus vite.`,
  addedToTicket: (number) => `📎 Ajouté à votre ticket #${number} ; il est de nouveau ouvert.`,
  clarifyMore:
    "Pouvez-vous m'en dire un peu plus ? De quel appareil ou de quelle application s'agit-il, que vouliez-vous faire et que s'est-il passé ?",
  clarifyUnsure:
    "Je ne sais pas encore de quoi il s'agit. Est-ce un compte ou un mot de passe, un appareil, une application, le réseau ou le VPN, la messagerie ou l'agenda, une imprimante, ou autre chose ? Quelques mots sur ce qui s'est passé m'aideront.",
  chatterThanks: 'Avec plaisir ! 🙂 Écrivez-moi dès que quelque chose ne va pas.',
  chatterHello:
    "Bonjour ! 👋 Dites-moi ce qui ne va pas ou ce dont vous avez besoin : je trouve une réponse ou je crée un ticket pour l'IT.",
  unreadable: "Je n'ai pas pu lire ce message, je n'ai donc pas pu créer de ticket.",
  describeProblem: "Décrivez le problème pour que l'équipe IT puisse vous aider.",
  ackFiledAwaiting: (t) =>
    `Merci, j'ai enregistré votre demande #${t.number} : « ${t.title} » (${t.category}). Elle doit d'abord être approuvée ; je vous préviens ici dès qu'une décision est prise.`,
  repeatedCommand:
    "Vous venez d'envoyer la même chose : je réponds à la première plutôt que de la traiter deux fois.",
  answerTitle: 'Ceci pourrait vous aider',
  answerSources: 'Sources',
  answerFixedButton: 'Problème résolu',
  answerMoreHelpButton: "J'ai encore besoin d'aide",
  answerFixedTitle: '✅ Ravi que cela ait fonctionné',
  answerFiledTitle: (number) => `🎫 Ticket #${number} créé pour vous`,
  answerFrom: (title) => `D'après « ${title} » :`,
  articleIn: (language) => `Cet article est en ${LANGUAGE_NAMES[language]}.`,
  answerGone: 'Je ne retrouve plus cette réponse.',
  answerGoneDescribe: 'Je ne retrouve plus cette réponse ; merci de décrire à nouveau le problème.',
  answerNotYoursFixed: "Seule la personne qui a posé la question peut dire si cela l'a aidée.",
  answerNotYoursMore: "Seule la personne qui a posé la question peut demander plus d'aide sur cette réponse.",
  answerAlreadyFiled: 'Un ticket a déjà été créé pour cela.',
  answerAlreadyOpen: 'Un ticket est déjà ouvert pour cela.',
  answerNotedAlready: 'Déjà noté. 👍',
  answerGlad: 'Ravi que cela ait fonctionné ! 🎉 Écrivez-moi quand vous voulez.',
  csatAsk: (number) => `Comment avons-nous géré le ticket #${number} ?`,
  csatAskBody: "Notez l'aide reçue, de 1 (mauvaise) à 5 (excellente).",
  csatAskText: (number) =>
    `Comment avons-nous géré le ticket #${number} ? Notez de 1 (mauvaise) à 5 (excellente).`,
  csatRated: (number, score) => `Merci, vous avez noté #${number} ${score}/5`,
  csatRatedBody: "Vous avez changé d'avis ? Choisissez une autre note.",
  csatThanks: (number, stars) => `Merci d'avoir noté #${number} ${stars}.`,
  noticeClaimed: (name, number) => `${name} (IT) s'occupe de votre ticket #${number}.`,
  noticeReply: (name, number, said) => `💬 ${name} (IT) sur #${number} : ${said}`,
  noticePending: (number, text) =>
    `⏳ L'IT attend votre réponse pour #${number}${text ? ` : ${text}` : '.'} Répondez ici pour continuer.`,
  noticeResolved: (number, name, resolution) =>
    `✅ Le ticket #${number} a été résolu par ${name}${resolution ? ` : ${resolution}` : '.'}\nSi le problème persiste, répondez simplement ici et il sera rouvert.`,
  noticeAutoResolved: (number) =>
    `✅ Le ticket #${number} a été résolu automatiquement, faute de réponse de votre part. Si vous avez encore besoin d'aide, répondez simplement ici et il sera rouvert.`,
  noticeReopened: (number) => `🔁 Le ticket #${number} est de nouveau ouvert.`,
  noticeClosed: (number) => `🔒 Le ticket #${number} est fermé.`,
  noticeNudge: (number, title, wait) =>
    `👋 L'IT attend toujours votre réponse pour #${number} « ${title} ». Répondez ici pour continuer ; sans nouvelles de votre part sous ${wait}, le ticket sera résolu automatiquement.`,
  formQuestion: (number, field, options) =>
    `📝 Encore une question pour #${number} : quel est le champ ${field}${options ? ` (parmi : ${options.join(', ')})` : ''} ? Répondez ici, ou écrivez « skip ».`,
  formNotAnOption: "Ce n'est pas l'une des options.",
  formDone: (number) => `👍 Merci, c'est tout pour #${number}. L'équipe informatique vous répondra ici.`,
  helpIntro: 'Décrivez-moi votre problème dans un message : je vous aide ou je crée un ticket. Commandes :',
  helpHint: 'Tapez `help` pour voir les commandes.',
  commandSummaries: {
    'show what you can do': 'ce que vous pouvez faire',
    'file a ticket': 'créer un ticket',
    'your tickets': 'vos tickets',
    'your tickets and, for agents, the queue': "vos tickets et, pour les agents, la file d'attente",
    'a ticket and its whole timeline': 'un ticket et tout son historique',
    'reopen a resolved ticket': 'rouvrir un ticket résolu',
    'close a ticket': 'fermer un ticket',
    'close tickets': 'fermer des tickets',
    'search the knowledge base': 'chercher dans la base de connaissances',
    'open tickets by priority, unassigned first; or those whose request form says so':
      "tickets ouverts par priorité, les non attribués d'abord ; ou ceux dont le formulaire de demande l'indique",
    'take a ticket': 'prendre en charge un ticket',
    'give tickets to an agent': 'attribuer des tickets à un agent',
    'change the priority': 'changer la priorité',
    'an internal note (agents only see it)': 'une note interne (visible des seuls agents)',
    'answer the requester': 'répondre au demandeur',
    'wait on the requester (SLA paused)': 'attendre le demandeur (SLA en pause)',
    'resolve tickets': 'résoudre des tickets',
  },
  mineEmpty: "Vous n'avez aucun ticket.",
  mineHeader: 'Vos tickets :',
  homeMine: 'Mes tickets',
  timeline: 'Historique',
  showNotYours: (number) =>
    `Le ticket #${number} n'est pas le vôtre ; seul son demandeur ou un agent peut le voir.`,
  unknownCommand: (name) => `Commande \`${name}\` inconnue. Tapez \`help\` pour voir les commandes.`,
  needsRole: (command, needed, role) =>
    `\`${command}\` nécessite le rôle ${ROLE[needed]} (votre rôle : ${ROLE[role]}).`,
  welcome:
    '👋 Bonjour ! Je suis le helpdesk IT. Écrivez-moi (ou mentionnez-moi) ce qui ne va pas : je réponds ou je crée un ticket. ' +
    'Tapez `helpdesk help` pour les commandes. Admins : `helpdesk config triage-channel here` fait de ce canal celui où les tickets sont traités.',
  status: {
    new: '🆕 Nouveau',
    awaiting_approval: "🛂 En attente d'approbation",
    open: '🔧 Ouvert',
    pending: '⏳ En attente du demandeur',
    resolved: '✅ Résolu',
    closed: '🔒 Fermé',
  },
  cardClaim: 'Prendre en charge',
  cardAssignTo: 'Attribuer à…',
  cardPriority: 'Priorité',
  cardNote: 'Note interne',
  cardResolve: 'Résoudre',
  cardClose: 'Fermer',
  cardReopen: 'Rouvrir',
  fieldStatus: 'Statut',
  fieldPriority: 'Priorité',
  fieldCategory: 'Catégorie',
  fieldRequester: 'Demandeur',
  fieldAssignee: 'Responsable',
  unassigned: 'Non attribué',
  fieldResolveBy: 'À résoudre avant',
  fieldSla: 'SLA',
  slaBreached: '🚨 Dépassé',
  fieldEscalation: 'Escalade',
  escalationLevel: (level) => `Niveau ${level}`,
  resolutionLabel: 'Résolution',
  cardFiles: (count) => `📎 ${count} ${count === 1 ? 'fichier' : 'fichiers'}`,
  cardContext:
    'Répondez dans ce fil pour répondre au demandeur ; commencez par « note: » pour que cela reste interne.',
  cardAwaitingApproval: "En attente de la décision d'un approbateur ; l'IT s'en occupe une fois approuvée.",
  triageAutoAssigned: (number, who, by) => `👉 #${number} est attribué à ${who} (${by}).`,
  triageClaimed: (name, number) => `🙋 ${name} a pris en charge #${number}.`,
  triageAssigned: (actor, number, who) => `👉 ${actor} a attribué #${number} à ${who}.`,
  triagePriority: (actor, number, from, to) =>
    `${actor} a changé la priorité de #${number} de ${from} à ${to}.`,
  triageNote: (number, name, said) => `📝 Note interne sur #${number} de ${name} : ${said}`,
  triageReply: (name, said) => `💬 ${name} a répondu au demandeur : ${said}`,
  triageRequester: (name, said, reopened) =>
    `🗨️ ${name} : ${said}${reopened !== undefined ? `\n(#${reopened} est de nouveau ouvert)` : ''}`,
  triageResolved: (name, number) => `✅ ${name} a résolu #${number}.`,
  triageReopened: (name, number) => `🔁 ${name} a rouvert #${number}.`,
  triageClosed: (name, number) => `🔒 ${name} a fermé #${number}.`,
  notedPrivately: (number) => `📝 Noté sur #${number} ; le demandeur ne le voit pas.`,
  languageSet: (language) =>
    `Les cartes et les textes du canal de triage sont désormais en ${LANGUAGE_NAMES[language]}.`,
  languageUsage: (supported) =>
    `Utilisation : \`config language <code>\`, parmi ${supported} — la langue des cartes et des textes du canal de triage.`,
  languageUnknown: (code, supported) =>
    `Je n'ai pas de textes en « ${code} ». Langues prises en charge : ${supported}.`,
  languageShow: (language, supported) =>
    `Les cartes et les textes du canal de triage sont en ${LANGUAGE_NAMES[language]} (${language}). Prises en charge : ${supported}.`,
  refusals: {
    no_such_ticket: () => "Ce ticket n'existe pas.",
    empty_request: () =>
      "Dites-moi pour quoi vous avez besoin d'aide, par ex. `new mon VPN se coupe toutes les heures`.",
    agents_only: (r) => `Seuls les agents peuvent faire cela (votre rôle : ${ROLE[r.role]}).`,
    not_yours: (r) =>
      `Le ticket #${r.number} n'est pas le vôtre ; seul son demandeur ou un agent peut faire cela.`,
    reopen_first: (r) => `#${r.number} est ${STATUS[r.status]} ; rouvrez-le d'abord.`,
    already_yours: (r) => `Vous avez déjà #${r.number}.`,
    not_an_agent: (r) =>
      `${r.name} n'est pas agent, donc #${r.number} reste ${r.unassigned ? 'non attribué' : 'chez son responsable actuel'}. Un admin peut lui donner ce rôle (« role ${r.mention} agent »), puis vous pourrez l'attribuer à nouveau.`,
    already_assigned: (r) => `#${r.number} est déjà attribué à ${r.name}.`,
    same_priority: (r) => `#${r.number} est déjà en ${r.priority}.`,
    closed: (r) => `#${r.number} est fermé.`,
    closed_reply: (r) =>
      `Le ticket #${r.number} est fermé. Envoyez un nouveau message et je créerai un nouveau ticket.`,
    closed_reopen: (r) => `#${r.number} est fermé ; créez plutôt un nouveau ticket.`,
    not_resolved: (r) => `#${r.number} n'est pas résolu.`,
    not_resolved_yet: (r) => `#${r.number} n'est pas encore résolu.`,
    empty_note: () => 'La note est vide.',
    empty_reply: () => 'La réponse est vide.',
    transition: (r) => `Impossible pour #${r.number} : ${r.reason}.`,
    rate_not_requester: () => 'Seul le demandeur peut noter un ticket.',
    rate_range: () => 'Les notes vont de 1 à 5.',
    no_approval: (r) => `#${r.number} n'attend aucune approbation.`,
    approve_own: (r) =>
      `#${r.number} est votre propre demande : vous ne pouvez pas la décider vous-même ; un autre approbateur le fera.`,
    not_approver: (r) =>
      `Seuls les approbateurs des demandes ${r.category} (ou un admin) peuvent décider de #${r.number}.`,
    approval_decided: (r) =>
      `#${r.number} a déjà été ${r.decision === 'approved' ? 'approuvée' : 'refusée'} par ${r.by}.`,
    deny_reason: () => 'Indiquez pourquoi la demande est refusée : le demandeur verra la raison.',
  },
};
