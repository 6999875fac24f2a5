/**
 * The feedback service of the distributed deployment: evaluation, re-handling, commitments, publication, statistics and public replies.
 * Run with BANLI_BUS=kafka and KAFKA_BROKERS (see README, "The distributed deployment").
 */
import { FEEDBACK_PROJECTIONS, FeedbackModule } from '@banli/feedback';
import { runService } from '@banli/platform';

void runService('feedback', FeedbackModule, FEEDBACK_PROJECTIONS);
