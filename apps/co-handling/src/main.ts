/**
 * The co-handling service of the distributed deployment: contacts, co-opinions and the reply up to dispatch.
 * Run with BANLI_BUS=kafka and KAFKA_BROKERS (see README, "The distributed deployment").
 */
import { CoHandlingModule } from '@banli/co-handling';
import { runService } from '@banli/platform';

// Co-handling keeps no rows of its own: its routes read the item itself (contacts, co-opinions, drafts).
void runService('co-handling', CoHandlingModule, []);
