import { Module } from '@nestjs/common';
import { ASSIGNMENT_COMMAND_HANDLERS } from './assignment.commands';
import { MergeEvents, MergeSaga } from './merge.saga';
import { PersonalDataHttpController } from './personal-data.http.controller';
import { ProposalsHttpController } from './proposals.http.controller';
import { RuleSetsHttpController } from './rule-sets.http.controller';
import { UnitsHttpController } from './units.http.controller';

/** The assigning office's service: registration, assignment, adjustment, closure, merges (并案) taken in by their targets, the units directory, the rule sets, reading items. */
@Module({ controllers: [ProposalsHttpController, UnitsHttpController, PersonalDataHttpController, RuleSetsHttpController], providers: [...ASSIGNMENT_COMMAND_HANDLERS, MergeSaga, MergeEvents] })
export class AssignmentModule {}
