/**
 * The offline triage model: linear classifiers (logistic regression trained with SGD; naive Bayes
 * remains an option) trained at start-up on the project's own examples, rules for priority cues,
 * wink-nlp sentiment and a language guess. Texts lose their mail furniture first (boilerplate.ts)
 * and German or Chinese words are read as English ones (language.ts); the category's probability is
 * temperature-calibrated (calibration.ts). Every choice in DEFAULT_TRIAGE_OPTIONS was made by
 * cross-validation on the training examples: `node bin/run-ts.js bench/triage-cv.ts`.
 */
import type { Triage } from '../../core/routing/router.ts';
import { CATEGORIES, type Category, type Priority, titleFrom } from '../../core/tickets/ticket.ts';
import { type RoutedTriage, routedTriageSchema } from '../triage-schema.ts';
import { isVagueRequest } from '../vague.ts';
import { stripBoilerplate } from './boilerplate.ts';
import { fitTemperature, withTemperature } from './calibration.ts';
import { type LinearOptions, trainLinear } from './linear.ts';
import type { FeatureVector, Prediction } from './model-types.ts';
import { type NaiveBayesOptions, trainNaiveBayes } from './naive-bayes.ts';
import { charNgrams, type Features, featuresOf, languageOf, sentimentLabel, withBigrams } from './nlp.ts';
import { TRAINING_EXAMPLES, type TrainingExample } from './training-data.ts';

type Intent = Triage['intent'];

export interface LocalTriageModel {
  triage(redactedText: string): RoutedTriage;
  /** The category head's temperature, fitted on held-out folds at training (1 = uncalibrated). */
  readonly temperature: number;
}

const CHATTER =
  /^(?:(?:hi|hello|hey|hiya|yo|good (?:morning|afternoon|evening)|thanks?|thank you|thx|ty|cheers|ok(?:ay)?|k|cool|great|perfect|awesome|nice|got it|sounds good|will do|no worries|np|bye|goodbye|see you|yes|no|yep|nope|sure|danke(?: sch(?:ö|oe)n)?|vielen dank|hallo|merci(?: beaucoup)?|bonjour|salut|gracias|hola|obrigad[oa]|ol[áa]|👍|🙏|😀|🙂)[\s!.,:)]*(?:so much|a lot|very much|again|all|there|team|guys|folks|everyone)?[\s!.,:)]*)+$/i;

/** Greetings, thanks and acknowledgements: answered briefly, nothing filed. */
export function isChatter(text: string): boolean {
  const clean = text
    .trim()
    .replace(/<@[^>]+>/g, '')
    .trim();
  return clean.length === 0 || (clean.length <= 60 && CHATTER.test(clean));
}

const P1 =
  /\b(?:(?:is|are|went|goes) down|outage|down for (?:every|all)|(?:whole|entire) (?:office|company|floor|team|building)|nobody can|no one can|everyone (?:is|can't|cannot)|all users|ransomware|site is down|production down|(?:ganze[ns]?|gesamte[ns]?) (?:b(?:ü|ue|u)ro|firma|abteilung|team|standort)|niemand kann|alle (?:benutzer|mitarbeiter))\b/i;
const P2 =
  /\b(?:can(?:no|')t (?:do any|work)|cannot work|unable to work|fully blocked|completely blocked|blocked from working|deadline (?:is )?today|(?:presentation|demo|meeting|call) (?:today|in \d+|this (?:morning|afternoon))|locked out .*(?:today|now|meeting|call)|stolen|lost (?:my )?(?:work )?(?:phone|laptop)|entered my password|clicked (?:a|the) link|kann nicht (?:mehr )?arbeiten|gestohlen|verloren)\b/i;
const P3 =
  /\b(?:urgent|urgently|asap|as soon as possible|high priority|high importance|important|critical|not working|doesn't work|does not work|stopped working|broken|error|fail(?:s|ed|ing)?|crash\w*|can(?:no|')t|unable|slow|locked|keeps?|again|dringend|funktioniert nicht|geht nicht|kaputt|defekt|fehler\w*|gesperrt|langsam|st(?:ü|ue|u)rzt)\b/i;

const QUESTION =
  /^(?:how|where|what|who|why|when|which|is there|can i|can you tell|do i|do we|does|should i)\b|\?\s*$/i;

function priorityFor(
  text: string,
  intent: Intent,
  learned: Priority,
  rule: LocalTriageOptions['rules']['priority'],
): Priority {
  if (P1.test(text)) return 'P1';
  if (P2.test(text)) return 'P2';
  if (rule === 'learned') return learned;
  if (intent === 'question' && !P3.test(text)) return 'P4';
  if (rule === 'question-then-learned') return learned;
  if (intent === 'incident' || P3.test(text)) return 'P3';
  return learned === 'P3' ? 'P3' : 'P4';
}

function cleanTitle(text: string): string {
  const subject = text.includes(' :: ') ? text.split(' :: ')[0]! : text;
  const title = titleFrom(subject.replace(/^(?:hi|hello|hey|dear)\b[\s,!]*/i, ''), 80);
  return title.charAt(0).toUpperCase() + title.slice(1);
}

/** Which features a classifier sees, and how much each kind weighs. */
export interface FeatureOptions {
  /** `topical` drops greeting and signature words (for the category); `all` keeps them. */
  source: 'topical' | 'all';
  bigrams: boolean;
  /** Character n-grams of each word, each worth `weight` of a whole word; null for none. */
  chars: { min: number; max: number; weight: number; prefixOnly?: boolean } | null;
  /** Weight of a feature that occurs in the mail subject (1 = no different from the body). */
  subjectWeight: number;
  /**
   * Length-independent subject weighting (topical source only): the subject's and the body's
   * features are L2-normalised apart and mixed in this proportion, so that a long body cannot drown
   * the subject line. Unset: one bag of words, with `subjectWeight`.
   */
  subjectShare?: number;
  /**
   * Position decay of body words (topical source only): the i-th word weighs decay / (decay + i),
   * so the opening lines of a mail count more than its signature and quoted thread (0 or unset: off).
   */
  decay?: number;
}

/** Naive Bayes, a linear model, or an ensemble (a weighted average of its members' probabilities). */
export type ClassifierOptions =
  | ({ kind: 'nb' } & NaiveBayesOptions)
  | ({ kind: 'linear' } & LinearOptions)
  | { kind: 'ensemble'; members: Array<{ weight: number; model: ClassifierOptions }> };

export interface HeadOptions {
  features: FeatureOptions;
  classifier: ClassifierOptions;
}

export interface LocalTriageOptions {
  /**
   * `abstain`: a calibrated winning probability below it files the text under `other` ("too unclear
   * to tell"). `calibrationFolds`: the category probabilities are temperature-scaled with a T fitted
   * on this many held-out folds of the training set (0 = uncalibrated).
   */
  category: HeadOptions & { abstain: number; calibrationFolds: number };
  /** Remove mail and ticket-system furniture (boilerplate.ts) before reading a text. */
  stripBoilerplate: boolean;
  intent: HeadOptions;
  priority: HeadOptions;
  selfService: HeadOptions;
  /**
   * The classifiers and sentiment read the subject and at most this many characters of the body:
   * keeps triage of a long mail thread within the latency budget (0 = no limit).
   */
  maxChars: number;
  rules: {
    /**
     * After the P1/P2 cue rules: `cues` files questions without a P3 cue as P4, incidents and P3
     * cues as P3 and asks the classifier about the rest; `question-then-learned` keeps only the
     * question rule; `learned` asks the classifier straight away.
     */
    priority: 'cues' | 'question-then-learned' | 'learned';
    /** A text phrased as a question is a question unless the classifier says incident. */
    questionForm: boolean;
    /** A question is self-service unless the classifier says "no" with more than this probability (0 = off). */
    questionSelfService: number;
  };
}

const WORDS: FeatureOptions = { source: 'all', bigrams: true, chars: null, subjectWeight: 1 };

/**
 * Below this calibrated category confidence the local model's guess is not to be trusted: the
 * router asks a clarifying question (or, after one, files the ticket under `other`).
 */
export const LOW_CONFIDENCE = 0.5;

/** The settings chosen by cross-validation on the training set (`node bin/run-ts.js bench/triage-cv.ts`). */
export const DEFAULT_TRIAGE_OPTIONS: LocalTriageOptions = {
  // Logistic regression over topical lemmas and their character 3-5-grams; subject words count
  // double, body words fade with their position (signatures and quoted threads come last); the
  // training set's label mix is mostly flattened. 5-fold CV accuracy 83.6% against 76.2% for the
  // naive Bayes it replaced, and 71.5% against 49.0% when the held-out texts carry mail furniture.
  category: {
    features: {
      source: 'topical',
      bigrams: false,
      chars: { min: 3, max: 5, weight: 0.5 },
      subjectWeight: 2,
      decay: 10,
    },
    classifier: { kind: 'linear', loss: 'log', priorCorrection: 0.75 },
    abstain: 0,
    calibrationFolds: 3,
  },
  intent: { features: { ...WORDS, bigrams: false }, classifier: { kind: 'linear', loss: 'log' } },
  priority: { features: WORDS, classifier: { kind: 'linear', loss: 'log' } },
  selfService: { features: WORDS, classifier: { kind: 'linear', loss: 'log' } },
  maxChars: 1000,
  stripBoilerplate: true,
  rules: { priority: 'cues', questionForm: true, questionSelfService: 0.8 },
};

/** The subject and the first `max` characters of the body, cut at a word boundary. */
export function clip(text: string, max: number): string {
  const cut = text.indexOf(' :: ');
  const start = cut >= 0 ? cut + 4 : 0;
  if (max <= 0 || text.length - start <= max) return text;
  const end = text.lastIndexOf(' ', start + max);
  return text.slice(0, end > start ? end : start + max);
}

/** The feature vector of one text for one classifier. */
export function featureVector(f: Features, o: FeatureOptions): FeatureVector {
  if (o.source === 'all') {
    const subject = new Set(withBigrams(f.subject));
    const vector = new Map<string, number>();
    for (const name of f.features) {
      if (o.bigrams || !name.includes('_')) vector.set(name, subject.has(name) ? o.subjectWeight : 1);
    }
    if (o.chars) for (const word of f.features) addChars(vector, word, 1, o.chars);
    return vector;
  }
  const subject = orderedVector(f.subject, o, o.subjectWeight, 0);
  const body = orderedVector(f.body, o, 1, o.decay ?? 0);
  if (o.subjectShare === undefined || subject.size === 0 || body.size === 0) {
    for (const [name, v] of body) if (v > (subject.get(name) ?? 0)) subject.set(name, v);
    return subject;
  }
  const vector = new Map<string, number>();
  for (const [part, share] of [
    [subject, o.subjectShare],
    [body, 1 - o.subjectShare],
  ] as const) {
    let norm = 0;
    for (const v of part.values()) norm += v * v;
    const scale = share / Math.sqrt(norm);
    for (const [name, v] of part) vector.set(name, (vector.get(name) ?? 0) + v * scale);
  }
  return vector;
}

/** Features of a word sequence; the i-th word weighs `weight * decay / (decay + i)` (no decay at 0). */
function orderedVector(
  words: readonly string[],
  o: FeatureOptions,
  weight: number,
  decay: number,
): Map<string, number> {
  const vector = new Map<string, number>();
  words.forEach((word, i) => {
    const x = decay > 0 ? (weight * decay) / (decay + i) : weight;
    if (x > (vector.get(word) ?? 0)) vector.set(word, x);
    if (o.bigrams && i + 1 < words.length) {
      const pair = `${word}_${words[i + 1]}`;
      if (x > (vector.get(pair) ?? 0)) vector.set(pair, x);
    }
    if (o.chars) addChars(vector, word, x, o.chars);
  });
  return vector;
}

// Character n-grams per word, memoised: the vocabulary of a helpdesk is small, but the cache is
// bounded so that a stream of odd tokens cannot grow it for ever.
const GRAMS = new Map<string, string[]>();

function addChars(
  vector: Map<string, number>,
  word: string,
  weight: number,
  chars: NonNullable<FeatureOptions['chars']>,
): void {
  if (word.includes('_')) return;
  const key = `${chars.min}:${chars.max}:${chars.prefixOnly ? 1 : 0}:${word}`;
  let grams = GRAMS.get(key);
  if (!grams) {
    if (GRAMS.size > 50_000) GRAMS.clear();
    grams = charNgrams([word], chars.min, chars.max, chars.prefixOnly);
    GRAMS.set(key, grams);
  }
  const x = weight * chars.weight;
  for (const gram of grams) if (x > (vector.get(gram) ?? 0)) vector.set(gram, x);
}

interface Classifier<L extends string> {
  predict(features: FeatureVector): Prediction<L>;
}

function trainClassifier<L extends string>(
  examples: Array<{ features: FeatureVector; label: L }>,
  o: ClassifierOptions,
): Classifier<L> {
  if (o.kind === 'nb') return trainNaiveBayes(examples, o);
  if (o.kind === 'linear') return trainLinear(examples, o);
  const members = o.members.map((m) => ({ weight: m.weight, model: trainClassifier(examples, m.model) }));
  const labels = [...new Set(examples.map((e) => e.label))];
  return {
    predict(features) {
      const scores = {} as Record<L, number>;
      for (const label of labels) scores[label] = 0;
      let total = 0;
      for (const { weight, model } of members) {
        const p = model.predict(features);
        for (const label of labels) scores[label] += weight * (p.scores[label] ?? 0);
        total += weight;
      }
      let best = labels[0]!;
      for (const label of labels) {
        scores[label] /= total;
        if (scores[label] > scores[best]) best = label;
      }
      return { label: best, probability: scores[best], scores };
    },
  };
}

/** Trains the classifiers and calibrates the category; call once at start-up (about a second). */
export function trainLocalTriage(
  examples: TrainingExample[] = TRAINING_EXAMPLES,
  options: LocalTriageOptions = DEFAULT_TRIAGE_OPTIONS,
): LocalTriageModel {
  const prepare = (text: string) => (options.stripBoilerplate ? stripBoilerplate(text) : text);
  const featured = examples.map((e) => ({ ...e, nlp: featuresOf(prepare(e.text)) }));
  const head = <L extends string>(o: HeadOptions, label: (e: TrainingExample) => L) => {
    const training = featured.map((e) => ({ features: featureVector(e.nlp, o.features), label: label(e) }));
    const model = trainClassifier(training, o.classifier);
    return (f: Features) => model.predict(featureVector(f, o.features));
  };
  const temperature = categoryTemperature(featured, options.category);
  const rawCategory = head<Category>(options.category, (e) => e.category);
  const category = (f: Features): Prediction<Category> => {
    const p = rawCategory(f);
    if (temperature === 1) return p;
    const scores = withTemperature(p.scores, temperature);
    return { label: p.label, probability: scores[p.label], scores };
  };
  const intent = head<Intent>(options.intent, (e) => e.intent);
  const priority = head<'P3' | 'P4'>(options.priority, (e) => (e.priority === 'P3' ? 'P3' : 'P4'));
  const selfService = head<'yes' | 'no'>(options.selfService, (e) => (e.self_service ? 'yes' : 'no'));

  return {
    temperature,
    triage(text) {
      const prepared = prepare(text);
      const read = clip(prepared, options.maxChars);
      const nlp = featuresOf(read);
      const { words } = nlp;
      const chatter = isChatter(text);
      const cat = category(nlp);
      const learnedIntent = intent(nlp);
      const asks = QUESTION.test(prepared.trim());
      const intentLabel: Intent =
        options.rules.questionForm && asks && learnedIntent.label !== 'incident'
          ? 'question'
          : learnedIntent.label;
      // Nothing named, only generic words of trouble: ask rather than guess (a rule, not a probability).
      const vague = !chatter && isVagueRequest(text);
      const selfServiceLabel = selfService(nlp);
      const categoryLabel =
        words.length === 0 || cat.probability < options.category.abstain ? 'other' : cat.label;
      return routedTriageSchema.parse({
        category: categoryLabel,
        priority: priorityFor(prepared, intentLabel, priority(nlp).label, options.rules.priority),
        intent: intentLabel,
        self_service:
          selfServiceLabel.label === 'yes' ||
          (intentLabel === 'question' &&
            cat.label !== 'security' &&
            selfServiceLabel.probability < options.rules.questionSelfService),
        language: languageOf(text),
        sentiment: sentimentLabel(nlp.sentiment, read),
        title: cleanTitle(prepared),
        confidence: Math.round(cat.probability * 100) / 100,
        vague,
        clarifying_question: vague ? clarifyingQuestion() : null,
        chatter,
      });
    },
  };
}

/**
 * The category head's temperature: the head is trained on all but one of `calibrationFolds` folds
 * in turn (every k-th example held out), and T is fitted to the held-out predictions.
 */
function categoryTemperature(
  featured: Array<TrainingExample & { nlp: Features }>,
  o: LocalTriageOptions['category'],
): number {
  const k = o.calibrationFolds;
  if (k < 2 || featured.length < 2 * k) return 1;
  const held: Array<{ scores: Record<Category, number>; label: Category }> = [];
  const vectors = featured.map((e) => ({ features: featureVector(e.nlp, o.features), label: e.category }));
  for (let fold = 0; fold < k; fold++) {
    const model = trainClassifier(
      vectors.filter((_, i) => i % k !== fold),
      o.classifier,
    );
    vectors.forEach((v, i) => {
      if (i % k !== fold) return;
      const p = model.predict(v.features);
      // A label absent from the training folds has probability 0 there.
      const scores = Object.fromEntries(CATEGORIES.map((c) => [c, p.scores[c] ?? 0])) as Record<
        Category,
        number
      >;
      held.push({ scores, label: v.label });
    });
  }
  return fitTemperature(held);
}

function clarifyingQuestion(): string {
  return 'Could you tell me a bit more? Which device or app is it, what were you trying to do, and what happened (any error message)?';
}
