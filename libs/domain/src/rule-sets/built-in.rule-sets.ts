import bjNpc2014 from './data/bj-npc-2014.json';
import cppccGeneric from './data/cppcc-generic.json';
import cqNpc2017 from './data/cq-npc-2017.json';
import haNpc2017 from './data/ha-npc-2017.json';
import nationalNpc2025 from './data/national-npc-2025.json';
import qdNpc2021 from './data/qd-npc-2021.json';
import scGov2024 from './data/sc-gov-2024.json';
import sdNpc2017 from './data/sd-npc-2017.json';
import shNpc2015 from './data/sh-npc-2015.json';
import zjNpc2016 from './data/zj-npc-2016.json';
import { parseRuleSet, type RuleSet, ruleSetCatalog, type RuleSetCatalog } from './rule-set';

const file = (id: string) => `libs/domain/src/rule-sets/data/${id}.json`;

/** The rule sets Banli ships, validated by the same parser as an operator's own files (sorted by id). */
export const BUILT_IN_RULE_SETS: readonly RuleSet[] = [
  parseRuleSet(bjNpc2014, file('bj-npc-2014')),
  parseRuleSet(cppccGeneric, file('cppcc-generic')),
  parseRuleSet(cqNpc2017, file('cq-npc-2017')),
  parseRuleSet(haNpc2017, file('ha-npc-2017')),
  parseRuleSet(nationalNpc2025, file('national-npc-2025')),
  parseRuleSet(qdNpc2021, file('qd-npc-2021')),
  parseRuleSet(scGov2024, file('sc-gov-2024')),
  parseRuleSet(sdNpc2017, file('sd-npc-2017')),
  parseRuleSet(shNpc2015, file('sh-npc-2015')),
  parseRuleSet(zjNpc2016, file('zj-npc-2016')),
];

export function builtInRuleSets(): RuleSetCatalog {
  return ruleSetCatalog(BUILT_IN_RULE_SETS);
}
