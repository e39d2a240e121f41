/**
 * Language handling for the local models: German and Chinese IT words are rewritten to the English
 * words the classifiers learnt (so "Drucker druckt nicht" and "printer not printing" share their
 * features), German compounds are split on known parts, umlauts are folded, German stop words are
 * dropped, and runs of Chinese characters become character bigrams. Vocabulary written from general
 * knowledge of the languages, not from any ticket data.
 */

/** Folds umlauts and ß (ä → a, ß → ss), as real exports often lose them anyway. */
export function foldUmlauts(word: string): string {
  return word
    .replace(/[äàâá]/g, 'a')
    .replace(/[öô]/g, 'o')
    .replace(/[üû]/g, 'u')
    .replace(/ß/g, 'ss');
}

/** The same with the ASCII spellings of umlauts (ae, oe, ue) folded too: for German words only. */
function foldDigraphs(word: string): string {
  return word.replace(/ae/g, 'a').replace(/oe/g, 'o').replace(/ue/g, 'u');
}

// German IT words (umlauts folded) → the English words of the training examples.
const GERMAN: Record<string, string> = {
  passwort: 'password',
  kennwort: 'password',
  passwortes: 'password',
  kennworts: 'password',
  zurucksetzen: 'reset',
  rucksetzen: 'reset',
  zurucksetzung: 'reset',
  rucksetzung: 'reset',
  entsperren: 'unlock',
  gesperrt: 'locked',
  sperre: 'lock',
  gesperrte: 'locked',
  anmelden: 'log in',
  anmeldung: 'login',
  einloggen: 'log in',
  login: 'login',
  abmelden: 'log out',
  konto: 'account',
  benutzerkonto: 'account',
  benutzer: 'user',
  benutzername: 'username',
  zugang: 'access',
  zugriff: 'access',
  zugriffsrechte: 'permission',
  berechtigung: 'permission',
  berechtigungen: 'permission',
  rechte: 'permission',
  freigabe: 'share',
  gruppe: 'group',
  mitglied: 'member',
  authentifizierung: 'authentication',
  authenticator: 'authenticator',
  drucker: 'printer',
  druckt: 'print',
  drucken: 'print',
  druck: 'print',
  ausdruck: 'printout',
  druckauftrag: 'print job',
  warteschlange: 'queue',
  papierstau: 'paper jam',
  papier: 'paper',
  stau: 'jam',
  scannen: 'scan',
  scanner: 'scanner',
  toner: 'toner',
  patrone: 'cartridge',
  rechner: 'computer',
  computer: 'computer',
  laptop: 'laptop',
  notebook: 'laptop',
  bildschirm: 'screen',
  monitor: 'monitor',
  tastatur: 'keyboard',
  maus: 'mouse',
  akku: 'battery',
  ladegerat: 'charger',
  netzteil: 'charger',
  kabel: 'cable',
  headset: 'headset',
  kopfhorer: 'headphones',
  telefon: 'phone',
  handy: 'mobile phone',
  diensthandy: 'mobile phone',
  festplatte: 'disk',
  speicher: 'storage',
  speicherplatz: 'disk space',
  gerat: 'device',
  gerate: 'device',
  hardware: 'hardware',
  dockingstation: 'docking station',
  kamera: 'camera',
  mikrofon: 'microphone',
  lautsprecher: 'speaker',
  netzwerk: 'network',
  netz: 'network',
  verbindung: 'connection',
  verbinden: 'connect',
  internet: 'internet',
  wlan: 'wifi',
  funknetz: 'wifi',
  laufwerk: 'drive',
  netzlaufwerk: 'network drive',
  fernzugriff: 'remote access',
  langsam: 'slow',
  server: 'server',
  postfach: 'mailbox',
  mailbox: 'mailbox',
  mail: 'email',
  mails: 'email',
  email: 'email',
  emails: 'email',
  nachricht: 'message',
  nachrichten: 'message',
  kalender: 'calendar',
  termin: 'meeting',
  termine: 'meeting',
  besprechung: 'meeting',
  besprechungsraum: 'meeting room',
  raum: 'room',
  verteiler: 'distribution list',
  verteilerliste: 'distribution list',
  abwesenheitsnotiz: 'out of office',
  anhang: 'attachment',
  weiterleitung: 'forward',
  programm: 'application',
  anwendung: 'application',
  software: 'software',
  installieren: 'install',
  installation: 'install',
  installiert: 'install',
  lizenz: 'license',
  lizenzen: 'license',
  aktualisierung: 'update',
  aktualisieren: 'update',
  absturz: 'crash',
  sturzt: 'crash',
  abgesturzt: 'crash',
  hangt: 'freeze',
  startet: 'start',
  offnet: 'open',
  offnen: 'open',
  fehler: 'error',
  fehlermeldung: 'error message',
  kaputt: 'broken',
  defekt: 'broken',
  funktioniert: 'work',
  geht: 'work',
  virus: 'virus',
  schadsoftware: 'malware',
  verdachtig: 'suspicious',
  verdachtige: 'suspicious',
  gestohlen: 'stolen',
  verloren: 'lost',
  diebstahl: 'theft',
  betrug: 'fraud',
  gehackt: 'hacked',
  sicherheit: 'security',
  rechnung: 'invoice',
  gehalt: 'salary',
  urlaub: 'vacation',
  urlaubsantrag: 'leave request',
  reisekosten: 'travel expenses',
  buro: 'office',
  schreibtisch: 'desk',
  schlussel: 'key',
  ausweis: 'badge',
  aufgabe: 'job',
  auftrag: 'job',
  dringend: 'urgent',
  neu: 'new',
  neuer: 'new',
  neues: 'new',
  neuen: 'new',
  mitarbeiter: 'employee',
  mitarbeiterin: 'employee',
  eintritt: 'starter',
  austritt: 'leaver',
  bestellen: 'order',
  bestellung: 'order',
  anfrage: 'request',
  frage: 'question',
  hilfe: 'help',
  helfen: 'help',
  erreichbar: 'reach',
  verfugbar: 'available',
  geoffnet: 'open',
  nicht: 'not',
  kein: 'no',
  keine: 'no',
  keinen: 'no',
  wie: 'how',
  wo: 'where',
  warum: 'why',
  bitte: 'please',
  danke: 'thanks',
};

// German function words: dropped in German text (several are English words too, hence the check).
const GERMAN_STOP = new Set(
  (
    'der die das den dem des ein eine einer einen einem eines und oder aber auch ist sind war waren wird werden ' +
    'wurde hat haben hatte ich du er sie es wir ihr mein meine meinen meinem mir mich dein sein seine unser ' +
    'mit von vom zu zum zur im in an am auf aus bei fur uber unter nach seit bis als wenn dass da so noch schon ' +
    'nur sehr mal man kann konnen konnte muss soll sich diese dieser dieses hier dort jetzt heute gestern morgen ' +
    'mehr nichts wird seit ab wieder immer ja nein bzw ca usw etc hallo zusammen gruss grusse liebe viele beste freundlichen'
  ).split(' '),
);

// Parts of compounds, longest first, for splitting words such as "druckerwarteschlange".
const PARTS = Object.keys(GERMAN)
  .filter((k) => k.length >= 4 && !['nicht', 'kein', 'keine', 'keinen', 'bitte', 'danke', 'geht'].includes(k))
  .sort((a, b) => b.length - a.length);

function germanWord(folded: string): string | undefined {
  return GERMAN[folded] ?? GERMAN[foldDigraphs(folded)];
}

/** English words for a German compound made of known parts (at most three), or undefined. */
export function splitCompound(word: string): string[] | undefined {
  const w = foldDigraphs(foldUmlauts(word.toLowerCase()));
  if (w.length < 7) return undefined;
  const found: string[] = [];
  let rest = w;
  for (let guard = 0; guard < 3 && rest.length >= 4; guard++) {
    const part = PARTS.find((p) => rest.startsWith(p));
    if (!part) break;
    found.push(GERMAN[part]!);
    // Linking elements: "s" (Anmeldungsproblem), "n"/"en" (Kalendereintrag has none).
    rest = rest.slice(part.length).replace(/^(?:s|n|en)(?=[a-z]{4})/, '');
  }
  if (rest.length >= 4) {
    const tail = PARTS.find((p) => rest.endsWith(p));
    if (tail) found.push(GERMAN[tail]!);
  }
  return found.length > 0 ? found : undefined;
}

// Chinese IT words → English; the longest are tried first.
const CHINESE: Record<string, string> = {
  密码: 'password',
  重置: 'reset',
  账号: 'account',
  账户: 'account',
  帐号: 'account',
  登录: 'login',
  登陆: 'login',
  锁定: 'locked',
  权限: 'permission',
  访问: 'access',
  打印机: 'printer',
  打印: 'print',
  卡纸: 'paper jam',
  扫描: 'scan',
  墨盒: 'cartridge',
  电脑: 'computer',
  笔记本: 'laptop',
  显示器: 'monitor',
  屏幕: 'screen',
  键盘: 'keyboard',
  鼠标: 'mouse',
  耳机: 'headset',
  手机: 'mobile phone',
  电话: 'phone',
  网络: 'network',
  无线: 'wifi',
  上网: 'internet',
  连接: 'connect',
  断开: 'disconnect',
  共享盘: 'network drive',
  邮件: 'email',
  邮箱: 'mailbox',
  日历: 'calendar',
  会议室: 'meeting room',
  会议: 'meeting',
  软件: 'software',
  安装: 'install',
  许可证: 'license',
  更新: 'update',
  升级: 'upgrade',
  崩溃: 'crash',
  报错: 'error',
  错误: 'error',
  病毒: 'virus',
  钓鱼: 'phishing',
  可疑: 'suspicious',
  丢失: 'lost',
  被盗: 'stolen',
  无法: 'cannot',
  不能: 'cannot',
  失败: 'fail',
  很慢: 'slow',
  慢: 'slow',
  坏了: 'broken',
  申请: 'request',
  开通: 'enable',
  作业: 'job',
  任务: 'job',
  报销: 'expense',
  工资: 'salary',
};
const CHINESE_WORDS = Object.keys(CHINESE).sort((a, b) => b.length - a.length);

const HAN = /\p{Script=Han}/u;
const HAN_RUN = /\p{Script=Han}+/gu;

/** English words for the Chinese IT words in a run of Han characters. */
function chineseWords(run: string): string[] {
  const words: string[] = [];
  for (let i = 0; i < run.length; ) {
    const word = CHINESE_WORDS.find((w) => run.startsWith(w, i));
    if (word) {
      words.push(CHINESE[word]!);
      i += word.length;
    } else i++;
  }
  return words;
}

/** Character bigrams of each Han run (a lone character stands for itself), as `zh:` features. */
export function hanBigrams(text: string): string[] {
  const grams: string[] = [];
  for (const run of text.match(HAN_RUN) ?? []) {
    const chars = [...run];
    if (chars.length === 1) grams.push(`zh:${run}`);
    for (let i = 0; i + 1 < chars.length; i++) grams.push(`zh:${chars[i]}${chars[i + 1]}`);
  }
  return grams;
}

/**
 * The text with German and Chinese IT words in English, German stop words dropped (when the text
 * is German) and Han runs replaced by their known words; the same offsets are not kept.
 */
export function toEnglishWords(text: string, language: string): string {
  let out = text;
  if (HAN.test(out)) out = out.replace(HAN_RUN, (run) => ` ${chineseWords(run).join(' ')} `);
  const german = language === 'de';
  return out.replace(/\p{L}[\p{L}-]*/gu, (raw) => {
    const word = raw.toLowerCase();
    const folded = foldUmlauts(word);
    if (german && GERMAN_STOP.has(folded)) return '';
    const known = germanWord(folded);
    if (known && (german || folded !== word || !ENGLISH_TOO.has(word))) return known;
    if (german || folded !== word) {
      const parts = splitCompound(word);
      if (parts) return parts.join(' ');
      return folded;
    }
    return raw;
  });
}

// Lexicon words that are English words too: only rewritten in German text.
const ENGLISH_TOO = new Set([
  'rechte',
  'raum',
  'neu',
  'wie',
  'wo',
  'kein',
  'termine',
  'stau',
  'netz',
  'druck',
  'mail',
  'mails',
  'emails',
  'handy',
  'notebook',
  'installation',
]);

/** German words of the lexicon and stop list, as evidence for the language guess. */
export const GERMAN_EVIDENCE: ReadonlySet<string> = new Set(
  [...Object.keys(GERMAN), ...GERMAN_STOP].filter(
    (w) =>
      ![
        'die',
        'an',
        'in',
        'so',
        'da',
        'man',
        'hat',
        'mal',
        'etc',
        'login',
        'computer',
        'laptop',
        'notebook',
        'monitor',
        'toner',
        'scanner',
        'headset',
        'hardware',
        'software',
        'internet',
        'server',
        'mail',
        'mails',
        'email',
        'emails',
        'mailbox',
        'virus',
        'installation',
        'authenticator',
        'wo',
        'handy',
        'ca',
        'am',
        'im',
        'bis',
        'war',
        'ab',
        'sie',
        'es',
        'er',
        'hier',
        'uber',
      ].includes(w),
  ),
);

/** Share of the letters in the text that are Han (Chinese) characters. */
export function hanShare(text: string): number {
  const letters = text.match(/\p{L}/gu)?.length ?? 0;
  const han = text.match(/\p{Script=Han}/gu)?.length ?? 0;
  return letters === 0 ? 0 : han / letters;
}
