/** Spanish ("usted"). Keys missing here fall back to English (see en.ts). */
import type { Role } from '../people/people.table.ts';
import type { TicketStatus } from '../tickets/ticket.ts';
import type { Catalogue } from './en.ts';
import type { Language } from './languages.ts';

const LANGUAGE_NAMES: Record<Language, string> = {
  en: 'inglés',
  de: 'alemán',
  fr: 'francés',
  es: 'español',
  pt: 'portugués',
};

const ROLE: Record<Role, string> = { requester: 'solicitante', agent: 'agente', admin: 'admin' };
const STATUS: Record<TicketStatus, string> = {
  new: 'nuevo',
  awaiting_approval: 'pendiente de aprobación',
  open: 'abierto',
  pending: 'en espera',
  resolved: 'resuelto',
  closed: 'cerrado',
};

export const es: Catalogue = {
  ackFiled: (t) =>
    `Gracias, he creado el ticket #${t.number}: «${t.title}» (${t.priority}, ${t.category}). El equipo de TI le responderá aquí.`,
  ackFiledFiles: (t) =>
    `Gracias, he creado el ticket #${t.number} con ${t.count === 1 ? 'su archivo' : 'sus archivos'} (${t.names}). ¿Qué ocurre? Responda aquí con unas palabras para que el equipo de TI pueda ayudarle antes.`,
  addedToTicket: (number) => `📎 Añadido a su ticket #${number}; vuelve a estar abierto.`,
  clarifyMore:
    '¿Podría contarme un poco más? ¿De qué dispositivo o aplicación se trata, qué intentaba hacer y qué ocurrió?',
  clarifyUnsure:
    'Todavía no sé bien de qué se trata. ¿Es una cuenta o contraseña, un dispositivo, una aplicación, la red o la VPN, el correo o el calendario, una impresora u otra cosa? Unas palabras sobre lo que pasó me ayudarán.',
  chatterThanks: '¡De nada! 🙂 Escríbame cuando algo no funcione.',
  chatterHello:
    '¡Hola! 👋 Cuénteme qué falla o qué necesita, y buscaré una respuesta o crearé un ticket para TI.',
  unreadable: 'No he podido leer ese mensaje, así que no he podido crear el ticket.',
  describeProblem: 'Describa qué ocurre para que el equipo de TI pueda ayudarle.',
  ackFiledAwaiting: (t) =>
    `Gracias, he registrado su solicitud #${t.number}: "${t.title}" (${t.category}). Primero necesita aprobación; le avisaré aquí cuando se decida.`,
  repeatedCommand: 'Acaba de enviar esto; respondo al primero en lugar de hacerlo dos veces.',
  answerTitle: 'Esto podría ayudarle',
  answerSources: 'Fuentes',
  answerFixedButton: 'Ya está resuelto',
  answerMoreHelpButton: 'Todavía necesito ayuda',
  answerFixedTitle: '✅ Me alegro de que se haya resuelto',
  answerFiledTitle: (number) => `🎫 He creado el ticket #${number} para usted`,
  answerFrom: (title) => `Según «${title}»:`,
  articleIn: (language) => `Este artículo está en ${LANGUAGE_NAMES[language]}.`,
  answerGone: 'Ya no encuentro esa respuesta.',
  answerGoneDescribe: 'Ya no encuentro esa respuesta; describa de nuevo el problema, por favor.',
  answerNotYoursFixed: 'Solo quien preguntó puede decir si le ayudó.',
  answerNotYoursMore: 'Solo quien preguntó puede pedir más ayuda sobre esta respuesta.',
  answerAlreadyFiled: 'Ya se creó un ticket para esto.',
  answerAlreadyOpen: 'Ya hay un ticket abierto para esto.',
  answerNotedAlready: 'Ya lo tengo anotado. 👍',
  answerGlad: '¡Me alegro de que se haya resuelto! 🎉 Escríbame cuando quiera.',
  csatAsk: (number) => `¿Qué tal le atendimos en el #${number}?`,
  csatAskBody: 'Valore la ayuda recibida, de 1 (mala) a 5 (excelente).',
  csatAskText: (number) => `¿Qué tal le atendimos en el #${number}? Valore de 1 (mala) a 5 (excelente).`,
  csatRated: (number, score) => `Gracias: ha valorado el #${number} con ${score}/5`,
  csatRatedBody: '¿Ha cambiado de opinión? Elija otra valoración.',
  csatThanks: (number, stars) => `Gracias por valorar el #${number} ${stars}.`,
  noticeClaimed: (name, number) => `${name}, de TI, está revisando su ticket #${number}.`,
  noticeReply: (name, number, said) => `💬 ${name} (TI) en el #${number}: ${said}`,
  noticePending: (number, text) =>
    `⏳ TI espera su respuesta sobre el #${number}${text ? `: ${text}` : '.'} Responda aquí para continuar.`,
  noticeResolved: (number, name, resolution) =>
    `✅ ${name} ha resuelto el ticket #${number}${resolution ? `: ${resolution}` : '.'}\nSi no está solucionado, responda aquí y se volverá a abrir.`,
  noticeAutoResolved: (number) =>
    `✅ El ticket #${number} se ha resuelto automáticamente porque no recibimos respuesta. Si todavía necesita ayuda, responda aquí y se volverá a abrir.`,
  noticeReopened: (number) => `🔁 El ticket #${number} vuelve a estar abierto.`,
  noticeClosed: (number) => `🔒 El ticket #${number} está cerrado.`,
  noticeNudge: (number, title, wait) =>
    `👋 TI sigue esperando su respuesta sobre el #${number} «${title}». Responda aquí para continuar; si no sabemos nada en ${wait}, el ticket se resolverá automáticamente.`,
  formQuestion: (number, field, options) =>
    `📝 Una pregunta más sobre #${number}: ¿cuál es el valor de ${field}${options ? ` (uno de: ${options.join(', ')})` : ''}? Responda aquí o escriba «skip».`,
  formNotAnOption: 'Esa no es una de las opciones.',
  formDone: (number) => `👍 Gracias, eso es todo para #${number}. El equipo de TI le responderá aquí.`,
  helpIntro: 'Escríbame describiendo su problema y le ayudaré o crearé un ticket. Comandos:',
  helpHint: 'Escriba `help` para ver los comandos.',
  commandSummaries: {
    'show what you can do': 'lo que puede hacer',
    'file a ticket': 'crear un ticket',
    'your tickets': 'sus tickets',
    'your tickets and, for agents, the queue': 'sus tickets y, para los agentes, la cola',
    'a ticket and its whole timeline': 'un ticket y todo su historial',
    'reopen a resolved ticket': 'reabrir un ticket resuelto',
    'close a ticket': 'cerrar un ticket',
    'close tickets': 'cerrar tickets',
    'search the knowledge base': 'buscar en la base de conocimiento',
    'open tickets by priority, unassigned first; or those whose request form says so':
      'tickets abiertos por prioridad, primero los sin asignar; o los que su formulario de solicitud indica',
    'take a ticket': 'asumir un ticket',
    'give tickets to an agent': 'asignar tickets a un agente',
    'change the priority': 'cambiar la prioridad',
    'an internal note (agents only see it)': 'una nota interna (solo la ven los agentes)',
    'answer the requester': 'responder al solicitante',
    'wait on the requester (SLA paused)': 'esperar al solicitante (SLA en pausa)',
    'resolve tickets': 'resolver tickets',
  },
  mineEmpty: 'No tiene tickets.',
  mineHeader: 'Sus tickets:',
  homeMine: 'Mis tickets',
  timeline: 'Historial',
  showNotYours: (number) => `El ticket #${number} no es suyo; solo su solicitante o un agente pueden verlo.`,
  unknownCommand: (name) => `No conozco el comando \`${name}\`. Escriba \`help\` para ver los comandos.`,
  needsRole: (command, needed, role) =>
    `\`${command}\` requiere el rol ${ROLE[needed]} (su rol: ${ROLE[role]}).`,
  welcome:
    '👋 ¡Hola! Soy el helpdesk de TI. Escríbame (o mencióneme) qué falla y le responderé o crearé un ticket. ' +
    'Escriba `helpdesk help` para ver los comandos. Admins: `helpdesk config triage-channel here` convierte este canal en el lugar donde se gestionan los tickets.',
  status: {
    new: '🆕 Nuevo',
    awaiting_approval: '🛂 Pendiente de aprobación',
    open: '🔧 Abierto',
    pending: '⏳ Esperando al solicitante',
    resolved: '✅ Resuelto',
    closed: '🔒 Cerrado',
  },
  cardClaim: 'Asumir',
  cardAssignTo: 'Asignar a…',
  cardPriority: 'Prioridad',
  cardNote: 'Nota interna',
  cardResolve: 'Resolver',
  cardClose: 'Cerrar',
  cardReopen: 'Reabrir',
  fieldStatus: 'Estado',
  fieldPriority: 'Prioridad',
  fieldCategory: 'Categoría',
  fieldRequester: 'Solicitante',
  fieldAssignee: 'Asignado a',
  unassigned: 'Sin asignar',
  fieldResolveBy: 'Resolver antes de',
  fieldSla: 'SLA',
  slaBreached: '🚨 Incumplido',
  fieldEscalation: 'Escalado',
  escalationLevel: (level) => `Nivel ${level}`,
  resolutionLabel: 'Solución',
  cardFiles: (count) => `📎 ${count} ${count === 1 ? 'archivo' : 'archivos'}`,
  cardContext:
    'Responda en este hilo para contestar al solicitante; empiece con "note:" para que quede como nota interna.',
  cardAwaitingApproval: 'Pendiente de la decisión de un aprobador; TI se ocupa una vez aprobada.',
  triageAutoAssigned: (number, who, by) => `👉 El #${number} está asignado a ${who} (${by}).`,
  triageClaimed: (name, number) => `🙋 ${name} ha asumido el #${number}.`,
  triageAssigned: (actor, number, who) => `👉 ${actor} ha asignado el #${number} a ${who}.`,
  triagePriority: (actor, number, from, to) =>
    `${actor} ha cambiado la prioridad del #${number} de ${from} a ${to}.`,
  triageNote: (number, name, said) => `📝 Nota interna en el #${number} de ${name}: ${said}`,
  triageReply: (name, said) => `💬 ${name} ha respondido al solicitante: ${said}`,
  triageRequester: (name, said, reopened) =>
    `🗨️ ${name}: ${said}${reopened !== undefined ? `\n(el #${reopened} vuelve a estar abierto)` : ''}`,
  triageResolved: (name, number) => `✅ ${name} ha resuelto el #${number}.`,
  triageReopened: (name, number) => `🔁 ${name} ha reabierto el #${number}.`,
  triageClosed: (name, number) => `🔒 ${name} ha cerrado el #${number}.`,
  notedPrivately: (number) => `📝 Anotado en el #${number}; el solicitante no lo ve.`,
  languageSet: (language) =>
    `Las tarjetas y los textos del canal de triaje ahora están en ${LANGUAGE_NAMES[language]}.`,
  languageUsage: (supported) =>
    `Uso: \`config language <código>\`, uno de ${supported}: el idioma de las tarjetas y de los textos del canal de triaje.`,
  languageUnknown: (code, supported) => `No tengo textos en «${code}». Idiomas disponibles: ${supported}.`,
  languageShow: (language, supported) =>
    `Las tarjetas y los textos del canal de triaje están en ${LANGUAGE_NAMES[language]} (${language}). Disponibles: ${supported}.`,
  refusals: {
    no_such_ticket: () => 'Ese ticket no existe.',
    empty_request: () => 'Dígame con qué necesita ayuda, p. ej. `new mi VPN se corta cada hora`.',
    agents_only: (r) => `Solo los agentes pueden hacer eso (su rol: ${ROLE[r.role]}).`,
    not_yours: (r) => `El ticket #${r.number} no es suyo; solo su solicitante o un agente pueden hacer eso.`,
    reopen_first: (r) => `El #${r.number} está ${STATUS[r.status]}; reábralo primero.`,
    already_yours: (r) => `Ya tiene el #${r.number}.`,
    not_an_agent: (r) =>
      `${r.name} no es agente, así que el #${r.number} sigue ${r.unassigned ? 'sin asignar' : 'con su responsable actual'}. Un admin puede darle ese rol («role ${r.mention} agent») y después puede asignarlo de nuevo.`,
    already_assigned: (r) => `El #${r.number} ya está asignado a ${r.name}.`,
    same_priority: (r) => `El #${r.number} ya tiene ${r.priority}.`,
    closed: (r) => `El #${r.number} está cerrado.`,
    closed_reply: (r) =>
      `El ticket #${r.number} está cerrado. Envíe un mensaje nuevo y crearé un ticket nuevo.`,
    closed_reopen: (r) => `El #${r.number} está cerrado; cree un ticket nuevo en su lugar.`,
    not_resolved: (r) => `El #${r.number} no está resuelto.`,
    not_resolved_yet: (r) => `El #${r.number} todavía no está resuelto.`,
    empty_note: () => 'La nota está vacía.',
    empty_reply: () => 'La respuesta está vacía.',
    transition: (r) => `No se puede hacer eso con el #${r.number}: ${r.reason}.`,
    rate_not_requester: () => 'Solo el solicitante puede valorar un ticket.',
    rate_range: () => 'Las valoraciones van de 1 a 5.',
    no_approval: (r) => `El #${r.number} no está pendiente de aprobación.`,
    approve_own: (r) =>
      `El #${r.number} es su propia solicitud, así que no puede decidirla usted; lo hará otro aprobador.`,
    not_approver: (r) =>
      `Solo los aprobadores de solicitudes de ${r.category} (o un admin) pueden decidir el #${r.number}.`,
    approval_decided: (r) =>
      `El #${r.number} ya fue ${r.decision === 'approved' ? 'aprobado' : 'denegado'} por ${r.by}.`,
    deny_reason: () => 'Indique por qué se deniega la solicitud: el solicitante verá el motivo.',
  },
};
