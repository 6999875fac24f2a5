/**
 * npm run demo — loads the five real cases of ../shared/seeds into the data directory, each step at
 * the date it happened (see demo/seed-cases.ts), so a newcomer sees realistic items at once. Safe to run
 * again (a case already loaded is skipped) and while the service runs (they share the store file).
 */
import { type Actor, ChineseDaysCalendar, command, type CommandDataByType, type ProposalCommandType, proposalStreamId, ruleSetCatalog } from '@banli/domain';
import { SqliteEventStore } from '@banli/event-store';
import { handleCommand, PERSONAL_DATA_FILE, PersonalDataVault, UnitsDirectory } from '@banli/application';
import { loadConfig, loadRuleSets, proposalIdFor } from '@banli/platform';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { DEMO_CASES, DEMO_UNITS } from '../demo/seed-cases';

const office: Actor = { id: 'demo-office', name: '提案委（演示）', roles: ['office'] };
const handler = (unit: string): Actor => ({ id: `demo-handler@${unit}`, unit, roles: ['handler'] });
const signer = (unit: string): Actor => ({ id: `demo-signer@${unit}`, unit, roles: ['signer'] });
const supervisor = (unit: string): Actor => ({ id: `demo-supervisor@${unit}`, unit, roles: ['supervisor'] });
const proposer = (id: string): Actor => ({ id, roles: ['proposer'] });

async function main(): Promise<void> {
  const config = loadConfig();
  // Every case runs under a built-in rule set of its own kind (CPPCC proposals under sc-gov-2024 and cppcc-generic).
  const ruleSets = ruleSetCatalog(loadRuleSets(config.ruleSetsDir));
  const calendar = new ChineseDaysCalendar();
  if (config.eventStore.kind !== 'sqlite') throw new Error('npm run demo loads the embedded store (BANLI_EVENT_STORE=sqlite)');
  const store = new SqliteEventStore({ file: config.eventStore.file });
  const units = new UnitsDirectory(store);
  const vault = new PersonalDataVault(join(config.dataDir, PERSONAL_DATA_FILE));
  for (const [unitId, name] of Object.entries(DEMO_UNITS)) await units.put({ unitId, name }, office);

  for (const c of DEMO_CASES) {
    const id = proposalIdFor(c.kind, c.session, c.number);
    const stream = proposalStreamId(id);
    if ((await store.readStream(stream)).length > 0) {
      console.log(`${c.seed}: already loaded as ${id}`);
      continue;
    }
    // Each step through the command path, at the date it happened; a running service's deadline clock
    // may record firings on the same item meanwhile, and a lost race is decided again there.
    const run = async <T extends ProposalCommandType>(type: T, data: CommandDataByType[T], actor: Actor, day: string) => {
      const now = new Date(`${day}T10:00:00+08:00`);
      await handleCommand(store, stream, { command: command(type, data), actor }, { calendar, ruleSets, defaultRuleSet: config.defaultRuleSet, clock: () => now, personalData: vault, correlationId: randomUUID() });
    };
    const d = c.dates;
    await run('SubmitProposal', { proposalId: id, kind: c.kind, session: c.session, number: c.number, title: c.title, body: c.body, proposers: c.proposers }, office, d.submitted);
    await run('RegisterProposal', { decision: 'accepted' }, office, d.accepted);
    await run(
      'AssignProposal',
      { mode: 'lead-with-co', leadUnits: [c.lead], coUnits: c.co, ...(c.supervising ? { supervisingUnits: c.supervising } : {}), ...(c.leadingOfficial ? { leadingOfficial: c.leadingOfficial } : {}), ruleSet: c.ruleSet },
      office,
      d.assigned,
    );
    for (const unit of c.co) await run('SubmitCoOpinion', { unitId: unit, content: `${DEMO_UNITS[unit]}会办意见（演示）` }, handler(unit), d.coOpinions!);
    await run('DraftReply', { unitId: c.lead, ...c.reply, cc: c.reply.cc ?? [], disclose: true, commitments: [] }, handler(c.lead), d.drafted);
    await run('SignReply', { unitId: c.lead }, signer(c.lead), d.signed);
    if (ruleSets.get(c.ruleSet)?.review === 'required') await run('ReviewReply', { unitId: c.lead, approved: true }, supervisor(c.supervising?.[0] ?? 'demo-supervisor'), d.reviewed!);
    await run('DispatchReply', { unitId: c.lead }, handler(c.lead), d.dispatched);
    for (const r of c.ratings ?? []) await run('EvaluateReply', { satisfaction: r.satisfaction, ...(r.comment ? { comment: r.comment } : {}) }, proposer(r.proposerId), r.at);
    if (c.closed) {
      await run('CloseProposal', {}, office, c.closed);
      await run('PublishReply', { unitId: c.lead }, office, c.closed);
    }
    console.log(`${c.seed}: loaded as ${id}`);
  }
  await store.close();
  vault.close();
  console.log(`\nDone. Start the service with: npm start (data: ${config.dataDir})`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
