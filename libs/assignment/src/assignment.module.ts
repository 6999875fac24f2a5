import { Module } from '@nestjs/common';
import { PersonalDataHttpController } from './personal-data.http.controller';
import { ProposalsHttpController } from './proposals.http.controller';
import { UnitsHttpController } from './units.http.controller';

/** The assigning office's service: registration, assignment, adjustment, closure, the units directory, reading items. */
@Module({ controllers: [ProposalsHttpController, UnitsHttpController, PersonalDataHttpController] })
export class AssignmentModule {}
