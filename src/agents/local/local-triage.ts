/**
 * The offline triage model: naive Bayes classifiers trained at start-up on the project's own
 * examples, rules for priority cues, wink-nlp sentiment and a stop-word language guess.
 */
import type { Triage } from '../../core/routing/router.ts';
import { type Category, type Priority, titleFrom } from '../../core/tickets/ticket.ts';
import { type RoutedTriage, routedTriageSchema } from '../triage-schema.ts';
import { type NaiveBayes, trainNaiveBayes } from './naive-bayes.ts';
import { featuresOf, languageOf, sentimentOf } from './nlp.ts';
import { TRAINING_EXAMPLES, type TrainingExample } from './training-data.ts';

type Intent = Triage['intent'];

export interface LocalTriageModel {
  triage(redactedText: string): RoutedTriage;
}

const CHATTER =
  /^(?:(?:hi|hello|hey|hiya|yo|good (?:morning|afternoon|evening)|thanks?|thank you|thx|ty|cheers|ok(?:ay)?|k|cool|great|perfect|awesome|nice|got it|sounds good|will do|no worries|np|bye|goodbye|see you|yes|no|yep|nope|sure|👍|🙏|😀|🙂)[\s!.,:)]*(?:so much|a lot|very much|again|all|there|team|guys|folks|everyone)?[\s!.,:)]*)+$/i;

/** Greetings, thanks and acknowledgements: answered briefly, nothing filed. */
export function isChatter(text: string): boolean {
  const clean = text
    .trim()
    .replace(/<@[^>]+>/g, '')
    .trim();
  return clean.length === 0 || (clean.length <= 60 && CHATTER.test(clean));
}

const P1 =
  /\b(?:(?:is|are|went|goes) down|outage|down for (?:every|all)|(?:whole|entire) (?:office|company|floor|team|building)|nobody can|no one can|everyone (?:is|can't|cannot)|all users|ransomware|site is down|production down)\b/i;
const P2 =
  /\b(?:can(?:no|')t (?:do any|work)|cannot work|unable to work|fully blocked|completely blocked|blocked from working|deadline (?:is )?today|(?:presentation|demo|meeting|call) (?:today|in \d+|this (?:morning|afternoon))|locked out .*(?:today|now|meeting|call)|stolen|lost (?:my )?(?:work )?(?:phone|laptop)|entered my password|clicked (?:a|the) link)\b/i;
const P3 =
  /\b(?:urgent|urgently|asap|as soon as possible|high priority|high importance|important|critical|not working|doesn't work|does not work|stopped working|broken|error|fail(?:s|ed|ing)?|crash\w*|can(?:no|')t|unable|slow|locked|keeps?|again)\b/i;

const QUESTION =
  /^(?:how|where|what|who|why|when|which|is there|can i|can you tell|do i|do we|does|should i)\b|\?\s*$/i;

function priorityFor(text: string, intent: Intent, learned: Priority): Priority {
  if (P1.test(text)) return 'P1';
  if (P2.test(text)) return 'P2';
  if (intent === 'question' && !P3.test(text)) return 'P4';
  if (intent === 'incident' || P3.test(text)) return 'P3';
  return learned === 'P3' ? 'P3' : 'P4';
}

function cleanTitle(text: string): string {
  const subject = text.includes(' :: ') ? text.split(' :: ')[0]! : text;
  const title = titleFrom(subject.replace(/^(?:hi|hello|hey|dear)\b[\s,!]*/i, ''), 80);
  return title.charAt(0).toUpperCase() + title.slice(1);
}

/** Trains the classifiers; call once at start-up (well under a second). */
export function trainLocalTriage(examples: TrainingExample[] = TRAINING_EXAMPLES): LocalTriageModel {
  const featured = examples.map((e) => ({ ...e, ...featuresOf(e.text) }));
  const category: NaiveBayes<Category> = trainNaiveBayes(
    featured.map((e) => ({ features: e.topical, label: e.category })),
  );
  const intent: NaiveBayes<Intent> = trainNaiveBayes(
    featured.map((e) => ({ features: e.features, label: e.intent })),
  );
  const priority: NaiveBayes<'P3' | 'P4'> = trainNaiveBayes<'P3' | 'P4'>(
    featured.map((e) => ({ features: e.features, label: e.priority === 'P3' ? 'P3' : 'P4' })),
  );
  const selfService: NaiveBayes<'yes' | 'no'> = trainNaiveBayes(
    featured.map((e) => ({ features: e.features, label: e.self_service ? 'yes' : 'no' })),
  );

  return {
    triage(text) {
      const { words, features, topical } = featuresOf(text);
      const chatter = isChatter(text);
      const cat = category.predict(topical);
      const learnedIntent = intent.predict(features);
      const asks = QUESTION.test(text.trim());
      const intentLabel: Intent =
        asks && learnedIntent.label !== 'incident' ? 'question' : learnedIntent.label;
      const known = topical.filter((f) => !f.includes('_')).length;
      // Nothing the classifier recognises, or a couple of generic words: ask rather than guess.
      const vague = !chatter && (words.length === 0 || (words.length <= 3 && cat.probability < 0.5));
      const selfServiceLabel = selfService.predict(features);
      return routedTriageSchema.parse({
        category: words.length === 0 ? 'other' : cat.label,
        priority: priorityFor(text, intentLabel, priority.predict(features).label),
        intent: intentLabel,
        self_service:
          selfServiceLabel.label === 'yes' ||
          (intentLabel === 'question' && cat.label !== 'security' && selfServiceLabel.probability < 0.8),
        language: languageOf(text),
        sentiment: sentimentOf(text),
        title: cleanTitle(text),
        confidence: Math.round(cat.probability * Math.min(1, 0.4 + known / 10) * 100) / 100,
        vague,
        clarifying_question: vague ? clarifyingQuestion() : null,
        chatter,
      });
    },
  };
}

function clarifyingQuestion(): string {
  return 'Could you tell me a bit more? Which device or app is it, what were you trying to do, and what happened (any error message)?';
}
