/**
 * Whether a request is too vague to act on: it names nothing (no device, app, service, account or
 * thing wanted), only generic words of trouble and asking ("it's broken", "help", "not working",
 * "problem"). A rule, not a model: the decision must not hinge on a classifier being unsure by
 * chance, and any word outside the generic vocabulary ("vpn down", "printer jammed", "mfa") is
 * taken to name the thing, so a short real request is never turned into a question.
 */

const GENERIC = new Set(
  [
    // Pronouns, articles, auxiliaries, prepositions, fillers.
    'i im ive me my mine myself we us our you your it its itself this that these those there here they them their',
    'a an the and or but so then also too just really very quite some any all whole every',
    'is are was were be been being am do does did done doing have has had having get gets got getting',
    'can could would should will shall may might must go goes going gone went keep keeps kept make made',
    'to of in on at for with from by about into up down out off over as if not no nor again still yet',
    'anymore ever never always now today right immediately quickly soon already',
    'something anything everything nothing someone somebody anyone anybody everyone thing things stuff',
    'what why how who when where which whats thats theres hmm um uh ok okay oh ah hey hi hello',
    // Asking for help, politeness, urgency.
    'help helps helping helpdesk support assist assistance sos please pls plz thanks thank team guys',
    'need needs needed want wants wanted urgent urgently asap emergency important critical quick',
    'look check see someone fix fixed fixing repair sort sorted',
    // Trouble, with nothing said about what is in trouble.
    'problem problems issue issues trouble troubles error errors bug bugs fault glitch glitches',
    'broken broke break breaks breaking work works worked working function functions functioning',
    'wrong bad weird strange odd funny slow laggy stuck dead died gone happen happens happened happening',
    'fail fails failed failing failure crash crashes crashed crashing freeze freezes freezing frozen',
    'stop stops stopped start starts started respond responding load loading hang hangs hanging',
    // The same in a few other languages the local models label.
    'hilfe bitte dringend geht nicht funktioniert kaputt es ist das ich mein meine habe ein eine fehler',
    'aide svp ça ca ne marche pas fonctionne cassé problème erreur urgent je mon ma il est',
    'ayuda por favor funciona roto problema está esta mi tengo un una urgente',
  ]
    .join(' ')
    .split(' '),
);

const NEGATED =
  /^(?:do|does|did|is|are|was|were|ca|can|wo|could|would|should|have|has|had|ai|need|must)n'?t$/;

/** The words of a text that name something: what is left once the generic vocabulary is gone. */
export function namingWords(text: string): string[] {
  const words = text
    .toLowerCase()
    .replace(/[’‘`]/g, "'")
    .match(/[\p{L}\p{N}]+(?:'[\p{L}]+)*/gu);
  const named: string[] = [];
  for (const raw of words ?? []) {
    // Contractions: "it's" → "it", and every negated auxiliary ("doesn't", "cant") says nothing.
    if (NEGATED.test(raw)) continue;
    const word = raw.replace(/'(?:s|re|m|ve|ll|d)$/, '');
    if (/^\p{N}+$/u.test(word) || GENERIC.has(word)) continue;
    named.push(word);
  }
  return named;
}

/** True when the request names nothing to act on, so one clarifying question is the right answer. */
export function isVagueRequest(text: string): boolean {
  return namingWords(text).length === 0;
}
