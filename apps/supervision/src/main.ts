/**
 * The supervision service of the distributed deployment: review, urging, extensions, deadlines, the SSE stream and audit verification.
 * Run with BANLI_BUS=kafka and KAFKA_BROKERS (see README, "The distributed deployment").
 */
import { SUPERVISION_PROJECTIONS, SupervisionModule } from '@banli/supervision';
import { runService } from '@banli/platform';

void runService('supervision', SupervisionModule, SUPERVISION_PROJECTIONS);
