/** Issues one command per selected item, one after another, and reports each item's outcome (a refusal does not stop the rest). */
export interface ItemOutcome {
  id: string;
  ok: boolean;
  code?: string;
  detail?: string;
}

export async function forEachItem(ids: readonly string[], send: (id: string) => Promise<unknown>, onProgress?: (done: number) => void): Promise<ItemOutcome[]> {
  const outcomes: ItemOutcome[] = [];
  for (const id of ids) {
    try {
      await send(id);
      outcomes.push({ id, ok: true });
    } catch (error) {
      const e = error as { code?: string; message?: string };
      outcomes.push({ id, ok: false, ...(e.code ? { code: e.code } : {}), detail: e.message ?? String(error) });
    }
    onProgress?.(outcomes.length);
  }
  return outcomes;
}
