/**
 * Ticket-system and mail furniture removed before the local models read a text: `received from:`
 * lines, forwarded headers, greetings, sign-offs with the signature under them, legal disclaimers,
 * "sent from my phone" and external-sender banners. Monitoring alerts are reduced to what they say
 * (which job or host, what failed) with a fixed `monitoring alert` marker, so that timestamps and
 * template words do not pass for topics. Written from general knowledge of mail and ITSM exports.
 */

// "received from: [email]" (ITSM mail intake) and the header lines of a forwarded or quoted mail.
const HEADER_LINE =
  /^\s*(?:>\s*)*(?:received from|from|sent|to|cc|bcc|date|reply-to|von|gesendet|an|datum|kopie)\s*:.*$/gim;
const RECEIVED_FROM = /\breceived from\s*:?\s*\S+/gi;
const SUBJECT_LABEL = /^\s*(?:>\s*)*(?:subject|betreff|re|aw|fw|fwd|wg)\s*:\s*/gim;
const ORIGINAL_MESSAGE =
  /-{2,}\s*(?:original message|forwarded message|urspr[üu]ngliche nachricht)\s*-{2,}/gi;

// Greetings, at the start of the text or of a line, up to their comma or line end.
const GREETING =
  /(^|\n|:: )\s*(?:hi|hello|hey|hallo|dear|good (?:morning|afternoon|evening)|guten (?:morgen|tag|abend)|moin|servus|liebe[rs]?|sehr geehrte[rs]?(?: damen und herren)?|greetings|hi all|hello all|hello team|hi team)\b[^,\n:!.]{0,30}[,!.:]?/gi;

// A sign-off starts the signature: everything after it goes when little follows (a name, a title,
// a phone number), so that "thanks, also the printer is down" keeps its second half.
const SIGN_OFF =
  /(?:^|[\s,.!])(?:(?:best|kind|warm|many|with)\s+regards|regards|thanks?\s*(?:&|and|n)\s*regards|best wishes|cheers|yours sincerely|sincerely|mit freundlichen gr(?:ü|ue|u)(?:ß|ss)en|freundliche gr(?:ü|ue|u)(?:ß|ss)e|viele gr(?:ü|ue|u)(?:ß|ss)e|beste gr(?:ü|ue|u)(?:ß|ss)e|liebe gr(?:ü|ue|u)(?:ß|ss)e|gru(?:ß|ss)|mfg|vg|br|rgds|thx\s*(?:&|and)\s*rgds)\b/gi;
const SIGN_OFF_TAIL_WORDS = 16;

// Disclaimers and mobile footers come last: cut from their first words to the end of the text.
const DISCLAIMER =
  /\b(?:this (?:e-?mail|message|communication)(?: and any (?:attachments?|files?)(?: transmitted with it)?)? (?:is|are|may|contains?|and)\b|the information (?:contained )?in this (?:e-?mail|message)|if you (?:are not the intended|have received this)|please consider the environment|diese (?:e-?mail|nachricht) (?:enth(?:ä|ae|a)lt|ist|kann)|(?:sent|gesendet) (?:from|von) (?:my|meinem) (?:iphone|ipad|android|samsung|mobile|handy|smartphone)|von meinem (?:iphone|ipad|android|samsung|handy|smartphone) gesendet|get outlook for (?:ios|android))/i;

// One-line banners and image placeholders that mail gateways and ticket tools insert.
const BANNERS =
  /\[cid:[^\]]*\]|\[image[^\]]*\]|\b(?:caution|warning|attention|achtung)\s*:?\s*(?:this (?:e-?mail|message) (?:originated|came|comes) from outside[^.\n]*|external (?:e-?mail|sender)[^.\n]*)[.\n]?|\bexternal (?:e-?mail|sender)\s*:|\[external\]/gi;

// Timestamps and dates carry no topic.
const TIMESTAMP =
  /\b\d{4}-\d{2}-\d{2}(?:[ t]\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?)?|\b\d{1,2}[./]\d{1,2}[./]\d{2,4}(?: \d{1,2}:\d{2}(?::\d{2})?)?|\b\d{1,2}:\d{2}(?::\d{2})?(?:\s?[ap]m)?\b/gi;

// Monitoring alerts: the template words go, the job or host and what happened stay.
const JOB_FAILED =
  /\bjob\s+(\S+?)\s+(failed|aborted|abended|errored|timed out|fehlgeschlagen|abgebrochen)\s+in\s+(\S+?)\s+at\s*:?/gi;
const ALERT_PREFIX =
  /^\s*(?:\*{1,3}\s*)?(?:\[(?:alert|critical|warning|warn|problem|recovery|resolved|crit|major|minor)\]|(?:alert|critical|problem|warning|recovery|resolved|crit|major|minor)\s*[:\-!])/i;

/** The text without mail and ticket-system furniture; the text itself when nothing else would remain. */
export function stripBoilerplate(text: string): string {
  const cut = text.indexOf(' :: ');
  if (cut >= 0) {
    const subject = stripPart(text.slice(0, cut), true);
    const body = stripPart(text.slice(cut + 4), false);
    if (subject && body) return `${subject} :: ${body}`;
    return subject || body || text;
  }
  return stripPart(text, false) || text;
}

function stripPart(part: string, isSubject: boolean): string {
  let text = part.replace(ORIGINAL_MESSAGE, '\n');
  text = text.replace(RECEIVED_FROM, ' ').replace(HEADER_LINE, '').replace(SUBJECT_LABEL, '');
  text = text.replace(BANNERS, ' ');
  const alert = ALERT_PREFIX.test(text) || JOB_FAILED.test(text);
  JOB_FAILED.lastIndex = 0;
  text = text.replace(JOB_FAILED, (_, job: string, what: string, where: string) => {
    return ` job ${job.replace(/[_\-.]+/g, ' ')} ${what} ${where.replace(/[_\-.]+/g, ' ')} `;
  });
  text = text.replace(TIMESTAMP, ' ');
  if (!isSubject) {
    const disclaimer = DISCLAIMER.exec(text);
    if (disclaimer && disclaimer.index > 0) text = text.slice(0, disclaimer.index);
    text = cutSignature(text);
  }
  text = text.replace(GREETING, '$1 ');
  text = text
    .replace(/[ \t]+/g, ' ')
    .replace(/\s*\n\s*/g, '\n')
    .trim();
  if (alert && text) text = `monitoring alert ${text}`;
  return text;
}

/** Cuts at the last sign-off that only a short signature follows. */
function cutSignature(text: string): string {
  let keep = text;
  for (const match of text.matchAll(SIGN_OFF)) {
    const at = match.index ?? 0;
    if (at === 0) continue;
    const tail = text.slice(at + match[0].length).match(/[\p{L}\p{N}[\]]+/gu) ?? [];
    if (tail.length <= SIGN_OFF_TAIL_WORDS) {
      keep = text.slice(0, at);
      break;
    }
  }
  return keep;
}
