/**
 * Cross-validation of the local triage model on the project's own training examples, so that model
 * choices (features, classifier, rules) are tuned without touching the evaluation set.
 *
 *   node bin/run-ts.js bench/triage-cv.ts [--folds 5] [--repeats 3] [--only <regex>] [--json]
 *     [--heldout] [--dev <labelled.csv>] [--threshold 0.5]
 *
 * All variants take about ten minutes on two cores; `--only '^default$'` scores the shipped model.
 * `--heldout` also trains each variant on every training file and scores the held-back slice
 * (bench/triage-heldout.jsonl: examples by a different writer, in a different style, never trained
 * on); `--dev` does the same on a labelled CSV such as ../shared/data/tickets-dev.csv, as a final
 * check only (tune on the cross-validation and the held-back slice, never on it).
 * Calibration: `ece` is the expected calibration error of the category confidence (10 bins);
 * `conf` the accuracy of the predictions whose confidence reaches `--threshold` (the router's
 * LOW_CONFIDENCE) and `cov` their share.
 *
 * Each variant is trained on k-1 folds (stratified by category) and scored on the held-out fold
 * through the full `triage()` path (guard redaction, rules and all), repeated with reshuffled folds.
 * Prints mean accuracy / macro-F1 per field; `sd` is the spread of the category accuracy across
 * repeats (differences below about one point are noise); `mail` is the category accuracy on held-out
 * examples written as stripped e-mail (`subject :: body`), the style of the evaluation data; `noisy`
 * the category accuracy when signatures and disclaimers are appended (see BOILERPLATE); `B->A` and
 * `A->B` train on one batch of examples and test on the other (see crossSource).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseLabelledCsv, score } from '../src/agents/eval.ts';
import { redact } from '../src/agents/guard.ts';
import { expectedCalibrationError } from '../src/agents/local/calibration.ts';
import { mulberry32 } from '../src/agents/local/linear.ts';
import {
  type ClassifierOptions,
  DEFAULT_TRIAGE_OPTIONS,
  type FeatureOptions,
  LOW_CONFIDENCE,
  type LocalTriageOptions,
  trainLocalTriage,
} from '../src/agents/local/local-triage.ts';
import {
  parseTrainingLines,
  TRAINING_EXAMPLES,
  TRAINING_SETS,
  type TrainingExample,
} from '../src/agents/local/training-data.ts';

const { values: args } = parseArgs({
  options: {
    folds: { type: 'string', default: '5' },
    repeats: { type: 'string', default: '3' },
    only: { type: 'string' },
    json: { type: 'boolean', default: false },
    heldout: { type: 'boolean', default: false },
    dev: { type: 'string' },
    threshold: { type: 'string', default: String(LOW_CONFIDENCE) },
  },
});
const THRESHOLD = Number(args.threshold);
const HELDOUT_FILE = new URL('./triage-heldout.jsonl', import.meta.url);
const FOLDS = Number(args.folds);
const REPEATS = Number(args.repeats);

// ---- variants ---------------------------------------------------------------------------------

const D = DEFAULT_TRIAGE_OPTIONS;
const WORDS: FeatureOptions = { source: 'topical', bigrams: true, chars: null, subjectWeight: 1 };
const chars = (weight: number, min = 3, max = 5) => ({ min, max, weight });
const nb = (o: Partial<Extract<ClassifierOptions, { kind: 'nb' }>> = {}): ClassifierOptions => ({
  kind: 'nb',
  ...o,
});
const lr = (o: Partial<Extract<ClassifierOptions, { kind: 'linear' }>> = {}): ClassifierOptions => ({
  kind: 'linear',
  loss: 'log',
  ...o,
});
const svm = (o: Partial<Extract<ClassifierOptions, { kind: 'linear' }>> = {}): ClassifierOptions => ({
  kind: 'linear',
  loss: 'hinge',
  ...o,
});

/** A variant that changes the category head only. */
function cat(
  features: Partial<FeatureOptions>,
  classifier: ClassifierOptions,
  abstain = 0,
): Partial<LocalTriageOptions> {
  return {
    category: {
      features: { ...WORDS, ...features },
      classifier,
      abstain,
      calibrationFolds: D.category.calibrationFolds,
    },
  };
}

const VARIANTS: Record<string, Partial<LocalTriageOptions>> = {
  default: {},
  // -- issue 14: boilerplate stripping, calibration and abstention
  'no strip': { stripBoilerplate: false },
  uncalibrated: { category: { ...D.category, calibrationFolds: 0 } },
  'calibration 5 folds': { category: { ...D.category, calibrationFolds: 5 } },
  ...Object.fromEntries(
    [0.2, 0.25, 0.3, 0.35, 0.4].map((abstain) => [
      `abstain=${abstain}`,
      { category: { ...D.category, abstain } },
    ]),
  ),
  // -- category: naive Bayes family
  'nb a=0.3 pw=0.5 (old)': cat({}, nb({ alpha: 0.3, priorWeight: 0.5 })),
  'nb a=0.1': cat({}, nb({ alpha: 0.1 })),
  'nb a=1': cat({}, nb({ alpha: 1 })),
  'nb pw=0': cat({}, nb({ priorWeight: 0 })),
  'nb pw=1': cat({}, nb({ priorWeight: 1 })),
  'nb unigrams': cat({ bigrams: false }, nb()),
  'nb +chars3-5 w=1': cat({ chars: chars(1) }, nb()),
  'nb +chars3-5 w=0.3': cat({ chars: chars(0.3) }, nb()),
  'nb +chars3-5 w=0.1': cat({ chars: chars(0.1) }, nb()),
  'nb subject=2': cat({ subjectWeight: 2 }, nb()),
  'cnb a=0.3': cat({}, nb({ complement: true, priorWeight: 0 })),
  'cnb a=1': cat({}, nb({ complement: true, alpha: 1, priorWeight: 0 })),
  'cnb +chars w=0.3': cat({ chars: chars(0.3) }, nb({ complement: true, priorWeight: 0 })),
  // -- category: logistic regression
  'lr words': cat({}, lr()),
  'lr words l=1e-3': cat({}, lr({ lambda: 1e-3 })),
  'lr words l=1e-5': cat({}, lr({ lambda: 1e-5 })),
  'lr words no-idf': cat({}, lr({ idf: false })),
  'lr unigrams': cat({ bigrams: false }, lr()),
  'lr +chars3-5 w=1': cat({ chars: chars(1) }, lr()),
  'lr +chars3-5 w=0.5': cat({ chars: chars(0.5) }, lr()),
  'lr +chars3-5 w=0.25': cat({ chars: chars(0.25) }, lr()),
  'lr +chars2-4 w=0.5': cat({ chars: chars(0.5, 2, 4) }, lr()),
  'lr +chars3-4 w=0.5': cat({ chars: chars(0.5, 3, 4) }, lr()),
  'lr +chars4-6 w=0.5': cat({ chars: chars(0.5, 4, 6) }, lr()),
  'lr +chars w=0.5 subject=1.5': cat({ chars: chars(0.5), subjectWeight: 1.5 }, lr()),
  'lr +chars w=0.5 subject=2': cat({ chars: chars(0.5), subjectWeight: 2 }, lr()),
  'lr +chars w=0.5 subject=3': cat({ chars: chars(0.5), subjectWeight: 3 }, lr()),
  'lr +chars w=0.5 prior=0.5': cat({ chars: chars(0.5) }, lr({ priorCorrection: 0.5 })),
  'lr +chars w=0.5 prior=1': cat({ chars: chars(0.5) }, lr({ priorCorrection: 1 })),
  'lr +chars w=0.5 ep=10': cat({ chars: chars(0.5) }, lr({ epochs: 10 })),
  'lr +chars w=0.5 ep=40': cat({ chars: chars(0.5) }, lr({ epochs: 40 })),
  // -- category: linear SVM
  'svm words': cat({}, svm()),
  'svm +chars w=0.5': cat({ chars: chars(0.5) }, svm()),
  'svm +chars w=0.5 l=1e-3': cat({ chars: chars(0.5) }, svm({ lambda: 1e-3 })),
  // -- category: ensembles
  'nb+lr(chars)': cat(
    { chars: chars(0.5) },
    {
      kind: 'ensemble',
      members: [
        { weight: 1, model: nb() },
        { weight: 1, model: lr() },
      ],
    },
  ),
  // -- category: abstain to `other`
  'lr +chars abstain=0.3': cat({ chars: chars(0.5) }, lr(), 0.3),
  'lr +chars abstain=0.4': cat({ chars: chars(0.5) }, lr(), 0.4),
  'nb abstain=0.5': cat({}, nb(), 0.5),
  'nb abstain=0.7': cat({}, nb(), 0.7),
  // -- category: round 2, combining the winners of round 1
  'R2 lr uni c3-5 .5 s1.5': cat({ bigrams: false, chars: chars(0.5), subjectWeight: 1.5 }, lr()),
  'R2 lr uni c3-4 .5 s1.5': cat({ bigrams: false, chars: chars(0.5, 3, 4), subjectWeight: 1.5 }, lr()),
  'R2 lr uni c3-5 1 s1.5': cat({ bigrams: false, chars: chars(1), subjectWeight: 1.5 }, lr()),
  'R2 lr uni c3-5 .5 s2': cat({ bigrams: false, chars: chars(0.5), subjectWeight: 2 }, lr()),
  'R2 lr uni c3-5 .5 s1.5 l3e-5': cat(
    { bigrams: false, chars: chars(0.5), subjectWeight: 1.5 },
    lr({ lambda: 3e-5 }),
  ),
  'R2 lr uni c3-5 .5 s1.5 l3e-4': cat(
    { bigrams: false, chars: chars(0.5), subjectWeight: 1.5 },
    lr({ lambda: 3e-4 }),
  ),
  'R2 lr uni c3-5 .5 s1.5 p1': cat(
    { bigrams: false, chars: chars(0.5), subjectWeight: 1.5 },
    lr({ priorCorrection: 1 }),
  ),
  'R2 lr uni c3-5 .5 s1.5 eta.2': cat(
    { bigrams: false, chars: chars(0.5), subjectWeight: 1.5 },
    lr({ eta0: 0.2 }),
  ),
  'R2 lr uni c3-5 .5 s1.5 eta1': cat(
    { bigrams: false, chars: chars(0.5), subjectWeight: 1.5 },
    lr({ eta0: 1 }),
  ),
  'R2 lr bi c3-5 .5 s1.5 p1': cat({ chars: chars(0.5), subjectWeight: 1.5 }, lr({ priorCorrection: 1 })),
  'R2 svm uni c3-5 .5 s1.5 l1e-3': cat(
    { bigrams: false, chars: chars(0.5), subjectWeight: 1.5 },
    svm({ lambda: 1e-3 }),
  ),
  'R2 svm uni c3-5 .5 s1.5 l3e-3': cat(
    { bigrams: false, chars: chars(0.5), subjectWeight: 1.5 },
    svm({ lambda: 3e-3 }),
  ),
  'R2 svm bi c3-5 .5 s1.5 l1e-3': cat({ chars: chars(0.5), subjectWeight: 1.5 }, svm({ lambda: 1e-3 })),
  'R2 lr+svm uni c3-5 .5 s1.5': cat(
    { bigrams: false, chars: chars(0.5), subjectWeight: 1.5 },
    {
      kind: 'ensemble',
      members: [
        { weight: 1, model: lr() },
        { weight: 1, model: svm({ lambda: 1e-3 }) },
      ],
    },
  ),
  // -- category: round 3, coordinate search around the round-2 winner
  ...Object.fromEntries(
    (
      [
        ['base', {}, {}],
        ['p1.5', {}, { priorCorrection: 1.5 }],
        ['p0.75', {}, { priorCorrection: 0.75 }],
        ['s1.25', { subjectWeight: 1.25 }, {}],
        ['s2', { subjectWeight: 2 }, {}],
        ['s3', { subjectWeight: 3 }, {}],
        ['c.35', { chars: chars(0.35) }, {}],
        ['c.75', { chars: chars(0.75) }, {}],
        ['c3-4', { chars: chars(0.5, 3, 4) }, {}],
        ['c3-6', { chars: chars(0.5, 3, 6) }, {}],
        ['l3e-5', {}, { lambda: 3e-5 }],
        ['l3e-4', {}, { lambda: 3e-4 }],
        ['ep30', {}, { epochs: 30 }],
        ['eta1', {}, { eta0: 1 }],
        ['bigrams', { bigrams: true }, {}],
      ] as Array<[string, Partial<FeatureOptions>, Partial<Extract<ClassifierOptions, { kind: 'linear' }>>]>
    ).map(([name, features, classifier]) => [
      `R3 ${name}`,
      cat(
        { bigrams: false, chars: chars(0.5), subjectWeight: 1.5, ...features },
        lr({ priorCorrection: 1, ...classifier }),
      ),
    ]),
  ),
  // -- category: round 4, ensembles around the round-3 winner
  'R4 lr + nb': cat(
    { bigrams: false, chars: chars(0.5), subjectWeight: 1.5 },
    {
      kind: 'ensemble',
      members: [
        { weight: 2, model: lr({ priorCorrection: 1 }) },
        { weight: 1, model: nb() },
      ],
    },
  ),
  'R4 lr + svm': cat(
    { bigrams: false, chars: chars(0.5), subjectWeight: 1.5 },
    {
      kind: 'ensemble',
      members: [
        { weight: 1, model: lr({ priorCorrection: 1 }) },
        { weight: 1, model: svm({ lambda: 1e-3, priorCorrection: 1 }) },
      ],
    },
  ),
  'R4 svm p1 l1e-3': cat(
    { bigrams: false, chars: chars(0.5), subjectWeight: 1.5 },
    svm({ lambda: 1e-3, priorCorrection: 1 }),
  ),
  'R4 lr abstain=0.2': cat(
    { bigrams: false, chars: chars(0.5), subjectWeight: 1.5 },
    lr({ priorCorrection: 1 }),
    0.2,
  ),
  'R4 lr abstain=0.25': cat(
    { bigrams: false, chars: chars(0.5), subjectWeight: 1.5 },
    lr({ priorCorrection: 1 }),
    0.25,
  ),
  // -- category: round 5, robustness to long, cluttered mail (the `noisy` column)
  ...Object.fromEntries(
    (
      [
        ['base', {}],
        ['share.3', { subjectShare: 0.3 }],
        ['share.5', { subjectShare: 0.5 }],
        ['share.7', { subjectShare: 0.7 }],
        ['decay5', { decay: 5 }],
        ['decay10', { decay: 10 }],
        ['decay20', { decay: 20 }],
        ['prefix', { chars: { ...chars(0.5), prefixOnly: true } }],
        ['prefix w1', { chars: { ...chars(1), prefixOnly: true } }],
        ['no chars', { chars: null }],
        ['share.5 decay10', { subjectShare: 0.5, decay: 10 }],
        [
          'share.5 decay10 prefix',
          { subjectShare: 0.5, decay: 10, chars: { ...chars(0.5), prefixOnly: true } },
        ],
      ] as Array<[string, Partial<FeatureOptions>]>
    ).map(([name, features]) => [
      `R5 ${name}`,
      cat({ bigrams: false, chars: chars(0.5), subjectWeight: 1.5, ...features }, lr({ priorCorrection: 1 })),
    ]),
  ),
  // -- category: round 6, position decay with subject weight and prior
  ...Object.fromEntries(
    [10, 15, 20].flatMap((decay) =>
      [1.5, 2].flatMap((subjectWeight) =>
        [0.75, 1].map((prior) => [
          `R6 decay${decay} s${subjectWeight} p${prior}`,
          cat({ bigrams: false, chars: chars(0.5), subjectWeight, decay }, lr({ priorCorrection: prior })),
        ]),
      ),
    ),
  ),
  // -- category: round 7, around the chosen default (decay 10, subject x2, prior 0.75)
  ...Object.fromEntries(
    (
      [
        ['bigrams', { bigrams: true }, {}],
        ['chars w.35', { chars: chars(0.35) }, {}],
        ['chars w.75', { chars: chars(0.75) }, {}],
        ['l3e-5', {}, { lambda: 3e-5 }],
        ['l3e-4', {}, { lambda: 3e-4 }],
        ['ep30', {}, { epochs: 30 }],
        ['decay7', { decay: 7 }, {}],
        ['share.3', { subjectShare: 0.3 }, {}],
      ] as Array<[string, Partial<FeatureOptions>, Partial<Extract<ClassifierOptions, { kind: 'linear' }>>]>
    ).map(([name, features, classifier]) => [
      `R7 ${name}`,
      cat(
        { bigrams: false, chars: chars(0.5), subjectWeight: 2, decay: 10, ...features },
        lr({ priorCorrection: 0.75, ...classifier }),
      ),
    ]),
  ),
  // -- intent, priority and self-service heads (category as default)
  ...Object.fromEntries(
    (['intent', 'priority', 'selfService'] as const).flatMap((h) =>
      (
        [
          ['lr bi', { bigrams: true }, lr()],
          ['lr uni', { bigrams: false }, lr()],
          ['lr uni c3-5 .5', { bigrams: false, chars: chars(0.5) }, lr()],
          ['lr bi c3-5 .5', { chars: chars(0.5) }, lr()],
          ['lr bi p1', {}, lr({ priorCorrection: 1 })],
          ['lr bi p.5', {}, lr({ priorCorrection: 0.5 })],
          ['lr bi l1e-5', {}, lr({ lambda: 1e-5 })],
          ['lr bi l3e-4', {}, lr({ lambda: 3e-4 })],
          ['lr bi s1.5', { subjectWeight: 1.5 }, lr()],
          ['svm bi l1e-3', {}, svm({ lambda: 1e-3 })],
          ['nb uni', { bigrams: false }, nb()],
          ['nb pw1', {}, nb({ priorWeight: 1 })],
        ] as Array<[string, Partial<FeatureOptions>, ClassifierOptions]>
      ).map(([name, features, classifier]) => [
        `H ${h} ${name}`,
        { [h]: { features: { ...D[h].features, ...features }, classifier } },
      ]),
    ),
  ),
  // -- rules (with the default classifiers)
  'rules priority=learned': { rules: { ...D.rules, priority: 'learned' } },
  'rules priority=question-then-learned': { rules: { ...D.rules, priority: 'question-then-learned' } },
  'rules questionForm=off': { rules: { ...D.rules, questionForm: false } },
  'rules questionSelfService=off': { rules: { ...D.rules, questionSelfService: 0 } },
  'rules questionSelfService=0.9': { rules: { ...D.rules, questionSelfService: 0.9 } },
  'rules questionSelfService=0.65': { rules: { ...D.rules, questionSelfService: 0.65 } },
};

// ---- cross-validation -------------------------------------------------------------------------

const FIELDS = ['category', 'priority', 'intent', 'self_service'] as const;
type Field = (typeof FIELDS)[number];

function folds(examples: TrainingExample[], seed: number): number[] {
  const random = mulberry32(seed);
  const byCategory = new Map<string, number[]>();
  examples.forEach((e, i) => {
    byCategory.set(e.category, [...(byCategory.get(e.category) ?? []), i]);
  });
  const fold = new Array<number>(examples.length).fill(0);
  let offset = 0;
  for (const members of byCategory.values()) {
    for (let i = members.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [members[i], members[j]] = [members[j]!, members[i]!];
    }
    // Continue the round-robin across categories so that fold sizes stay even.
    members.forEach((index, j) => {
      fold[index] = (offset + j) % FOLDS;
    });
    offset += members.length;
  }
  return fold;
}

// Mail furniture for the `noisy` column: each held-out text gets three of these appended, as a
// probe of how a variant copes with the long, cluttered bodies of real mail (the training examples
// are one-liners). Written for this script from general knowledge of e-mail, not from any data set.
const BOILERPLATE = [
  'kind regards maria popescu senior accountant finance department',
  'best regards john smith project manager emea delivery',
  'mulțumesc cu stimă andrei ionescu',
  'mit freundlichen grüßen thomas müller',
  'tel +40 21 555 0123 mobile +40 722 555 012 john.smith@example.com www example com',
  'this email and any attachments are confidential and intended solely for the addressee if you received it in error please notify the sender and delete it',
  'please consider the environment before printing this email',
  'sent from my iphone',
  'sent from outlook for android',
  'from john.smith@example.com sent tuesday 12 march 2024 10 15 to helpdesk@example.com subject re fw',
  'original message from maria popescu',
  'thank you in advance for your support',
  'please let me know if you need more information',
  'have a nice day',
  'example consulting srl 14 victoriei street bucharest romania registered office',
  'join the meeting https example zoom us j 123456',
  'this message was scanned for viruses by the mail gateway',
  'note this is an external sender be careful with links and attachments',
  'ticket reference please keep the reference in the subject when you reply',
  'i am out of the office until monday with limited access to email',
];

function noisy(text: string, random: () => number): string {
  const pick = () => BOILERPLATE[Math.floor(random() * BOILERPLATE.length)]!;
  return redact(`${text} ${pick()} ${pick()} ${pick()}`).text;
}

const labelOf: Record<Field, (e: TrainingExample) => string> = {
  category: (e) => e.category,
  priority: (e) => e.priority,
  intent: (e) => e.intent,
  self_service: (e) => (e.self_service ? 'yes' : 'no'),
};

interface Result {
  variant: string;
  fields: Record<Field, { accuracy: number; macro_f1: number }>;
  /** Standard deviation of the category accuracy across repeats. */
  category_sd: number;
  mail_category_accuracy: number;
  /** Category accuracy when held-out texts carry mail furniture (see BOILERPLATE). */
  noisy_category_accuracy: number;
  calibration: Calibration;
  train_ms: number;
  triage_p95_ms: number;
}

interface Calibration {
  /** Expected calibration error of the category confidence. */
  ece: number;
  /** Accuracy of the category when the confidence reaches THRESHOLD, and the share that does. */
  confident_accuracy: number;
  confident_share: number;
}

function calibrationOf(predictions: Array<{ confidence: number; correct: boolean }>): Calibration {
  const confident = predictions.filter((p) => p.confidence >= THRESHOLD);
  return {
    ece: expectedCalibrationError(predictions),
    confident_accuracy: confident.filter((p) => p.correct).length / Math.max(1, confident.length),
    confident_share: confident.length / Math.max(1, predictions.length),
  };
}

function crossValidate(name: string, options: LocalTriageOptions): Result {
  const confidences: Array<{ confidence: number; correct: boolean }> = [];
  const sums = Object.fromEntries(FIELDS.map((f) => [f, { accuracy: 0, macro_f1: 0 }])) as Result['fields'];
  let mail = 0;
  let noise = 0;
  const categoryAccuracies: number[] = [];
  let trainMs = 0;
  const latencies: number[] = [];
  const texts = TRAINING_EXAMPLES.map((e) => redact(e.text).text);
  for (let repeat = 0; repeat < REPEATS; repeat++) {
    const fold = folds(TRAINING_EXAMPLES, 1000 + repeat);
    const pairs = Object.fromEntries(FIELDS.map((f) => [f, [] as Array<[string, string]>])) as Record<
      Field,
      Array<[string, string]>
    >;
    const mailPairs: Array<[string, string]> = [];
    const noisyPairs: Array<[string, string]> = [];
    const random = mulberry32(77 + repeat);
    for (let k = 0; k < FOLDS; k++) {
      const started = performance.now();
      const model = trainLocalTriage(
        TRAINING_EXAMPLES.filter((_, i) => fold[i] !== k),
        options,
      );
      trainMs += performance.now() - started;
      TRAINING_EXAMPLES.forEach((e, i) => {
        if (fold[i] !== k) return;
        const t0 = performance.now();
        const t = model.triage(texts[i]!);
        latencies.push(performance.now() - t0);
        const predicted: Record<Field, string> = {
          category: t.category,
          priority: t.priority,
          intent: t.intent,
          self_service: t.self_service ? 'yes' : 'no',
        };
        for (const f of FIELDS) pairs[f].push([labelOf[f](e), predicted[f]]);
        confidences.push({ confidence: t.confidence, correct: t.category === e.category });
        if (e.text.includes(' :: ')) mailPairs.push([e.category, t.category]);
        noisyPairs.push([e.category, model.triage(noisy(e.text, random)).category]);
      });
    }
    for (const f of FIELDS) {
      const s = score(pairs[f]);
      sums[f].accuracy += s.accuracy / REPEATS;
      sums[f].macro_f1 += s.macro_f1 / REPEATS;
    }
    mail += score(mailPairs).accuracy / REPEATS;
    noise += score(noisyPairs).accuracy / REPEATS;
    categoryAccuracies.push(score(pairs.category).accuracy);
  }
  latencies.sort((a, b) => a - b);
  return {
    variant: name,
    fields: sums,
    category_sd: Math.sqrt(
      categoryAccuracies.reduce((a, x) => a + (x - sums.category.accuracy) ** 2, 0) /
        Math.max(1, REPEATS - 1),
    ),
    mail_category_accuracy: mail,
    noisy_category_accuracy: noise,
    calibration: calibrationOf(confidences),
    train_ms: trainMs / (REPEATS * FOLDS),
    triage_p95_ms: latencies[Math.floor(0.95 * latencies.length)]!,
  };
}

// Cross-source: the short examples came in two batches by different writers (data/seed.jsonl and
// data/workplace.jsonl). Training on one and testing on the other measures how well a variant
// carries over to text written by someone else, as the evaluation data is.
const SOURCE_A = [...TRAINING_SETS.seed];
const SOURCE_B = [...TRAINING_SETS.workplace];

function crossSource(options: LocalTriageOptions): { bToA: number; aToB: number; bToAf1: number } {
  const run = (train: TrainingExample[], test: TrainingExample[]) => {
    const model = trainLocalTriage(train, options);
    return score(test.map((e) => [e.category, model.triage(redact(e.text).text).category]));
  };
  const bToA = run(SOURCE_B, SOURCE_A);
  return { bToA: bToA.accuracy, bToAf1: bToA.macro_f1, aToB: run(SOURCE_A, SOURCE_B).accuracy };
}

interface Scored {
  n: number;
  category_accuracy: number;
  category_macro_f1: number;
  priority_macro_f1: number;
  calibration: Calibration;
}

/** Trains on every training file and scores labelled texts the model never saw. */
function scoreUnseen(
  options: LocalTriageOptions,
  rows: Array<{ text: string; category: string; priority: string }>,
): Scored {
  const model = trainLocalTriage(TRAINING_EXAMPLES, options);
  const category: Array<[string, string]> = [];
  const priority: Array<[string, string]> = [];
  const confidences: Array<{ confidence: number; correct: boolean }> = [];
  for (const row of rows) {
    const t = model.triage(redact(row.text).text);
    category.push([row.category, t.category]);
    priority.push([row.priority, t.priority]);
    confidences.push({ confidence: t.confidence, correct: t.category === row.category });
  }
  const c = score(category);
  return {
    n: rows.length,
    category_accuracy: c.accuracy,
    category_macro_f1: c.macro_f1,
    priority_macro_f1: score(priority).macro_f1,
    calibration: calibrationOf(confidences),
  };
}

const HELDOUT = args.heldout
  ? parseTrainingLines(readFileSync(HELDOUT_FILE, 'utf8'), HELDOUT_FILE.pathname)
  : [];
const DEV = args.dev
  ? parseLabelledCsv(readFileSync(args.dev, 'utf8'))
      .filter((r) => r.labels.category && r.labels.priority)
      .map((r) => ({ text: r.text, category: r.labels.category!, priority: r.labels.priority! }))
  : [];

const merge = (o: Partial<LocalTriageOptions>): LocalTriageOptions => ({ ...DEFAULT_TRIAGE_OPTIONS, ...o });
const only = args.only ? new RegExp(args.only) : null;
const pct = (x: number) => (100 * x).toFixed(1).padStart(5);
if (!args.json) {
  console.log(
    `${FOLDS}-fold CV x ${REPEATS} on ${TRAINING_EXAMPLES.length} training examples (acc / macro-F1, %)`,
  );
  console.log(
    `${'variant'.padEnd(30)} ${'category'.padEnd(12)}${'sd'.padEnd(5)} ${'mail'.padEnd(6)}${'noisy'.padEnd(6)}${'priority'.padEnd(13)}` +
      `${'intent'.padEnd(13)}${'self_service'.padEnd(13)}train  p95    B->A acc/F1  A->B`,
  );
}
for (const [name, variant] of Object.entries(VARIANTS)) {
  if (only && !only.test(name)) continue;
  const r = {
    ...crossValidate(name, merge(variant)),
    cross: crossSource(merge(variant)),
    ...(HELDOUT.length ? { heldout: scoreUnseen(merge(variant), HELDOUT) } : {}),
    ...(DEV.length ? { dev: scoreUnseen(merge(variant), DEV) } : {}),
  };
  if (args.json) {
    console.log(JSON.stringify(r));
    continue;
  }
  const cell = (f: Field) => `${pct(r.fields[f].accuracy)} ${pct(r.fields[f].macro_f1)}  `;
  console.log(
    `${name.slice(0, 30).padEnd(30)} ${cell('category')}${(100 * r.category_sd).toFixed(1)} ${pct(r.mail_category_accuracy)} ${pct(r.noisy_category_accuracy)} ${cell('priority')}` +
      `${cell('intent')}${cell('self_service')}${Math.round(r.train_ms).toString().padStart(4)}ms ` +
      `${r.triage_p95_ms.toFixed(2)}ms  ${pct(r.cross.bToA)} ${pct(r.cross.bToAf1)}  ${pct(r.cross.aToB)}` +
      `  ece ${pct(r.calibration.ece)} conf ${pct(r.calibration.confident_accuracy)} cov ${pct(r.calibration.confident_share)}`,
  );
  for (const [what, s] of [
    ['held-back', r.heldout],
    ['dev', r.dev],
  ] as const) {
    if (!s) continue;
    console.log(
      `  ${what.padEnd(10)} n=${s.n} category ${pct(s.category_accuracy)} ${pct(s.category_macro_f1)}  priority F1 ${pct(s.priority_macro_f1)}` +
        `  ece ${pct(s.calibration.ece)} conf ${pct(s.calibration.confident_accuracy)} cov ${pct(s.calibration.confident_share)}`,
    );
  }
}
