import type { EventStore } from '@banli/event-store';

export const UNITS_STREAM = 'units-directory';

export interface Unit {
  readonly unitId: string;
  readonly name: string;
}

/**
 * The directory of government units (承办单位, 督办单位), kept as its own event stream so that every
 * process of a deployment sees the same units. Read through on a miss, so a unit registered by another
 * process is found.
 */
export class UnitsDirectory {
  private units = new Map<string, Unit>();
  private revision = -1;

  constructor(private readonly store: EventStore) {}

  async list(): Promise<Unit[]> {
    await this.refresh();
    return [...this.units.values()].sort((a, b) => a.unitId.localeCompare(b.unitId));
  }

  async get(unitId: string): Promise<Unit | undefined> {
    if (!this.units.has(unitId)) await this.refresh();
    return this.units.get(unitId);
  }

  /** The ids among these that are not in the directory. */
  async unknown(unitIds: readonly string[]): Promise<string[]> {
    if (unitIds.some((id) => !this.units.has(id))) await this.refresh();
    return unitIds.filter((id) => !this.units.has(id));
  }

  async put(unit: Unit, actor: { id: string; name?: string; unit?: string; roles: readonly string[] }): Promise<{ unit: Unit; created: boolean; changed: boolean }> {
    for (;;) {
      await this.refresh();
      const existing = this.units.get(unit.unitId);
      if (existing && existing.name === unit.name) return { unit, created: false, changed: false };
      try {
        await this.store.append(
          UNITS_STREAM,
          [{ type: existing ? 'UnitRenamed' : 'UnitRegistered', schemaVersion: 1, data: unit, occurredAt: new Date().toISOString(), actor }],
          this.revision < 0 ? 'no-stream' : this.revision,
        );
        await this.refresh();
        return { unit, created: !existing, changed: true };
      } catch (error) {
        if ((error as { name?: string }).name !== 'ConcurrencyError') throw error;
      }
    }
  }

  private async refresh(): Promise<void> {
    const events = await this.store.readStream(UNITS_STREAM, { fromRevision: this.revision + 1 });
    for (const event of events) {
      const unit = event.data as Unit;
      this.units.set(unit.unitId, unit);
      this.revision = event.revision;
    }
  }
}
