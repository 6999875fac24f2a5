import type { RuleSet, StepName } from '@banli/domain';
import { DOMAIN_SERVICES, type DomainServices, HttpProblem } from '@banli/platform';
import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';

/** A rule set as callers read it: its steps listed in order, each with its period and where it comes from. */
export function ruleSetView(ruleSet: RuleSet) {
  return {
    id: ruleSet.id,
    version: ruleSet.version,
    title: ruleSet.title,
    jurisdiction: ruleSet.jurisdiction,
    kinds: ruleSet.kinds,
    source: ruleSet.source,
    verification: ruleSet.verification ?? 'assumed',
    steps: (Object.entries(ruleSet.steps) as [StepName, NonNullable<RuleSet['steps'][StepName]>][]).map(([step, s]) => ({
      step,
      duration: s.duration,
      unit: s.unit,
      from: s.from,
      source: s.source,
    })),
    approaching: ruleSet.approaching,
    escalation: ruleSet.escalation,
    ...(ruleSet.complexReply ? { complexReply: ruleSet.complexReply } : {}),
    ...(ruleSet.extension ? { extension: ruleSet.extension } : {}),
    ...(ruleSet.withdrawal ? { withdrawal: ruleSet.withdrawal } : {}),
    review: ruleSet.review,
    evaluation: ruleSet.evaluation,
    resultClasses: ruleSet.resultClasses,
    ...(ruleSet.resultClassLabels ? { resultClassLabels: ruleSet.resultClassLabels } : {}),
    localDaysOff: ruleSet.localDaysOff,
  };
}

/** The rule sets this deployment knows (built in, and the operator's in the rule-sets folder): any signed-in caller. */
@ApiTags('rule-sets')
@ApiBearerAuth()
@Controller('rule-sets')
export class RuleSetsHttpController {
  constructor(@Inject(DOMAIN_SERVICES) private readonly domain: DomainServices) {}

  @Get()
  @ApiOperation({ summary: 'Every rule set with its steps, where each period comes from, and how that was verified (verbatim, summary, assumed)' })
  list() {
    return { items: this.domain.ruleSets.ids().map((id) => ruleSetView(this.domain.ruleSets.get(id)!)), default: this.domain.defaultRuleSet };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One rule set (its newest version)' })
  get(@Param('id') id: string) {
    const ruleSet = this.domain.ruleSets.get(id);
    if (!ruleSet) throw new HttpProblem(404, 'NOT_FOUND', `No rule set ${id}`);
    return ruleSetView(ruleSet);
  }
}
