import type { CommandDataByType } from '../proposal/proposal.commands';
import { actors, sh, Story } from './decider-spec';

/** A Chongqing NPC suggestion, used across the decider specs. */
export const ITEM = {
  proposalId: 'cq-2025-0026',
  kind: 'npc-suggestion',
  session: '六届三次',
  number: '0026',
  title: '关于加强未成年人心理健康的建议',
  body: '建议加强学校心理健康教育……',
  proposers: [
    { id: 'dep-tan', name: '谭理', lead: true },
    { id: 'dep-li', name: '李明', lead: false },
  ],
} as const satisfies CommandDataByType['SubmitProposal'];

export const LEAD = 'u-edu';
export const CO = ['u-health', 'u-civil'];
export const SUPERVISOR = 'u-gov-office';

export const DRAFT: CommandDataByType['DraftReply'] = {
  unitId: LEAD,
  documentNumber: '渝教议函〔2025〕49号',
  resultClass: 'B',
  body: '现将办理情况答复如下……',
  contactPerson: '张老师',
  contactPhone: '023-63862000',
  cc: ['市人大选工委'],
  disclose: true,
  commitments: [{ description: '年内建成心理辅导站20个', dueDate: '2025-12-31' }],
};

export function submitted(): Story {
  const story = new Story();
  story.run('SubmitProposal', { ...ITEM, proposers: [...ITEM.proposers] }, { actor: actors.office, now: sh('2025-03-03 09:00') });
  return story;
}

export function accepted(): Story {
  const story = submitted();
  story.run('RegisterProposal', { decision: 'accepted' }, { actor: actors.office, now: sh('2025-03-05 09:00') });
  return story;
}

/** Assigned on Monday 2025-03-10 under cq-npc-2017: lead u-edu, co-units u-health and u-civil. */
export function assigned(extra: Partial<CommandDataByType['AssignProposal']> = {}): Story {
  const story = accepted();
  story.run(
    'AssignProposal',
    { mode: 'lead-with-co', leadUnits: [LEAD], coUnits: [...CO], supervisingUnits: [SUPERVISOR], leadingOfficial: '王副市长', ...extra },
    { actor: actors.office, now: sh('2025-03-10 10:00') },
  );
  return story;
}

/** `ruleSet`: another rule set than the catalog's default (cq-npc-2017), e.g. `cq-every-proposer`. */
export function withCoOpinions(ruleSet?: string): Story {
  const story = assigned(ruleSet === undefined ? {} : { ruleSet });
  for (const unit of CO) {
    story.run('SubmitCoOpinion', { unitId: unit, content: `${unit} 协办意见` }, { actor: actors.handler(unit), now: sh('2025-04-01 10:00') });
  }
  return story;
}

export function drafted(ruleSet?: string): Story {
  const story = withCoOpinions(ruleSet);
  story.run('DraftReply', DRAFT, { actor: actors.handler(LEAD), now: sh('2025-05-20 10:00') });
  return story;
}

export function signed(ruleSet?: string): Story {
  const story = drafted(ruleSet);
  story.run('SignReply', { unitId: LEAD }, { actor: actors.signer(LEAD), now: sh('2025-05-21 10:00') });
  return story;
}

export function dispatched(ruleSet?: string): Story {
  const story = signed(ruleSet);
  story.run('DispatchReply', { unitId: LEAD }, { actor: actors.handler(LEAD), now: sh('2025-05-22 10:00') });
  return story;
}

/** Separate handling (分办) by u-a and u-b, both replies dispatched on 2025-05-21. */
export function separateDispatched(): Story {
  const story = accepted();
  story.run('AssignProposal', { mode: 'separate', leadUnits: ['u-a', 'u-b'] }, { actor: actors.office, now: sh('2025-03-10 10:00') });
  for (const unit of ['u-a', 'u-b']) {
    story.run('DraftReply', { ...DRAFT, unitId: unit }, { actor: actors.handler(unit), now: sh('2025-05-20 10:00') });
    story.run('SignReply', { unitId: unit }, { actor: actors.signer(unit), now: sh('2025-05-20 11:00') });
    story.run('DispatchReply', { unitId: unit }, { actor: actors.handler(unit), now: sh('2025-05-21 10:00') });
  }
  return story;
}
