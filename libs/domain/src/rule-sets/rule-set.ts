import { type CalendarDate, isCalendarDate } from '../shared/calendar-date';
import { type Period, PERIOD_UNITS, type PeriodUnit } from '../periods/period';

/** The longest period a rule set may give, in each unit: five years. */
const MAX_PERIOD: Record<PeriodUnit, number> = { months: 60, days: 1827, 'working-days': 1250 };

export const PROPOSAL_KINDS = ['cppcc-proposal', 'npc-suggestion'] as const;
export type ProposalKind = (typeof PROPOSAL_KINDS)[number];

export const RESULT_CLASSES = ['A', 'B', 'C', 'D'] as const;
export type ResultClass = (typeof RESULT_CLASSES)[number];

/**
 * The steps a rule set may time, each with the events it may be counted from (the first is the
 * usual one). The decider sets a step's deadline when it decides that event, so the start event is
 * validated, not free text. A unit's steps run from assignment (交办) or from its receipt of the item
 * (收到, `AssignmentReceived`): the same instant when the unit gets the item through Banli, a later
 * day when the office records a paper delivery, which moves the deadlines counted from receipt.
 */
export const STEP_START_EVENTS = {
  'adjustment-window': ['ProposalAssigned', 'AssignmentReceived'],
  'first-contact': ['ProposalAssigned', 'AssignmentReceived'],
  'co-opinion': ['ProposalAssigned', 'AssignmentReceived'],
  'co-opinion-resubmission': ['CoOpinionReturned'],
  reply: ['ProposalAssigned', 'AssignmentReceived'],
  evaluation: ['ReplyDispatched'],
  'rehandling-reply': ['RehandlingOrdered'],
  disclosure: ['ReplyDispatched'],
  'commitment-receipt': ['CommitmentFulfilled'],
} as const;
export type StepName = keyof typeof STEP_START_EVENTS;
export type StartEvent = (typeof STEP_START_EVENTS)[StepName][number];
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
  readonly from: StartEvent;
  readonly source: StepSource;
}

/** A period with where it comes from (the complex reply period, an extension's cap). */
export interface CitedPeriod extends Period {
  readonly source: StepSource;
}

/**
 * How far the reply period may be extended: `max` beyond the original due date (Shanghai 第十九条:
 * 延长时间不得超过三个月), or `total` from the reply's start (Beijing 第二十一条: 至迟不得超过六个月; Qingdao
 * 第二十五条: 自交办之日起最长不得超过六个月). Each is a cap; `total` wins where both are given.
 */
export interface Extension {
  readonly max?: Period;
  readonly total?: Period;
  readonly source: StepSource;
  readonly consent?: { readonly by: string; readonly source?: StepSource };
}

/** Who rates a reply on a co-signed item: the lead proposer alone, every proposer, or the lead after consulting the co-signers (Shandong 第二十三条). */
export const RATERS = ['lead-only', 'every-proposer', 'lead-after-consulting'] as const;
export type Raters = (typeof RATERS)[number];

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
  /**
   * The reply period of an item the office marks complex (涉及面广、处理难度大), counted from the reply's start
   * (Chongqing 第二十一条, 代表法 第五十一条: six months). Absent: the text gives complex items no period of
   * their own; where it allows an extension instead, that is the path.
   */
  readonly complexReply?: CitedPeriod;
  /**
   * Absent: the rule set allows no extension of the reply period. `consent`: whose agreement the text
   * requires (Shanghai 第十九条: the 代表工作机构); an extension then records who consented.
   */
  readonly extension?: Extension;
  /**
   * Withdrawing a co-signed item (撤回): by the lead alone (the default) or only when every proposer asks
   * (Shanghai 第十条: 经代表一致要求); `until: 'assignment'` where the text allows it only before (Beijing 第十三条).
   */
  readonly withdrawal?: { readonly coSigned: 'lead-alone' | 'all-proposers'; readonly until?: 'assignment'; readonly source?: StepSource };
  /** 督办审核: whether a supervising unit must approve a signed reply before it is dispatched. */
  readonly review: 'required' | 'optional' | 'none';
  /** Who rates the reply (`lead-only`: the lead proposer's rating counts, a co-signer's is recorded but not counted), and where the text says so. */
  readonly evaluation: {
    readonly counts: Raters;
    readonly source?: StepSource;
    /** Attitude (办理态度) and result (办理结果) rated each on its own, as well as overall (Shanghai 第二十一条). */
    readonly attitudeAndResult?: boolean;
    readonly attitudeAndResultSource?: StepSource;
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
    const from = v.oneOf<StartEvent>(step.from, `steps.${name}.from`, STEP_START_EVENTS[name as StepName]);
    parsedSteps[name as StepName] = {
      ...v.period(step, `steps.${name}`, 1),
      from,
      source: v.stepSource(step.source, `steps.${name}.source`),
    };
  }
  const verification = root.verification === undefined ? 'assumed' : v.oneOf(root.verification, 'verification', VERIFICATIONS);
  const complexReply = root.complexReply === undefined ? undefined : v.citedPeriod(v.object(root.complexReply, 'complexReply'), 'complexReply');
  if (complexReply && complexReply.unit !== 'months' && complexReply.unit !== 'days') v.fail('complexReply.unit', 'must be months or days');
  const extension =
    root.extension === undefined
      ? undefined
      : (() => {
          const ext = v.object(root.extension, 'extension');
          const consent = ext.consent === undefined ? undefined : v.object(ext.consent, 'extension.consent');
          if (ext.max === undefined && ext.total === undefined) v.fail('extension', 'must give max (beyond the original due date) or total (from the start)');
          return {
            ...(ext.max === undefined ? {} : { max: v.period(v.object(ext.max, 'extension.max'), 'extension.max', 1) }),
            ...(ext.total === undefined ? {} : { total: v.period(v.object(ext.total, 'extension.total'), 'extension.total', 1) }),
            source: v.stepSource(ext.source, 'extension.source'),
            ...(consent === undefined
              ? {}
              : { consent: { by: v.text(consent.by, 'extension.consent.by'), ...(consent.source === undefined ? {} : { source: v.stepSource(consent.source, 'extension.consent.source') }) } }),
          };
        })();
  const withdrawal =
    root.withdrawal === undefined
      ? undefined
      : (() => {
          const w = v.object(root.withdrawal, 'withdrawal');
          return {
            coSigned: v.oneOf(w.coSigned, 'withdrawal.coSigned', ['lead-alone', 'all-proposers'] as const),
            ...(w.until === undefined ? {} : { until: v.oneOf(w.until, 'withdrawal.until', ['assignment'] as const) }),
            ...(w.source === undefined ? {} : { source: v.stepSource(w.source, 'withdrawal.source') }),
          };
        })();
  if (verification === 'verbatim') {
    // A set that claims the text's own words quotes them, article by article.
    for (const [name, step] of Object.entries(parsedSteps)) {
      if (typeof step.source === 'string') v.fail(`steps.${name}.source`, QUOTE_REQUIRED);
    }
    if (complexReply && typeof complexReply.source === 'string') v.fail('complexReply.source', QUOTE_REQUIRED);
    if (extension && typeof extension.source === 'string') v.fail('extension.source', QUOTE_REQUIRED);
    // The other rules' sources too: who rates, late feedback, attitude and result, consent, withdrawal.
    const field = (value: unknown, key: string) => (value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined);
    const sources: [unknown, string][] = [
      [field(root.evaluation, 'source'), 'evaluation.source'],
      [field(root.evaluation, 'lateSource'), 'evaluation.lateSource'],
      [field(root.evaluation, 'attitudeAndResultSource'), 'evaluation.attitudeAndResultSource'],
      [field(field(root.extension, 'consent'), 'source'), 'extension.consent.source'],
      [field(root.withdrawal, 'source'), 'withdrawal.source'],
    ];
    for (const [value, name] of sources) if (typeof value === 'string') v.fail(name, QUOTE_REQUIRED);
  }
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
    ...(complexReply ? { complexReply } : {}),
    ...(extension ? { extension } : {}),
    ...(withdrawal ? { withdrawal } : {}),
    review: v.oneOf(root.review, 'review', ['required', 'optional', 'none'] as const),
    evaluation: {
      counts: v.oneOf(evaluation.counts, 'evaluation.counts', RATERS),
      ...(evaluation.source === undefined ? {} : { source: v.stepSource(evaluation.source, 'evaluation.source') }),
      ...(evaluation.attitudeAndResult === undefined ? {} : { attitudeAndResult: v.boolean(evaluation.attitudeAndResult, 'evaluation.attitudeAndResult') }),
      ...(evaluation.attitudeAndResultSource === undefined
        ? {}
        : { attitudeAndResultSource: v.stepSource(evaluation.attitudeAndResultSource, 'evaluation.attitudeAndResultSource') }),
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

const QUOTE_REQUIRED = 'must name the article and quote its words ({ "article": …, "quote": … }) in a verbatim rule set';

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

  boolean(value: unknown, field: string): boolean {
    if (typeof value !== 'boolean') this.fail(field, 'must be true or false');
    return value;
  }

  citedPeriod(value: Json, field: string): CitedPeriod {
    return { ...this.period(value, field, 1), source: this.stepSource(value.source, `${field}.source`) };
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
    const duration = this.integer(value.duration, `${field}.duration`, minDuration);
    const unit = this.oneOf(value.unit, `${field}.unit`, PERIOD_UNITS);
    // No text fixes a period beyond a few years; a larger number is a slip, and would count past the calendar's years.
    if (duration > MAX_PERIOD[unit]) this.fail(`${field}.duration`, `must be at most ${MAX_PERIOD[unit]} ${unit} (five years)`);
    return { duration, unit };
  }
}
