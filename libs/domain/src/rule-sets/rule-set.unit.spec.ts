import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUILT_IN_RULE_SETS, builtInRuleSets } from './built-in.rule-sets';
import { parseRuleSet, ruleSetCatalog, RuleSetError, sourceText, type StepName } from './rule-set';

const fixture = (name: string) => ({ text: readFileSync(join(__dirname, 'fixtures', name), 'utf8'), file: `fixtures/${name}` });
const step = (id: string, name: StepName) => builtInRuleSets().get(id)?.steps[name];

describe('rule sets', () => {
  it('ships the three built-in rule sets', () => {
    expect(builtInRuleSets().ids()).toEqual(['cq-npc-2017', 'national-npc-2025', 'sh-npc-2015']);
    for (const ruleSet of BUILT_IN_RULE_SETS) {
      expect(ruleSet.source.title).not.toHaveLength(0);
      for (const s of Object.values(ruleSet.steps)) expect(sourceText(s!.source)).not.toHaveLength(0);
    }
  });

  it.each`
    id                     | name                          | duration | unit
    ${'cq-npc-2017'}       | ${'adjustment-window'}        | ${10}    | ${'working-days'}
    ${'cq-npc-2017'}       | ${'first-contact'}            | ${20}    | ${'working-days'}
    ${'cq-npc-2017'}       | ${'co-opinion'}               | ${30}    | ${'working-days'}
    ${'cq-npc-2017'}       | ${'co-opinion-resubmission'}  | ${5}     | ${'working-days'}
    ${'cq-npc-2017'}       | ${'reply'}                    | ${3}     | ${'months'}
    ${'cq-npc-2017'}       | ${'evaluation'}               | ${20}    | ${'working-days'}
    ${'cq-npc-2017'}       | ${'rehandling-reply'}         | ${2}     | ${'months'}
    ${'sh-npc-2015'}       | ${'adjustment-window'}        | ${7}     | ${'working-days'}
    ${'sh-npc-2015'}       | ${'co-opinion'}               | ${1}     | ${'months'}
    ${'sh-npc-2015'}       | ${'reply'}                    | ${3}     | ${'months'}
    ${'sh-npc-2015'}       | ${'rehandling-reply'}         | ${1}     | ${'months'}
    ${'national-npc-2025'} | ${'reply'}                    | ${3}     | ${'months'}
  `('$id times $name as $duration $unit (DOMAIN.md)', ({ id, name, duration, unit }) => {
    expect(step(id, name)).toMatchObject({ duration, unit });
  });

  it('leaves out the steps a rule set does not time', () => {
    expect(step('sh-npc-2015', 'first-contact')).toBeUndefined();
    expect(step('national-npc-2025', 'adjustment-window')).toBeUndefined();
  });

  it('allows extensions only where the text does: Shanghai and national up to 3 months, Chongqing none', () => {
    expect(builtInRuleSets().get('sh-npc-2015')?.extension?.max).toEqual({ duration: 3, unit: 'months' });
    expect(builtInRuleSets().get('national-npc-2025')?.extension?.max).toEqual({ duration: 3, unit: 'months' });
    expect(builtInRuleSets().get('cq-npc-2017')?.extension).toBeUndefined();
  });

  describe('a malformed rule set fails with a message naming the file and the field', () => {
    it.each`
      name                          | message
      ${'not-json.json'}            | ${'Rule set fixtures/not-json.json: field "(document)" is not valid JSON'}
      ${'bad-unit.json'}            | ${'Rule set fixtures/bad-unit.json: field "steps.reply.unit" must be one of working-days, days, months'}
      ${'bad-start-event.json'}     | ${'Rule set fixtures/bad-start-event.json: field "steps.reply.from" must be "ProposalAssigned"'}
      ${'missing-evaluation.json'}  | ${'Rule set fixtures/missing-evaluation.json: field "evaluation" must be an object'}
    `('$name', ({ name, message }) => {
      const { text, file } = fixture(name);
      expect(() => parseRuleSet(text, file)).toThrow(RuleSetError);
      expect(() => parseRuleSet(text, file)).toThrow(message);
    });

    const valid = () => JSON.parse(readFileSync(join(__dirname, 'data', 'sh-npc-2015.json'), 'utf8'));
    it.each`
      change                                                         | field
      ${(d: any) => (d.id = 'Not An Id')}                            | ${'id'}
      ${(d: any) => (d.version = 0)}                                 | ${'version'}
      ${(d: any) => (d.kinds = [])}                                  | ${'kinds'}
      ${(d: any) => (d.kinds = ['motion'])}                          | ${'kinds[0]'}
      ${(d: any) => (d.steps.holiday = d.steps.reply)}               | ${'steps.holiday'}
      ${(d: any) => (d.steps.reply.duration = 0)}                    | ${'steps.reply.duration'}
      ${(d: any) => (d.steps.reply.source = '')}                     | ${'steps.reply.source'}
      ${(d: any) => (d.approaching = { duration: 1, unit: 'months' })} | ${'approaching.unit'}
      ${(d: any) => (d.escalation[1].to = 'mayor')}                  | ${'escalation[1].to'}
      ${(d: any) => (d.extension.max.unit = 'years')}                | ${'extension.max.unit'}
      ${(d: any) => (d.review = 'sometimes')}                        | ${'review'}
      ${(d: any) => (d.resultClasses = ['E'])}                       | ${'resultClasses[0]'}
      ${(d: any) => (d.localDaysOff = ['2025-02-30'])}               | ${'localDaysOff[0]'}
      ${(d: any) => (d.source = 'a string')}                         | ${'source'}
    `('names "$field"', ({ change, field }) => {
      const doc = valid();
      change(doc);
      expect(() => parseRuleSet(doc, 'x.json')).toThrow(`Rule set x.json: field "${field}"`);
    });
  });

  it('keeps the newest version of each id in a catalog', () => {
    const sh = builtInRuleSets().get('sh-npc-2015')!;
    const catalog = ruleSetCatalog([{ ...sh, version: 2, title: 'v2' }, sh]);
    expect(catalog.get('sh-npc-2015')?.version).toBe(2);
    expect(catalog.get('nope')).toBeUndefined();
  });
});

describe('where a rule set says its periods come from', () => {
  const base = () => JSON.parse(JSON.stringify(builtInRuleSets().get('cq-npc-2017'))) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  const REPLY = { article: '第二十一条', quote: '承办单位应当自交办之日起三个月内答复代表' };

  it('says how each shipped set was verified, and reads a set that says nothing as assumed', () => {
    expect(Object.fromEntries(BUILT_IN_RULE_SETS.map((r) => [r.id, r.verification]))).toEqual({ 'cq-npc-2017': 'verbatim', 'national-npc-2025': 'assumed', 'sh-npc-2015': 'assumed' });
    const unsaid = base();
    delete unsaid.verification;
    expect(parseRuleSet(unsaid, 'unsaid.json').verification).toBe('assumed');
    expect(() => parseRuleSet({ ...base(), verification: 'checked' }, 'odd.json')).toThrow('field "verification" must be one of verbatim, summary, assumed');
  });

  it('takes a step source as the article and its words, and records it on the deadline as one line', () => {
    const doc = base();
    doc.steps.reply.source = REPLY;
    const parsed = parseRuleSet(doc, 'cited.json');
    expect(parsed.steps.reply?.source).toEqual(REPLY);
    expect(sourceText(parsed.steps.reply!.source)).toBe('第二十一条：承办单位应当自交办之日起三个月内答复代表');
    doc.steps.reply.source = { article: '第二十一条' };
    expect(() => parseRuleSet(doc, 'half.json')).toThrow('field "steps.reply.source.quote" must be a non-empty string');
  });

  it('refuses a verbatim set whose step names no article or quotes no words', () => {
    const doc = base();
    doc.verification = 'verbatim';
    doc.steps['first-contact'].source = 'First contact: 20 working days, as researched';
    expect(() => parseRuleSet(doc, 'claims.json')).toThrow('field "steps.first-contact.source" must name the article and quote its words');
    for (const name of Object.keys(doc.steps)) doc.steps[name].source = REPLY;
    expect(parseRuleSet(doc, 'quoted.json').verification).toBe('verbatim');
  });
});

describe('a verbatim shipped rule set quotes its text', () => {
  /** The article of a law text: from its heading ("第二十一条 ") to the next article. */
  const article = (law: string, name: string) => {
    const start = law.indexOf(`\n${name} `);
    expect(start).toBeGreaterThanOrEqual(0);
    const next = law.slice(start + 1).search(/\n第[一二三四五六七八九十百]+条 /);
    return law.slice(start, next < 0 ? undefined : start + 1 + next);
  };

  it.each(BUILT_IN_RULE_SETS.filter((r) => r.verification === 'verbatim').map((r) => [r.id, r] as const))('%s: each step\'s words stand in the article it names (rule-sets/laws/)', (id, ruleSet) => {
    const law = readFileSync(join(__dirname, 'laws', `${id}.md`), 'utf8');
    const { source: rating, lateSource } = ruleSet.evaluation;
    const sources = [...Object.values(ruleSet.steps).map((s) => s!.source), ...(rating ? [rating] : []), ...(lateSource ? [lateSource] : [])];
    for (const source of sources) {
      if (typeof source === 'string') throw new Error(`${id} is verbatim but a source is a sentence: ${source}`);
      expect(article(law, source.article).replace(/\s+/g, '')).toContain(source.quote.replace(/\s+/g, ''));
    }
  });
});

describe('result classes in the words of the text', () => {
  it('Chongqing (第二十二条) names its four categories; the codes A–D stay what a reply records', () => {
    const cq = builtInRuleSets().get('cq-npc-2017')!;
    expect(cq.resultClasses).toEqual(['A', 'B', 'C', 'D']);
    expect(cq.resultClassLabels).toEqual({ A: '已经解决或者采纳', B: '正在研究解决', C: '不具备解决条件', D: '涉及上级国家机关职权' });
    const law = readFileSync(join(__dirname, 'laws', 'cq-npc-2017.md'), 'utf8');
    for (const label of Object.values(cq.resultClassLabels!)) expect(law).toContain(`所提事项${label}`);
    expect(() => parseRuleSet({ ...JSON.parse(JSON.stringify(cq)), resultClassLabels: { E: '其他' } }, 'labels.json')).toThrow('field "resultClassLabels.E" must be one of A, B, C, D');
  });
});
