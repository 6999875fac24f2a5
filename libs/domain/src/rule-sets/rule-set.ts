import { type CalendarDate, isCalendarDate } from '../shared/calendar-date';
import { type Period, PERIOD_UNITS } from '../periods/period';

export const PROPOSAL_KINDS = ['cppcc-proposal', 'npc-suggestion'] as const;
export type ProposalKind = (typeof PROPOSAL_KINDS)[number];

export const RESULT_CLASSES = ['A', 'B', 'C', 'D'] as const;
export type ResultClass = (typeof RESULT_CLASSES)[number];

/**
 * The steps a rule set may time, each with the one event it is counted from. The decider sets a
 * step's deadline when it decides that event, so the start event is validated, not free text.
 */
export const STEP_START_EVENTS = {
  'adjustment-window': 'ProposalAssigned',
  'first-contact': 'ProposalAssigned',
  'co-opinion': 'ProposalAssigned',
  'co-opinion-resubmission': 'CoOpinionReturned',
  reply: 'ProposalAssigned',
  evaluation: 'ReplyDispatched',
  'rehandling-reply': 'RehandlingOrdered',
  disclosure: 'ReplyDispatched',
} as const;
export type StepName = keyof typeof STEP_START_EVENTS;
export const STEP_NAMES = Object.keys(STEP_START_EVENTS) as StepName[];

/**
 * Where a step's period comes from: the article and its own words (`{ article: "第二十一条", quote: "…" }`),
 * or, in rule sets written before sources were cited, a sentence saying where it came from.
 */
export type StepSource = string | { readonly article: string; readonly quote: string };

/** How a rule set's periods were checked: against the text's own words, a secondary summary, or not at all (local practice). */
export const VERIFICATIONS = ['verbatim', 'summary', 'assumed'] as const;
export type Verification = (typeof VERIFICATIONS)[number];

export interface Step extends Period {
  readonly from: (typeof STEP_START_EVENTS)[StepName];
  readonly source: StepSource;
}

/** A step's source as one line of text (what a deadline records as its source). */
export function sourceText(source: StepSource): string {
  return typeof source === 'string' ? source : `${source.article}：${source.quote}`;
}

export const ESCALATION_TARGETS = ['supervising-units', 'leading-official', 'assigning-office'] as const;
export type EscalationTarget = (typeof ESCALATION_TARGETS)[number];

export interface EscalationRung {
  /** Counted from the breached deadline's due date; 0 escalates at the breach itself. */
  readonly after: Period;
  readonly to: EscalationTarget;
}

export interface RuleSet {
  readonly id: string;
  readonly version: number;
  readonly title: string;
  readonly jurisdiction: string;
  readonly kinds: readonly ProposalKind[];
  readonly source: { readonly title: string; readonly url?: string; readonly note?: string };
  /** Absent in rule sets recorded before it existed: read as `assumed`. */
  readonly verification?: Verification;
  readonly steps: Readonly<Partial<Record<StepName, Step>>>;
  /** How many (working) days before a due date, the due date included, the deadline counts as approaching. */
  readonly approaching: Period;
  readonly escalation: readonly EscalationRung[];
  /** Absent: the rule set allows no extension of the reply period. */
  readonly extension?: { readonly max: Period; readonly source: string };
  /** 督办审核: whether a supervising unit must approve a signed reply before it is dispatched. */
  readonly review: 'required' | 'optional' | 'none';
  /** Who rates the reply (`lead-only`: the lead proposer's rating counts, a co-signer's is recorded but not counted), and where the text says so. */
  readonly evaluation: {
    readonly counts: 'lead-only' | 'every-proposer';
    readonly source?: StepSource;
    /** A rating given after the evaluation window: counted in the satisfaction figures (the default) or left out (Chongqing 第二十九条). */
    readonly late?: 'counted' | 'excluded';
    readonly lateSource?: StepSource;
  };
  readonly resultClasses: readonly ResultClass[];
  /** What each result class is called in the text (Chongqing 第二十二条 names four in words); absent: the codes alone. */
  readonly resultClassLabels?: Readonly<Partial<Record<ResultClass, string>>>;
  /** Extra local days off in this jurisdiction, on top of the national calendar. */
  readonly localDaysOff: readonly CalendarDate[];
}

export class RuleSetError extends Error {
  constructor(
    readonly file: string,
    readonly field: string,
    problem: string,
  ) {
    super(`Rule set ${file}: field "${field}" ${problem}`);
    this.name = 'RuleSetError';
  }
}

/** Parses and validates one rule set document; `file` names it in every error message. */
export function parseRuleSet(input: unknown, file: string): RuleSet {
  const doc = typeof input === 'string' ? parseJson(input, file) : input;
  const v = new Validator(file);
  const root = v.object(doc, '(document)');
  const steps = v.object(root.steps, 'steps');
  const parsedSteps: Partial<Record<StepName, Step>> = {};
  for (const name of Object.keys(steps)) {
    if (!(name in STEP_START_EVENTS)) v.fail(`steps.${name}`, `is not a known step (known: ${STEP_NAMES.join(', ')})`);
    const step = v.object(steps[name], `steps.${name}`);
    const expected = STEP_START_EVENTS[name as StepName];
    if (step.from !== expected) v.fail(`steps.${name}.from`, `must be "${expected}"`);
    parsedSteps[name as StepName] = {
      ...v.period(step, `steps.${name}`, 1),
      from: expected,
      source: v.stepSource(step.source, `steps.${name}.source`),
    };
  }
  const verification = root.verification === undefined ? 'assumed' : v.oneOf(root.verification, 'verification', VERIFICATIONS);
  if (verification === 'verbatim') {
    // A set that claims the text's own words quotes them, article by article.
    for (const [name, step] of Object.entries(parsedSteps)) {
      if (typeof step.source === 'string') v.fail(`steps.${name}.source`, 'must name the article and quote its words ({ "article": …, "quote": … }) in a verbatim rule set');
    }
  }
  const extension =
    root.extension === undefined
      ? undefined
      : (() => {
          const ext = v.object(root.extension, 'extension');
          return { max: v.period(v.object(ext.max, 'extension.max'), 'extension.max', 1), source: v.text(ext.source, 'extension.source') };
        })();
  const source = v.object(root.source, 'source');
  const evaluation = v.object(root.evaluation, 'evaluation');
  return {
    id: v.pattern(root.id, 'id', /^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes'),
    version: v.integer(root.version, 'version', 1),
    title: v.text(root.title, 'title'),
    jurisdiction: v.text(root.jurisdiction, 'jurisdiction'),
    kinds: v.nonEmptyList(root.kinds, 'kinds', (item, field) => v.oneOf(item, field, PROPOSAL_KINDS)),
    source: {
      title: v.text(source.title, 'source.title'),
      ...(source.url === undefined ? {} : { url: v.text(source.url, 'source.url') }),
      ...(source.note === undefined ? {} : { note: v.text(source.note, 'source.note') }),
    },
    verification,
    steps: parsedSteps,
    approaching: (() => {
      const lead = v.period(v.object(root.approaching, 'approaching'), 'approaching', 1);
      if (lead.unit === 'months') v.fail('approaching.unit', 'must be working-days or days');
      return lead;
    })(),
    escalation: v.list(root.escalation, 'escalation', (item, field) => {
      const rung = v.object(item, field);
      return { after: v.period(v.object(rung.after, `${field}.after`), `${field}.after`, 0), to: v.oneOf(rung.to, `${field}.to`, ESCALATION_TARGETS) };
    }),
    ...(extension ? { extension } : {}),
    review: v.oneOf(root.review, 'review', ['required', 'optional', 'none'] as const),
    evaluation: {
      counts: v.oneOf(evaluation.counts, 'evaluation.counts', ['lead-only', 'every-proposer'] as const),
      ...(evaluation.source === undefined ? {} : { source: v.stepSource(evaluation.source, 'evaluation.source') }),
      ...(evaluation.late === undefined ? {} : { late: v.oneOf(evaluation.late, 'evaluation.late', ['counted', 'excluded'] as const) }),
      ...(evaluation.lateSource === undefined ? {} : { lateSource: v.stepSource(evaluation.lateSource, 'evaluation.lateSource') }),
    },
    resultClasses: v.nonEmptyList(root.resultClasses, 'resultClasses', (item, field) => v.oneOf(item, field, RESULT_CLASSES)),
    ...(root.resultClassLabels === undefined
      ? {}
      : {
          resultClassLabels: Object.fromEntries(
            Object.entries(v.object(root.resultClassLabels, 'resultClassLabels')).map(([code, label]) => [v.oneOf(code, `resultClassLabels.${code}`, RESULT_CLASSES), v.text(label, `resultClassLabels.${code}`)]),
          ),
        }),
    localDaysOff: v.list(root.localDaysOff ?? [], 'localDaysOff', (item, field): CalendarDate => {
      return isCalendarDate(item) ? item : v.fail(field, 'must be a calendar date YYYY-MM-DD');
    }),
  };
}

export interface RuleSetCatalog {
  get(id: string): RuleSet | undefined;
  ids(): string[];
}

export function ruleSetCatalog(ruleSets: readonly RuleSet[]): RuleSetCatalog {
  const byId = new Map<string, RuleSet>();
  for (const ruleSet of ruleSets) {
    const current = byId.get(ruleSet.id);
    // Keep the newest version under its id: new assignments get it, assigned items keep their snapshot.
    if (!current || current.version < ruleSet.version) byId.set(ruleSet.id, ruleSet);
  }
  return { get: (id) => byId.get(id), ids: () => [...byId.keys()].sort() };
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new RuleSetError(file, '(document)', `is not valid JSON: ${(error as Error).message}`);
  }
}

type Json = Record<string, unknown>;

class Validator {
  constructor(private readonly file: string) {}

  fail(field: string, problem: string): never {
    throw new RuleSetError(this.file, field, problem);
  }

  object(value: unknown, field: string): Json {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) this.fail(field, 'must be an object');
    return value as Json;
  }

  text(value: unknown, field: string): string {
    if (typeof value !== 'string' || value.trim() === '') this.fail(field, 'must be a non-empty string');
    return value;
  }

  stepSource(value: unknown, field: string): StepSource {
    if (typeof value === 'string') return this.text(value, field);
    const source = this.object(value, field);
    return { article: this.text(source.article, `${field}.article`), quote: this.text(source.quote, `${field}.quote`) };
  }

  pattern(value: unknown, field: string, re: RegExp, description: string): string {
    const text = this.text(value, field);
    if (!re.test(text)) this.fail(field, `must be ${description}`);
    return text;
  }

  integer(value: unknown, field: string, min: number): number {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min) this.fail(field, `must be a whole number ≥ ${min}`);
    return value;
  }

  oneOf<T extends string>(value: unknown, field: string, allowed: readonly T[]): T {
    if (!allowed.includes(value as T)) this.fail(field, `must be one of ${allowed.join(', ')}`);
    return value as T;
  }

  list<T>(value: unknown, field: string, item: (value: unknown, field: string) => T): T[] {
    if (!Array.isArray(value)) this.fail(field, 'must be a list');
    return value.map((entry, index) => item(entry, `${field}[${index}]`));
  }

  nonEmptyList<T>(value: unknown, field: string, item: (value: unknown, field: string) => T): T[] {
    const items = this.list(value, field, item);
    if (items.length === 0) this.fail(field, 'must not be empty');
    return items;
  }

  period(value: Json, field: string, minDuration: number): Period {
    return {
      duration: this.integer(value.duration, `${field}.duration`, minDuration),
      unit: this.oneOf(value.unit, `${field}.unit`, PERIOD_UNITS),
    };
  }
}
