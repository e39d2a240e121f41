/** Portuguese (neutral "você"). Keys missing here fall back to English (see en.ts). */
import type { Role } from '../people/people.table.ts';
import type { TicketStatus } from '../tickets/ticket.ts';
import type { Catalogue } from './en.ts';
import type { Language } from './languages.ts';

const LANGUAGE_NAMES: Record<Language, string> = {
  en: 'inglês',
  de: 'alemão',
  fr: 'francês',
  es: 'espanhol',
  pt: 'português',
};

const ROLE: Record<Role, string> = { requester: 'solicitante', agent: 'agente', admin: 'admin' };
const STATUS: Record<TicketStatus, string> = {
  new: 'novo',
  awaiting_approval: 'aguardando aprovação',
  open: 'aberto',
  pending: 'em espera',
  resolved: 'resolvido',
  closed: 'fechado',
};

export const pt: Catalogue = {
  ackFiled: (t) =>
    `Obrigado, abri o ticket #${t.number}: "${t.title}" (${t.priority}, ${t.category}). A equipe de TI vai responder aqui.`,
  ackFiledFiles: (t) =>
    `Obrigado, abri o ticket #${t.number} com ${t.count === 1 ? 'o seu arquivo' : 'os seus arquivos'} (${t.names}). Qual é o problema? Responda aqui com algumas palavras para que a equipe de TI possa ajudar mais rápido.`,
  addedToTicket: (number) => `📎 Adicionado ao seu ticket #${number}; ele está aberto de novo.`,
  clarifyMore:
    'Pode me contar um pouco mais? Qual é o dispositivo ou aplicativo, o que você estava tentando fazer e o que aconteceu?',
  clarifyUnsure:
    'Ainda não sei bem do que se trata. É uma conta ou senha, um dispositivo, um aplicativo, a rede ou VPN, e-mail ou calendário, uma impressora ou outra coisa? Algumas palavras sobre o que aconteceu ajudam.',
  chatterThanks: 'De nada! 🙂 Fale comigo sempre que algo não estiver certo.',
  chatterHello:
    'Olá! 👋 Diga o que está errado ou do que você precisa, e eu encontro uma resposta ou abro um ticket para a TI.',
  unreadable: 'Não consegui ler essa mensagem, então não pude abrir o ticket.',
  describeProblem: 'Descreva o que está errado para que a equipe de TI possa ajudar.',
  ackFiledAwaiting: (t) =>
    `Obrigado, registrei sua solicitação #${t.number}: "${t.title}" (${t.category}). Ela precisa de aprovação primeiro; aviso aqui quando for decidida.`,
  repeatedCommand: 'Você acabou de enviar isto; vou responder ao primeiro em vez de fazer duas vezes.',
  answerTitle: 'Isto pode ajudar',
  answerSources: 'Fontes',
  answerFixedButton: 'Isso resolveu',
  answerMoreHelpButton: 'Ainda preciso de ajuda',
  answerFixedTitle: '✅ Que bom que resolveu',
  answerFiledTitle: (number) => `🎫 Abri o ticket #${number} para você`,
  answerFrom: (title) => `De "${title}":`,
  articleIn: (language) => `Este artigo está em ${LANGUAGE_NAMES[language]}.`,
  answerGone: 'Não encontro mais essa resposta.',
  answerGoneDescribe: 'Não encontro mais essa resposta; descreva o problema de novo, por favor.',
  answerNotYoursFixed: 'Só quem perguntou pode dizer se ajudou.',
  answerNotYoursMore: 'Só quem perguntou pode pedir mais ajuda sobre esta resposta.',
  answerAlreadyFiled: 'Já foi aberto um ticket para isso.',
  answerAlreadyOpen: 'Já há um ticket aberto para isso.',
  answerNotedAlready: 'Já anotado. 👍',
  answerGlad: 'Que bom que resolveu! 🎉 Fale comigo quando quiser.',
  csatAsk: (number) => `Como foi o atendimento no #${number}?`,
  csatAskBody: 'Avalie a ajuda que recebeu, de 1 (ruim) a 5 (ótima).',
  csatAskText: (number) => `Como foi o atendimento no #${number}? Avalie de 1 (ruim) a 5 (ótima).`,
  csatRated: (number, score) => `Obrigado! Você avaliou o #${number} com ${score}/5`,
  csatRatedBody: 'Mudou de ideia? Escolha outra nota.',
  csatThanks: (number, stars) => `Obrigado por avaliar o #${number} ${stars}.`,
  noticeClaimed: (name, number) => `${name}, da TI, está cuidando do seu ticket #${number}.`,
  noticeReply: (name, number, said) => `💬 ${name} (TI) no #${number}: ${said}`,
  noticePending: (number, text) =>
    `⏳ A TI está aguardando sua resposta no #${number}${text ? `: ${text}` : '.'} Responda aqui para continuar.`,
  noticeResolved: (number, name, resolution) =>
    `✅ O ticket #${number} foi resolvido por ${name}${resolution ? `: ${resolution}` : '.'}\nSe não estiver resolvido, basta responder aqui e ele será reaberto.`,
  noticeAutoResolved: (number) =>
    `✅ O ticket #${number} foi resolvido automaticamente porque não tivemos retorno. Se ainda precisar de ajuda, basta responder aqui e ele será reaberto.`,
  noticeReopened: (number) => `🔁 O ticket #${number} está aberto de novo.`,
  noticeClosed: (number) => `🔒 O ticket #${number} está fechado.`,
  noticeNudge: (number, title, wait) =>
    `👋 A TI ainda está aguardando sua resposta no #${number} "${title}". Responda aqui para continuar; se não tivermos retorno em ${wait}, o ticket será resolvido automaticamente.`,
  formQuestion: (number, field, options) =>
    `📝 Mais uma pergunta sobre #${number}: qual é o valor de ${field}${options ? ` (um de: ${options.join(', ')})` : ''}? Responda aqui ou escreva «skip».`,
  formNotAnOption: 'Essa não é uma das opções.',
  formDone: (number) => `👍 Obrigado, é tudo para #${number}. A equipa de TI responde aqui.`,
  helpIntro: 'Envie uma mensagem descrevendo o seu problema e eu ajudo ou abro um ticket. Comandos:',
  helpHint: 'Digite `help` para ver os comandos.',
  commandSummaries: {
    'show what you can do': 'o que você pode fazer',
    'file a ticket': 'abrir um ticket',
    'your tickets': 'seus tickets',
    'your tickets and, for agents, the queue': 'seus tickets e, para agentes, a fila',
    'a ticket and its whole timeline': 'um ticket e todo o seu histórico',
    'reopen a resolved ticket': 'reabrir um ticket resolvido',
    'close a ticket': 'fechar um ticket',
    'close tickets': 'fechar tickets',
    'search the knowledge base': 'pesquisar na base de conhecimento',
    'open tickets by priority, unassigned first; or those whose request form says so':
      'tickets abertos por prioridade, sem responsável primeiro; ou os que o formulário do pedido indica',
    'take a ticket': 'assumir um ticket',
    'give tickets to an agent': 'atribuir tickets a um agente',
    'change the priority': 'mudar a prioridade',
    'an internal note (agents only see it)': 'uma nota interna (só agentes a veem)',
    'answer the requester': 'responder ao solicitante',
    'wait on the requester (SLA paused)': 'aguardar o solicitante (SLA pausado)',
    'resolve tickets': 'resolver tickets',
  },
  mineEmpty: 'Você não tem tickets.',
  mineHeader: 'Seus tickets:',
  homeMine: 'Meus tickets',
  timeline: 'Histórico',
  showNotYours: (number) => `O ticket #${number} não é seu; só o solicitante ou um agente podem vê-lo.`,
  unknownCommand: (name) => `Comando \`${name}\` desconhecido. Digite \`help\` para ver os comandos.`,
  needsRole: (command, needed, role) =>
    `\`${command}\` exige a função ${ROLE[needed]} (a sua: ${ROLE[role]}).`,
  welcome:
    '👋 Olá! Sou o helpdesk de TI. Envie uma mensagem (ou me mencione) dizendo o que está errado, e eu respondo ou abro um ticket. ' +
    'Digite `helpdesk help` para ver os comandos. Admins: `helpdesk config triage-channel here` torna este o canal onde os tickets são tratados.',
  status: {
    new: '🆕 Novo',
    awaiting_approval: '🛂 Aguardando aprovação',
    open: '🔧 Aberto',
    pending: '⏳ Aguardando o solicitante',
    resolved: '✅ Resolvido',
    closed: '🔒 Fechado',
  },
  cardClaim: 'Assumir',
  cardAssignTo: 'Atribuir a…',
  cardPriority: 'Prioridade',
  cardNote: 'Nota interna',
  cardResolve: 'Resolver',
  cardClose: 'Fechar',
  cardReopen: 'Reabrir',
  fieldStatus: 'Status',
  fieldPriority: 'Prioridade',
  fieldCategory: 'Categoria',
  fieldRequester: 'Solicitante',
  fieldAssignee: 'Responsável',
  unassigned: 'Sem responsável',
  fieldResolveBy: 'Resolver até',
  fieldSla: 'SLA',
  slaBreached: '🚨 Violado',
  fieldEscalation: 'Escalonamento',
  escalationLevel: (level) => `Nível ${level}`,
  resolutionLabel: 'Solução',
  cardFiles: (count) => `📎 ${count} ${count === 1 ? 'arquivo' : 'arquivos'}`,
  cardContext:
    'Responda neste tópico para falar com o solicitante; comece com "note:" para manter como nota interna.',
  cardAwaitingApproval: 'Aguardando a decisão de um aprovador; a TI trabalha nela depois de aprovada.',
  triageAutoAssigned: (number, who, by) => `👉 O #${number} foi atribuído a ${who} (${by}).`,
  triageClaimed: (name, number) => `🙋 ${name} assumiu o #${number}.`,
  triageAssigned: (actor, number, who) => `👉 ${actor} atribuiu o #${number} a ${who}.`,
  triagePriority: (actor, number, from, to) =>
    `${actor} mudou a prioridade do #${number} de ${from} para ${to}.`,
  triageNote: (number, name, said) => `📝 Nota interna no #${number} de ${name}: ${said}`,
  triageReply: (name, said) => `💬 ${name} respondeu ao solicitante: ${said}`,
  triageRequester: (name, said, reopened) =>
    `🗨️ ${name}: ${said}${reopened !== undefined ? `\n(o #${reopened} está aberto de novo)` : ''}`,
  triageResolved: (name, number) => `✅ ${name} resolveu o #${number}.`,
  triageReopened: (name, number) => `🔁 ${name} reabriu o #${number}.`,
  triageClosed: (name, number) => `🔒 ${name} fechou o #${number}.`,
  notedPrivately: (number) => `📝 Anotado no #${number}; o solicitante não vê.`,
  languageSet: (language) =>
    `Os cartões e os textos do canal de triagem agora estão em ${LANGUAGE_NAMES[language]}.`,
  languageUsage: (supported) =>
    `Uso: \`config language <código>\`, um de ${supported}: o idioma dos cartões e dos textos do canal de triagem.`,
  languageUnknown: (code, supported) => `Não tenho textos em "${code}". Idiomas disponíveis: ${supported}.`,
  languageShow: (language, supported) =>
    `Os cartões e os textos do canal de triagem estão em ${LANGUAGE_NAMES[language]} (${language}). Disponíveis: ${supported}.`,
  refusals: {
    no_such_ticket: () => 'Esse ticket não existe.',
    empty_request: () => 'Diga com o que precisa de ajuda, por exemplo `new minha VPN cai a cada hora`.',
    agents_only: (r) => `Só agentes podem fazer isso (a sua função: ${ROLE[r.role]}).`,
    not_yours: (r) => `O ticket #${r.number} não é seu; só o solicitante ou um agente podem fazer isso.`,
    reopen_first: (r) => `O #${r.number} está ${STATUS[r.status]}; reabra-o primeiro.`,
    already_yours: (r) => `O #${r.number} já está com você.`,
    not_an_agent: (r) =>
      `${r.name} não é agente, então o #${r.number} continua ${r.unassigned ? 'sem responsável' : 'com o responsável atual'}. Um admin pode dar essa função ("role ${r.mention} agent") e depois você pode atribuí-lo de novo.`,
    already_assigned: (r) => `O #${r.number} já está com ${r.name}.`,
    same_priority: (r) => `O #${r.number} já está em ${r.priority}.`,
    closed: (r) => `O #${r.number} está fechado.`,
    closed_reply: (r) =>
      `O ticket #${r.number} está fechado. Envie uma nova mensagem e eu abro um novo ticket.`,
    closed_reopen: (r) => `O #${r.number} está fechado; abra um novo ticket.`,
    not_resolved: (r) => `O #${r.number} não está resolvido.`,
    not_resolved_yet: (r) => `O #${r.number} ainda não está resolvido.`,
    empty_note: () => 'A nota está vazia.',
    empty_reply: () => 'A resposta está vazia.',
    transition: (r) => `Não é possível fazer isso com o #${r.number}: ${r.reason}.`,
    rate_not_requester: () => 'Só o solicitante pode avaliar um ticket.',
    rate_range: () => 'As notas vão de 1 a 5.',
    no_approval: (r) => `O #${r.number} não está aguardando aprovação.`,
    approve_own: (r) =>
      `O #${r.number} é a sua própria solicitação, então você não pode decidi-la; outro aprovador decidirá.`,
    not_approver: (r) =>
      `Só os aprovadores de solicitações de ${r.category} (ou um admin) podem decidir o #${r.number}.`,
    approval_decided: (r) =>
      `O #${r.number} já foi ${r.decision === 'approved' ? 'aprovado' : 'negado'} por ${r.by}.`,
    deny_reason: () => 'Diga por que a solicitação foi negada: o solicitante verá o motivo.',
  },
};
