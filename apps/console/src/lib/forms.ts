/** Turning what a clerk types into what the API takes. */

export interface ProposerInput {
  id: string;
  name: string;
  lead: boolean;
}

/** One proposer per line: `id|name|领衔` (the first line is the lead when none says so). */
export function parseProposers(text: string): ProposerInput[] {
  const rows = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [id = '', name = '', lead = ''] = line.split('|').map((s) => s.trim());
      return { id, name: name || id, lead: /^(领衔|lead|true|是|1)$/i.test(lead) };
    })
    .filter((p) => p.id !== '');
  if (rows.length > 0 && !rows.some((p) => p.lead)) rows[0].lead = true;
  return rows;
}

/** One commitment per line: `text|YYYY-MM-DD`. */
export function parseCommitments(text: string): { description: string; dueDate: string }[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const at = line.lastIndexOf('|');
      return at < 0 ? { description: line, dueDate: '' } : { description: line.slice(0, at).trim(), dueDate: line.slice(at + 1).trim() };
    });
}

/** A comma- or 、-separated list (抄送 lists are written both ways). */
export function splitList(text: string): string[] {
  return text
    .split(/[,，、;；\n]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Units as a tree for the picker: grouped by the prefix of their ids (`ct-minzheng` under `ct`), named by the group's first unit. */
export interface UnitNode {
  value: string;
  label: string;
  children?: UnitNode[];
  disabled?: boolean;
}

export function unitTree(units: readonly { unitId: string; name: string }[]): UnitNode[] {
  const groups = new Map<string, { unitId: string; name: string }[]>();
  for (const u of units) {
    const prefix = u.unitId.includes('-') ? u.unitId.slice(0, u.unitId.indexOf('-')) : u.unitId;
    groups.set(prefix, [...(groups.get(prefix) ?? []), u]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([prefix, list]) =>
      list.length === 1
        ? { value: list[0].unitId, label: list[0].name }
        : { value: `group:${prefix}`, label: `${prefix}（${list.length}）`, disabled: true, children: list.map((u) => ({ value: u.unitId, label: u.name })) },
    );
}

/** The rule set an assignment starts with: the deployment's default where it governs the item's kind, else the first set that does. */
export function pickRuleSet(sets: readonly { id: string; kinds: unknown }[], defaultId: string, kind: string): string | undefined {
  const fits = sets.filter((r) => Array.isArray(r.kinds) && r.kinds.includes(kind));
  return (fits.find((r) => r.id === defaultId) ?? fits[0])?.id;
}
