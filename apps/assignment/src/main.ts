/**
 * The assignment service of the distributed deployment: registration, assignment, adjustment, closure, withdrawal, reading items, the units directory.
 * Run with BANLI_BUS=kafka and KAFKA_BROKERS (see README, "The distributed deployment").
 */
import { ASSIGNMENT_PROJECTIONS, AssignmentModule } from '@banli/assignment';
import { runService } from '@banli/platform';

void runService('assignment', AssignmentModule, ASSIGNMENT_PROJECTIONS);
