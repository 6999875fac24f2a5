import cqNpc2017 from './data/cq-npc-2017.json';
import nationalNpc2025 from './data/national-npc-2025.json';
import shNpc2015 from './data/sh-npc-2015.json';
import { parseRuleSet, type RuleSet, ruleSetCatalog, type RuleSetCatalog } from './rule-set';

/** The rule sets Banli ships, validated by the same parser as an operator's own files. */
export const BUILT_IN_RULE_SETS: readonly RuleSet[] = [
  parseRuleSet(cqNpc2017, 'libs/domain/src/rule-sets/data/cq-npc-2017.json'),
  parseRuleSet(shNpc2015, 'libs/domain/src/rule-sets/data/sh-npc-2015.json'),
  parseRuleSet(nationalNpc2025, 'libs/domain/src/rule-sets/data/national-npc-2025.json'),
];

export function builtInRuleSets(): RuleSetCatalog {
  return ruleSetCatalog(BUILT_IN_RULE_SETS);
}
