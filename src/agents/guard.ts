/**
 * The guard: removes personal data and secrets from a request before any model, log line or
 * `llm_calls` row sees it. The ticket keeps the original text; only the redacted text travels.
 */

export type RedactionKind =
  | 'secret'
  | 'email'
  | 'iban'
  | 'card'
  | 'cvv'
  | 'password'
  | 'code'
  | 'ip'
  | 'phone'
  | 'token';

export interface Redacted {
  text: string;
  /** What was removed, one entry per occurrence, in the order the rules ran. */
  found: RedactionKind[];
}

const MASK: Record<RedactionKind, string> = {
  secret: '[secret]',
  email: '[email]',
  iban: '[iban]',
  card: '[card]',
  cvv: '[cvv]',
  password: '[password]',
  code: '[code]',
  ip: '[ip]',
  phone: '[phone]',
  token: '[secret]',
};

// Secrets with a recognisable shape; run first so later rules never see half a key.
const KNOWN_SECRETS: RegExp[] = [
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, // JWT
  /\bsk-(?:proj-|ant-|live-|test-)?[A-Za-z0-9_-]{16,}/g, // OpenAI / Anthropic / Stripe style
  /\b(?:rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}/g,
  /\bxox[abposre]-[A-Za-z0-9-]{10,}/g, // Slack
  /\bxapp-[A-Za-z0-9-]{10,}/g,
  /\bgh[pousr]_[A-Za-z0-9]{20,}/g, // GitHub
  /\bgithub_pat_[A-Za-z0-9_]{20,}/g,
  /\bglpat-[A-Za-z0-9_-]{20,}/g, // GitLab
  /\b(?:AKIA|ASIA|AGPA|AIDA|AROA)[0-9A-Z]{16}\b/g, // AWS access key id
  /\bAIza[0-9A-Za-z_-]{35}/g, // Google API key
  /\bnpm_[A-Za-z0-9]{36}\b/g,
  /\bBearer\s+[A-Za-z0-9._~+/=-]{16,}/gi,
  /\b(?:api[_-]?key|secret|client[_-]?secret|access[_-]?token|auth[_-]?token|token)\s*[:=]\s*["']?[^\s"']{8,}/gi,
];

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;

// "my password is X", "pwd: X", "pw: X", "new password = X", "Passwort ist X", "password hunter2",
// 'password is "correct horse battery"'. Quantifiers are bounded so the rule stays linear on any input.
const PASSWORD =
  /\b(password|passwort|passwd|pwd|pw|passphrase|kennwort|mot de passe)(\s{1,10}(?:is now|ist|est|is|was)\b\s{0,10}:?\s{0,10}|\s{0,10}[:=]\s{0,10}|\s{1,10})(?:(["'`\u201c\u2018])([^"'`\u201d\u2019\n]{1,100})["'`\u201d\u2019]|(\S+))/gi;

// Card security codes: "cvv 123", "CVC: 1234", "security code 123".
const CVV = /\b(cvv2?|cvc2?|csc|card security code)(\s{0,10}[:=]?\s{0,10})(\d{3,4})\b/gi;

// One-time codes: a qualifier is required so that "error code 1603" stays.
const ONE_TIME_CODE =
  /\b((?:one[- ]time|verification|security|sms|mfa|2fa|otp|auth(?:entication)?|login|sign[- ]in|access|my|the)\s+(?:code|pin)|otp|passcode|pin(?:\s+code)?)(\s+(?:is|was)\s*:?|\s*[:=]|\s)\s*(\d(?:[ -]?\d){3,7})\b/gi;

// Printed IBANs come in groups of four; uppercase only, so ordinary words never join the match.
const IBAN = /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b/g;
const CARD = /(?<![\w.#-])\d(?:[ -]?\d){12,18}(?![\w.])/g;
// IPv4 not preceded by a version word; versions like 10.0.19045 fail the octet range anyway.
const IPV4 =
  /(?<!(?:version|ver|v|build|release)\s?)(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\/\d{1,2})?(?![\w.])/gi;
const IPV6 = /(?<![\w:.])(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}(?![\w:])/gi;
const PHONE = /(?<![\w#.:/-])(?:\+|00)?\(?\d[\d\s().-]{5,18}\d(?![\w.:-]?\w)/g;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CANDIDATE_TOKEN = /(?<![\w/.-])[A-Za-z0-9+/_=-]{24,}(?![\w/.-])/g;

/**
 * Runs of more than this many characters without a space are no words a person wrote: a pasted
 * blob, a key, a dump. They are masked whole before the rules run, which also bounds the rules'
 * work (several patterns backtrack over one unbroken run, quadratic in its length).
 */
export const MAX_TOKEN_LENGTH = 256;
const LONG_TOKEN = new RegExp(`\\S{${MAX_TOKEN_LENGTH + 1},}`, 'g');

/** Replaces personal data and secrets with placeholders like `[email]`. */
export function redact(input: string): Redacted {
  const found: RedactionKind[] = [];
  let text = input.replace(LONG_TOKEN, () => {
    found.push('token');
    return MASK.token;
  });
  const replace = (
    pattern: RegExp,
    kind: RedactionKind,
    keep?: (match: string, ...groups: string[]) => string | null,
  ) => {
    text = text.replace(pattern, (match: string, ...rest: unknown[]) => {
      // The callback gets (match, ...groups, offset, input); unmatched groups arrive as undefined.
      const groups = rest.slice(0, -2).map((g) => (typeof g === 'string' ? g : ''));
      const out = keep ? keep(match, ...groups) : MASK[kind];
      if (out === null || out === match) return match;
      found.push(kind);
      return out;
    });
  };

  for (const pattern of KNOWN_SECRETS) replace(pattern, 'secret');
  replace(EMAIL, 'email');
  replace(PASSWORD, 'password', (_m, word = '', sep = '', quote = '', _quoted = '', bare = '') => {
    // With nothing but a space between ("password reset"), only a word that looks like a secret goes.
    if (!quote && !/\S/.test(sep) && !looksLikePasswordValue(bare)) return null;
    return `${word}${sep.trimEnd()} ${MASK.password}`;
  });
  replace(CVV, 'cvv', (_m, word = '', sep = '') => `${word}${sep.trimEnd()} ${MASK.cvv}`);
  replace(ONE_TIME_CODE, 'code', (_m, word = '', sep = '') => `${word}${sep.trimEnd() || ''} ${MASK.code}`);
  replace(IBAN, 'iban', (m) => (isIban(m) ? MASK.iban : null));
  replace(CARD, 'card', (m) => (luhn(m.replace(/\D/g, '')) ? MASK.card : null));
  replace(IPV4, 'ip');
  replace(IPV6, 'ip', (m) => (isIpv6(m) ? MASK.ip : null));
  replace(PHONE, 'phone', (m) => (looksLikePhone(m) ? MASK.phone : null));
  replace(CANDIDATE_TOKEN, 'token', (m) => (looksLikeSecret(m) ? MASK.token : null));
  return { text, found };
}

/** Convenience for logs: the redacted text only. */
export function redactText(input: string): string {
  return redact(input).text;
}

export function luhn(digits: string): boolean {
  if (digits.length < 13 || digits.length > 19 || /^(\d)\1+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

export function isIban(candidate: string): boolean {
  const iban = candidate.replace(/\s/g, '').toUpperCase();
  if (iban.length < 15 || iban.length > 34 || !/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(iban)) return false;
  const moved = iban.slice(4) + iban.slice(0, 4);
  let rest = 0;
  for (const ch of moved) {
    const value = ch >= 'A' ? String(ch.charCodeAt(0) - 55) : ch;
    for (const digit of value) rest = (rest * 10 + Number(digit)) % 97;
  }
  return rest === 1;
}

function isIpv6(candidate: string): boolean {
  const groups = candidate.split(':');
  const compressed = candidate.split('::').length - 1;
  if (compressed > 1) return false;
  // Without "::" it takes all eight groups, which also keeps times like 10:30:15 out.
  if (compressed === 0) return groups.length === 8 && groups.every((g) => /^[0-9a-f]{1,4}$/i.test(g));
  return groups.length <= 8 && groups.some((g) => g.length > 0) && candidate.length >= 3;
}

/** A word after "password" that is a password, not English: it has a digit or a symbol inside. */
function looksLikePasswordValue(word: string): boolean {
  const core = word.replace(/[.,;:!?)\]]+$/, '');
  return core.length >= 4 && (/\d/.test(core) || /[^\p{L}'-]/u.test(core));
}

function looksLikePhone(match: string): boolean {
  const digits = match.replace(/\D/g, '');
  if (digits.length < 7 || digits.length > 15) return false;
  const trimmed = match.trim();
  // Dates and versions are digits separated by dots or dashes in short groups.
  if (/^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}$/.test(trimmed) || /^\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}$/.test(trimmed)) {
    return false;
  }
  if (/^[\d.]+$/.test(trimmed)) return false;
  const international = /^(?:\+|00)/.test(trimmed);
  const separated = /[\s().-]/.test(trimmed);
  // A bare run of digits is more often an order or asset number than a phone number.
  if (!international && !separated) return digits.length >= 10 && /^0/.test(digits);
  if (/^\d{1,4}(?:\s\d{1,4})+$/.test(trimmed) && !international) {
    // "room 4 12 3" style fragments: only a phone when long enough.
    return digits.length >= 9;
  }
  return true;
}

function looksLikeSecret(token: string): boolean {
  if (GUID.test(token)) return false;
  const hasDigit = /\d/.test(token);
  const hasLower = /[a-z]/.test(token);
  const hasUpper = /[A-Z]/.test(token);
  if (!hasDigit || !(hasLower || hasUpper)) return false;
  if (/^[a-z]+(?:[-_][a-z0-9]+)+$/.test(token)) return false; // kebab/snake identifiers
  const entropy = shannon(token);
  if (/^[0-9a-f]+$/i.test(token)) return token.length >= 32 && entropy >= 3.2; // hex digests / keys
  return entropy >= 4 && (hasLower && hasUpper ? true : token.length >= 32);
}

function shannon(value: string): number {
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}
