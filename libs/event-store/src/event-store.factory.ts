import type { EventStore } from './event-store.port';
import { SqliteEventStore, type SqliteEventStoreOptions } from './sqlite/sqlite.event-store';

export type EventStoreConfig =
  | ({ readonly kind: 'sqlite' } & SqliteEventStoreOptions)
  | { readonly kind: 'kurrentdb'; readonly url: string; readonly clock?: () => Date };

/** Opens the configured adapter. The KurrentDB client is loaded only when it is asked for. */
export async function openEventStore(config: EventStoreConfig): Promise<EventStore> {
  switch (config.kind) {
    case 'sqlite':
      return new SqliteEventStore(config);
    case 'kurrentdb': {
      const { KurrentDbEventStore } = await import('./kurrentdb/kurrentdb.event-store');
      return KurrentDbEventStore.connect(config.url, { clock: config.clock });
    }
    default: {
      const unknown: never = config;
      throw new Error(`Unknown event store ${JSON.stringify(unknown)}`);
    }
  }
}
