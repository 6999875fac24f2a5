import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUILT_IN_RULE_SETS, builtInRuleSets } from './built-in.rule-sets';
import { parseRuleSet, type RuleSet, ruleSetCatalog, RuleSetError, sourceText, type StepName, type StepSource } from './rule-set';

const fixture = (name: string) => ({ text: readFileSync(join(__dirname, 'fixtures', name), 'utf8'), file: `fixtures/${name}` });
const ruleSet = (id: string) => builtInRuleSets().get(id)!;
const step = (id: string, name: StepName) => builtInRuleSets().get(id)?.steps[name];
const data = (id: string) => JSON.parse(readFileSync(join(__dirname, 'data', `${id}.json`), 'utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const IDS = ['bj-npc-2014', 'cppcc-generic', 'cq-npc-2017', 'ha-npc-2017', 'national-npc-2025', 'qd-npc-2021', 'sc-gov-2024', 'sd-npc-2017', 'sh-npc-2015', 'zj-npc-2016'];

/** The text beside the rule sets (rule-sets/laws/) each verbatim set quotes: named after the set, but for the national law. */
const LAW_FILES: Record<string, string> = { 'national-npc-2025': 'national-deputies-law-2025.md' };
const lawOf = (id: string) => readFileSync(join(__dirname, 'laws', LAW_FILES[id] ?? `${id}.md`), 'utf8');

/** Every source a rule set gives: its steps, the complex period, the extension and its consent, who rates, withdrawal. */
function sourcesOf(r: RuleSet): { field: string; source: StepSource }[] {
  const all: { field: string; source: StepSource | undefined }[] = [
    ...Object.entries(r.steps).map(([name, s]) => ({ field: `steps.${name}`, source: s!.source })),
    { field: 'complexReply', source: r.complexReply?.source },
    { field: 'extension', source: r.extension?.source },
    { field: 'extension.consent', source: r.extension?.consent?.source },
    { field: 'evaluation', source: r.evaluation.source },
    { field: 'evaluation.attitudeAndResult', source: r.evaluation.attitudeAndResultSource },
    { field: 'evaluation.late', source: r.evaluation.lateSource },
    { field: 'withdrawal', source: r.withdrawal?.source },
  ];
  return all.filter((s): s is { field: string; source: StepSource } => s.source !== undefined);
}

describe('rule sets', () => {
  it('ships the built-in rule sets, each with a title and a source for every step', () => {
    expect(builtInRuleSets().ids()).toEqual(IDS);
    expect(BUILT_IN_RULE_SETS.map((r) => r.id)).toEqual(IDS);
    for (const r of BUILT_IN_RULE_SETS) {
      expect(r.source.title).not.toHaveLength(0);
      expect(r.source.note).toMatch(/Banli practice/);
      for (const s of Object.values(r.steps)) expect(sourceText(s!.source)).not.toHaveLength(0);
    }
  });

  it('versions each shipped set: a change to a shipped set is a new version (assigned items keep their snapshot)', () => {
    expect(Object.fromEntries(BUILT_IN_RULE_SETS.map((r) => [r.id, r.version]))).toEqual({
      'bj-npc-2014': 1,
      'cppcc-generic': 1,
      'cq-npc-2017': 3,
      'ha-npc-2017': 1,
      'national-npc-2025': 2,
      'qd-npc-2021': 1,
      'sc-gov-2024': 1,
      'sd-npc-2017': 1,
      'sh-npc-2015': 2,
      'zj-npc-2016': 1,
    });
  });

  it('governs NPC suggestions under the NPC texts and CPPCC proposals under the CPPCC sets', () => {
    for (const r of BUILT_IN_RULE_SETS) expect([r.id, r.kinds]).toEqual([r.id, r.id.includes('-npc-') ? ['npc-suggestion'] : ['cppcc-proposal']]);
  });

  it.each`
    id                     | name                          | duration | unit              | from
    ${'cq-npc-2017'}       | ${'adjustment-window'}        | ${10}    | ${'working-days'} | ${'ProposalAssigned'}
    ${'cq-npc-2017'}       | ${'first-contact'}            | ${20}    | ${'working-days'} | ${'AssignmentReceived'}
    ${'cq-npc-2017'}       | ${'co-opinion'}               | ${30}    | ${'working-days'} | ${'ProposalAssigned'}
    ${'cq-npc-2017'}       | ${'co-opinion-resubmission'}  | ${5}     | ${'working-days'} | ${'CoOpinionReturned'}
    ${'cq-npc-2017'}       | ${'reply'}                    | ${3}     | ${'months'}       | ${'ProposalAssigned'}
    ${'cq-npc-2017'}       | ${'evaluation'}               | ${20}    | ${'working-days'} | ${'ReplyDispatched'}
    ${'cq-npc-2017'}       | ${'rehandling-reply'}         | ${2}     | ${'months'}       | ${'RehandlingOrdered'}
    ${'cq-npc-2017'}       | ${'commitment-receipt'}       | ${20}    | ${'working-days'} | ${'CommitmentFulfilled'}
    ${'sh-npc-2015'}       | ${'adjustment-window'}        | ${7}     | ${'working-days'} | ${'AssignmentReceived'}
    ${'sh-npc-2015'}       | ${'co-opinion'}               | ${1}     | ${'months'}       | ${'AssignmentReceived'}
    ${'sh-npc-2015'}       | ${'reply'}                    | ${3}     | ${'months'}       | ${'ProposalAssigned'}
    ${'sh-npc-2015'}       | ${'rehandling-reply'}         | ${1}     | ${'months'}       | ${'RehandlingOrdered'}
    ${'national-npc-2025'} | ${'reply'}                    | ${3}     | ${'months'}       | ${'ProposalAssigned'}
    ${'bj-npc-2014'}       | ${'reply'}                    | ${3}     | ${'months'}       | ${'ProposalAssigned'}
    ${'bj-npc-2014'}       | ${'evaluation'}               | ${15}    | ${'working-days'} | ${'ReplyDispatched'}
    ${'bj-npc-2014'}       | ${'rehandling-reply'}         | ${2}     | ${'months'}       | ${'RehandlingOrdered'}
    ${'sd-npc-2017'}       | ${'adjustment-window'}        | ${5}     | ${'days'}         | ${'AssignmentReceived'}
    ${'sd-npc-2017'}       | ${'co-opinion'}               | ${1}     | ${'months'}       | ${'AssignmentReceived'}
    ${'sd-npc-2017'}       | ${'reply'}                    | ${3}     | ${'months'}       | ${'ProposalAssigned'}
    ${'sd-npc-2017'}       | ${'rehandling-reply'}         | ${1}     | ${'months'}       | ${'RehandlingOrdered'}
    ${'qd-npc-2021'}       | ${'adjustment-window'}        | ${5}     | ${'working-days'} | ${'AssignmentReceived'}
    ${'qd-npc-2021'}       | ${'co-opinion'}               | ${1}     | ${'months'}       | ${'AssignmentReceived'}
    ${'qd-npc-2021'}       | ${'reply'}                    | ${3}     | ${'months'}       | ${'ProposalAssigned'}
    ${'ha-npc-2017'}       | ${'adjustment-window'}        | ${10}    | ${'working-days'} | ${'ProposalAssigned'}
    ${'ha-npc-2017'}       | ${'co-opinion'}               | ${2}     | ${'months'}       | ${'AssignmentReceived'}
    ${'ha-npc-2017'}       | ${'reply'}                    | ${3}     | ${'months'}       | ${'AssignmentReceived'}
    ${'ha-npc-2017'}       | ${'evaluation'}               | ${10}    | ${'working-days'} | ${'ReplyDispatched'}
    ${'ha-npc-2017'}       | ${'rehandling-reply'}         | ${1}     | ${'months'}       | ${'RehandlingOrdered'}
    ${'zj-npc-2016'}       | ${'adjustment-window'}        | ${10}    | ${'days'}         | ${'AssignmentReceived'}
    ${'zj-npc-2016'}       | ${'co-opinion'}               | ${2}     | ${'months'}       | ${'AssignmentReceived'}
    ${'zj-npc-2016'}       | ${'reply'}                    | ${3}     | ${'months'}       | ${'AssignmentReceived'}
    ${'zj-npc-2016'}       | ${'rehandling-reply'}         | ${1}     | ${'months'}       | ${'RehandlingOrdered'}
    ${'sc-gov-2024'}       | ${'reply'}                    | ${5}     | ${'months'}       | ${'AssignmentReceived'}
    ${'sc-gov-2024'}       | ${'rehandling-reply'}         | ${3}     | ${'months'}       | ${'RehandlingOrdered'}
    ${'cppcc-generic'}     | ${'reply'}                    | ${3}     | ${'months'}       | ${'ProposalAssigned'}
    ${'cppcc-generic'}     | ${'rehandling-reply'}         | ${3}     | ${'months'}       | ${'RehandlingOrdered'}
  `('$id times $name as $duration $unit from $from', ({ id, name, duration, unit, from }) => {
    expect(step(id, name)).toMatchObject({ duration, unit, from });
  });

  it('leaves out the steps a rule set does not time (the text gives no period)', () => {
    expect(step('sh-npc-2015', 'first-contact')).toBeUndefined();
    expect(step('sh-npc-2015', 'evaluation')).toBeUndefined(); // 第二十一条: no feedback deadline
    expect(step('national-npc-2025', 'adjustment-window')).toBeUndefined();
    expect(step('sd-npc-2017', 'evaluation')).toBeUndefined(); // 第二十三条: none
    expect(step('zj-npc-2016', 'evaluation')).toBeUndefined(); // 第二十三条: "及时"
    expect(step('qd-npc-2021', 'rehandling-reply')).toBeUndefined(); // 第三十一条: none
    expect(step('bj-npc-2014', 'adjustment-window')).toBeUndefined();
    expect(Object.keys(ruleSet('national-npc-2025').steps)).toEqual(['reply']);
  });

  it('gives a complex item six months where the text does so without anyone’s consent: Chongqing, the 代表法 and Henan', () => {
    for (const id of ['cq-npc-2017', 'national-npc-2025', 'ha-npc-2017']) {
      expect(ruleSet(id).complexReply).toMatchObject({ duration: 6, unit: 'months' });
      expect(ruleSet(id).extension).toBeUndefined();
    }
    for (const id of IDS.filter((id) => !['cq-npc-2017', 'national-npc-2025', 'ha-npc-2017'].includes(id))) expect(ruleSet(id).complexReply).toBeUndefined();
  });

  it.each`
    id                 | cap                                                   | by
    ${'sh-npc-2015'}   | ${{ max: { duration: 3, unit: 'months' } }}           | ${'市人民代表大会常务委员会代表工作机构'}
    ${'bj-npc-2014'}   | ${{ total: { duration: 6, unit: 'months' } }}         | ${'交办机关'}
    ${'sd-npc-2017'}   | ${{ total: { duration: 6, unit: 'months' } }}         | ${'交办机关'}
    ${'qd-npc-2021'}   | ${{ total: { duration: 6, unit: 'months' } }}         | ${'市人民代表大会常务委员会代表工作机构'}
    ${'zj-npc-2016'}   | ${{ total: { duration: 6, unit: 'months' } }}         | ${'交办机构'}
    ${'sc-gov-2024'}   | ${{ total: { duration: 6, unit: 'months' } }}         | ${'省政府办公厅'}
    ${'cppcc-generic'} | ${{ total: { duration: 6, unit: 'months' } }}         | ${'政协提案委员会'}
  `('$id extends the reply within $cap, with the consent of $by', ({ id, cap, by }) => {
    expect(ruleSet(id).extension).toEqual({ ...cap, source: expect.anything(), consent: expect.objectContaining({ by }) });
  });

  it('refuses an extension with neither max nor total', () => {
    const sh = JSON.parse(readFileSync(join(__dirname, 'data', 'sh-npc-2015.json'), 'utf8'));
    delete sh.extension.max;
    expect(() => parseRuleSet(sh, 'no-cap.json')).toThrow('field "extension" must give max (beyond the original due date) or total (from the start)');
  });

  it.each`
    id                     | counts                     | attitudeAndResult
    ${'cq-npc-2017'}       | ${'lead-only'}             | ${undefined}
    ${'zj-npc-2016'}       | ${'lead-only'}             | ${undefined}
    ${'sd-npc-2017'}       | ${'lead-after-consulting'} | ${true}
    ${'sh-npc-2015'}       | ${'every-proposer'}        | ${true}
    ${'bj-npc-2014'}       | ${'every-proposer'}        | ${undefined}
    ${'qd-npc-2021'}       | ${'every-proposer'}        | ${undefined}
    ${'ha-npc-2017'}       | ${'every-proposer'}        | ${undefined}
    ${'national-npc-2025'} | ${'every-proposer'}        | ${undefined}
    ${'sc-gov-2024'}       | ${'every-proposer'}        | ${undefined}
    ${'cppcc-generic'}     | ${'every-proposer'}        | ${undefined}
  `('$id: $counts rates the reply', ({ id, counts, attitudeAndResult }) => {
    expect(ruleSet(id).evaluation.counts).toBe(counts);
    expect(ruleSet(id).evaluation.attitudeAndResult).toBe(attitudeAndResult);
  });

  it('withdraws a co-signed item as the text says: Shanghai only at every deputy’s request, Beijing only before assignment', () => {
    expect(ruleSet('sh-npc-2015').withdrawal).toMatchObject({ coSigned: 'all-proposers' });
    expect(ruleSet('bj-npc-2014').withdrawal).toMatchObject({ coSigned: 'lead-alone', until: 'assignment' });
    for (const id of ['cq-npc-2017', 'sd-npc-2017', 'qd-npc-2021', 'ha-npc-2017', 'zj-npc-2016']) {
      expect(ruleSet(id).withdrawal).toEqual(expect.objectContaining({ coSigned: 'lead-alone' }));
      expect(ruleSet(id).withdrawal?.until).toBeUndefined();
    }
  });

  it('keeps the codes A–D in every shipped set', () => {
    for (const r of BUILT_IN_RULE_SETS) expect([r.id, r.resultClasses]).toEqual([r.id, ['A', 'B', 'C', 'D']]);
  });

  it('leaves no review required by a shipped set: the texts ask for none', () => {
    for (const r of BUILT_IN_RULE_SETS) expect([r.id, r.review]).toEqual([r.id, 'optional']);
  });

  describe('a malformed rule set fails with a message naming the file and the field', () => {
    it.each`
      name                          | message
      ${'not-json.json'}            | ${'Rule set fixtures/not-json.json: field "(document)" is not valid JSON'}
      ${'bad-unit.json'}            | ${'Rule set fixtures/bad-unit.json: field "steps.reply.unit" must be one of working-days, days, months'}
      ${'bad-start-event.json'}     | ${'Rule set fixtures/bad-start-event.json: field "steps.reply.from" must be one of ProposalAssigned, AssignmentReceived'}
      ${'missing-evaluation.json'}  | ${'Rule set fixtures/missing-evaluation.json: field "evaluation" must be an object'}
    `('$name', ({ name, message }) => {
      const { text, file } = fixture(name);
      expect(() => parseRuleSet(text, file)).toThrow(RuleSetError);
      expect(() => parseRuleSet(text, file)).toThrow(message);
    });

    const valid = () => data('sh-npc-2015');
    it.each`
      change                                                         | field
      ${(d: any) => (d.id = 'Not An Id')}                            | ${'id'}
      ${(d: any) => (d.version = 0)}                                 | ${'version'}
      ${(d: any) => (d.kinds = [])}                                  | ${'kinds'}
      ${(d: any) => (d.kinds = ['motion'])}                          | ${'kinds[0]'}
      ${(d: any) => (d.steps.holiday = d.steps.reply)}               | ${'steps.holiday'}
      ${(d: any) => (d.steps.reply.duration = 0)}                    | ${'steps.reply.duration'}
      ${(d: any) => (d.steps.reply.duration = 1e300)}                | ${'steps.reply.duration'}
      ${(d: any) => (d.steps['adjustment-window'].duration = 10_000_000)} | ${'steps.adjustment-window.duration'}
      ${(d: any) => (d.escalation[0].after.duration = 1e9)}          | ${'escalation[0].after.duration'}
      ${(d: any) => (d.extension.max.duration = 61)}                 | ${'extension.max.duration'}
      ${(d: any) => (d.steps.reply.source = '')}                     | ${'steps.reply.source'}
      ${(d: any) => (d.steps.evaluation = { ...d.steps.reply, from: 'ProposalAssigned' })} | ${'steps.evaluation.from'}
      ${(d: any) => (d.approaching = { duration: 1, unit: 'months' })} | ${'approaching.unit'}
      ${(d: any) => (d.escalation[1].to = 'mayor')}                  | ${'escalation[1].to'}
      ${(d: any) => (d.extension.max.unit = 'years')}                | ${'extension.max.unit'}
      ${(d: any) => (d.extension.consent.by = '')}                   | ${'extension.consent.by'}
      ${(d: any) => (d.review = 'sometimes')}                        | ${'review'}
      ${(d: any) => (d.evaluation.counts = 'the-chair')}             | ${'evaluation.counts'}
      ${(d: any) => (d.resultClasses = ['E'])}                       | ${'resultClasses[0]'}
      ${(d: any) => (d.localDaysOff = ['2025-02-30'])}               | ${'localDaysOff[0]'}
      ${(d: any) => (d.source = 'a string')}                         | ${'source'}
      ${(d: any) => (d.withdrawal.coSigned = 'any-proposer')}        | ${'withdrawal.coSigned'}
      ${(d: any) => (d.withdrawal.until = 'closure')}                | ${'withdrawal.until'}
    `('names "$field"', ({ change, field }) => {
      const doc = valid();
      change(doc);
      expect(() => parseRuleSet(doc, 'x.json')).toThrow(`Rule set x.json: field "${field}"`);
    });
  });

  it('keeps the newest version of each id in a catalog', () => {
    const sh = builtInRuleSets().get('sh-npc-2015')!;
    const catalog = ruleSetCatalog([{ ...sh, version: 3, title: 'v3' }, sh]);
    expect(catalog.get('sh-npc-2015')?.version).toBe(3);
    expect(catalog.get('nope')).toBeUndefined();
  });
});

describe('where a rule set says its periods come from', () => {
  const base = () => JSON.parse(JSON.stringify(builtInRuleSets().get('cq-npc-2017'))) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  const REPLY = { article: '第二十一条', quote: '承办单位应当自交办之日起三个月内答复代表' };

  it('says how each shipped set was verified, and reads a set that says nothing as assumed', () => {
    expect(Object.fromEntries(BUILT_IN_RULE_SETS.map((r) => [r.id, r.verification]))).toEqual({
      'bj-npc-2014': 'verbatim',
      'cppcc-generic': 'assumed',
      'cq-npc-2017': 'verbatim',
      'ha-npc-2017': 'verbatim',
      'national-npc-2025': 'verbatim',
      'qd-npc-2021': 'verbatim',
      'sc-gov-2024': 'summary',
      'sd-npc-2017': 'verbatim',
      'sh-npc-2015': 'verbatim',
      'zj-npc-2016': 'verbatim',
    });
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

  it.each(['evaluation.source', 'evaluation.attitudeAndResultSource', 'extension.consent.source', 'withdrawal.source'])(
    'refuses a verbatim set whose %s is a sentence, not the article and its words (found by an attacker)',
    (path) => {
      const doc = data('sh-npc-2015') as Record<string, any>;
      const keys = path.split('.');
      keys.slice(0, -1).reduce((o, k) => o[k], doc)[keys.at(-1)!] = '第二十一条大意';
      expect(() => parseRuleSet(doc, 'x.json')).toThrow(`Rule set x.json: field "${path}" must name the article and quote its words`);
    },
  );

  it('refuses a verbatim set whose complex period or extension is sourced by a sentence', () => {
    const cq = data('cq-npc-2017');
    cq.complexReply.source = '第二十一条: six months for complex items';
    expect(() => parseRuleSet(cq, 'complex.json')).toThrow('Rule set complex.json: field "complexReply.source" must name the article and quote its words');
    const sh = data('sh-npc-2015');
    sh.extension.source = '第十九条: up to three months more';
    expect(() => parseRuleSet(sh, 'extension.json')).toThrow('Rule set extension.json: field "extension.source" must name the article and quote its words');
    // The same sentences are accepted where the set does not claim the text's words.
    expect(parseRuleSet({ ...cq, verification: 'summary' }, 'complex.json').complexReply?.source).toBe('第二十一条: six months for complex items');
    expect(parseRuleSet({ ...sh, verification: 'assumed' }, 'extension.json').extension?.source).toBe('第十九条: up to three months more');
  });

  it('refuses a complex period in working days (the texts give it in months)', () => {
    const cq = data('cq-npc-2017');
    cq.complexReply.unit = 'working-days';
    expect(() => parseRuleSet(cq, 'complex.json')).toThrow('Rule set complex.json: field "complexReply.unit" must be months or days');
  });

  it('refuses an unknown way of withdrawing a co-signed item', () => {
    const sh = data('sh-npc-2015');
    sh.withdrawal = { coSigned: 'majority' };
    expect(() => parseRuleSet(sh, 'withdrawal.json')).toThrow('Rule set withdrawal.json: field "withdrawal.coSigned" must be one of lead-alone, all-proposers');
  });

  it('reads a summary set’s sources as the summary’s words under an unverified article number', () => {
    const sc = ruleSet('sc-gov-2024');
    expect(sc.source).toMatchObject({ title: expect.stringContaining('《四川省人民政府办理人大代表建议和政协提案办法》'), url: expect.stringMatching(/^https:\/\/m\.pouringspot\.com\/.*8c4a71599f6940e8993520b56f15136b\.shtml$/) });
    for (const { source } of sourcesOf(sc)) expect(source).toMatchObject({ article: '（条文号未核实）' });
    expect(sc.steps.reply?.source).toMatchObject({ quote: '在收到政协全体会议期间的政协提案之日起5个月内办理完毕' });
  });

  it('tells a committee to replace the assumed CPPCC set with its own 提案工作条例', () => {
    expect(ruleSet('cppcc-generic').source.note).toMatch(/must replace this set with one built from its own 提案工作条例/);
    expect(ruleSet('cppcc-generic').source.note).toMatch(/labels of the classes A–D are assumed/);
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
  const squeeze = (text: string) => text.replace(/\s+/g, '');
  const verbatim = BUILT_IN_RULE_SETS.filter((r) => r.verification === 'verbatim');

  it('covers every NPC text shipped', () => {
    expect(verbatim.map((r) => r.id)).toEqual(IDS.filter((id) => id.includes('-npc-')));
  });

  it.each(verbatim.map((r) => [r.id, r] as const))('%s: each source’s words stand in the article it names (rule-sets/laws/)', (id, r) => {
    const law = lawOf(id);
    const sources = sourcesOf(r);
    expect(sources.length).toBeGreaterThan(0);
    for (const { field, source } of sources) {
      if (typeof source === 'string') throw new Error(`${id} is verbatim but ${field} is sourced by a sentence: ${source}`);
      expect({ field, article: source.article, found: squeeze(article(law, source.article)).includes(squeeze(source.quote)) }).toEqual({ field, article: source.article, found: true });
    }
  });

  it.each(verbatim.map((r) => [r.id, r] as const))('%s: a unit step counted from receipt quotes 收到/接到, one counted from assignment quotes 交办', (id, r) => {
    /** Where the text does not say from when a period runs (Shandong 第十九条 "办理期限为三个月"), the note says what was chosen. */
    const silent: Record<string, StepName[]> = { 'sd-npc-2017': ['reply'] };
    for (const name of ['adjustment-window', 'first-contact', 'co-opinion', 'reply'] as const) {
      const s = r.steps[name];
      if (!s || silent[id]?.includes(name) || typeof s.source === 'string') continue;
      const fromReceipt = /收到|接到/.test(s.source.quote);
      expect({ name, from: s.from }).toEqual({ name, from: fromReceipt ? 'AssignmentReceived' : 'ProposalAssigned' });
      if (!fromReceipt) expect(s.source.quote).toContain('交办');
    }
  });
});

describe('result classes in the words of the text', () => {
  it.each`
    id               | article
    ${'cq-npc-2017'} | ${'第二十二条'}
    ${'sh-npc-2015'} | ${'第十八条'}
    ${'sd-npc-2017'} | ${'第十八条'}
  `('$id ($article) names its four categories; the codes A–D stay what a reply records', ({ id, article }) => {
    const r = ruleSet(id);
    const law = lawOf(id);
    const start = law.indexOf(`\n${article} `);
    const text = law.slice(start, start + 1 + law.slice(start + 1).search(/\n第[一二三四五六七八九十百]+条 /));
    expect(Object.keys(r.resultClassLabels ?? {})).toEqual(['A', 'B', 'C', 'D']);
    // Each label is the text's own description of one category, in the order the article lists them.
    const at = Object.values(r.resultClassLabels!).map((label) => text.indexOf(`所提事项${label}`));
    for (const position of at) expect(position).toBeGreaterThan(0);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });

  it('Chongqing keeps its labels of version 2', () => {
    expect(ruleSet('cq-npc-2017').resultClassLabels).toEqual({ A: '已经解决或者采纳', B: '正在研究解决', C: '不具备解决条件', D: '涉及上级国家机关职权' });
    expect(() => parseRuleSet({ ...JSON.parse(JSON.stringify(ruleSet('cq-npc-2017'))), resultClassLabels: { E: '其他' } }, 'labels.json')).toThrow('field "resultClassLabels.E" must be one of A, B, C, D');
  });

  it('the national labels come from a secondary summary, and the set says so', () => {
    const national = ruleSet('national-npc-2025');
    expect(national.resultClassLabels).toEqual({ A: '已经解决或者基本解决', B: '正在解决或者列入规划逐步解决', C: '需待以后解决', D: '留作参考' });
    expect(national.source.note).toMatch(/labels A–D are NOT from the law: they come from a secondary summary/);
    for (const label of Object.values(national.resultClassLabels!)) expect(lawOf('national-npc-2025')).not.toContain(label);
  });

  it('gives no labels where the text names no four categories', () => {
    for (const id of ['bj-npc-2014', 'qd-npc-2021', 'ha-npc-2017', 'zj-npc-2016', 'sc-gov-2024']) expect(ruleSet(id).resultClassLabels).toBeUndefined();
  });
});
