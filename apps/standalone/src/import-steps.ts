import { AdjustmentDecisionDto, AdjustmentRequestDto, AssignmentDto, EmptyCommandDto, ReasonDto, RegistrationDto, SubmitProposalDto } from '@banli/assignment';
import { ContactDto, CoOpinionDto, ReplyDto, ReturnDto } from '@banli/co-handling';
import { type Actor, type ProposalCommandType, ROLES, type Role } from '@banli/domain';
import { EvaluationDto, FulfilmentDto, PublicationDto, RehandlingDto } from '@banli/feedback';
import { BackdatableDto, banliValidationPipe, HttpProblem, ID_PATTERN } from '@banli/platform';
import { ExtensionDto, OnTimeConfirmationDto, ReviewDto, UrgeDto } from '@banli/supervision';
import type { Type } from '@nestjs/common';

/**
 * How an imported step is checked: the DTO its API route validates the body with, and the fields the
 * route takes from its path (checked as ids). The clock's and the system's commands are not imported.
 */
const STEPS: Partial<Record<ProposalCommandType, { readonly dto: Type; readonly path?: readonly string[] }>> = {
  SubmitProposal: { dto: SubmitProposalDto, path: ['proposalId'] },
  RegisterProposal: { dto: RegistrationDto },
  WithdrawProposal: { dto: ReasonDto },
  AssignProposal: { dto: AssignmentDto },
  AcknowledgeAssignment: { dto: EmptyCommandDto, path: ['unitId'] },
  RequestAdjustment: { dto: AdjustmentRequestDto, path: ['unitId'] },
  DecideAdjustment: { dto: AdjustmentDecisionDto, path: ['requestId'] },
  RecordContact: { dto: ContactDto, path: ['unitId'] },
  SubmitCoOpinion: { dto: CoOpinionDto, path: ['unitId'] },
  ReturnCoOpinion: { dto: ReturnDto, path: ['unitId'] },
  DraftReply: { dto: ReplyDto, path: ['unitId'] },
  SignReply: { dto: BackdatableDto, path: ['unitId'] },
  ReviewReply: { dto: ReviewDto, path: ['unitId'] },
  DispatchReply: { dto: BackdatableDto, path: ['unitId'] },
  EvaluateReply: { dto: EvaluationDto },
  OrderRehandling: { dto: RehandlingDto },
  ExtendDeadline: { dto: ExtensionDto },
  ConfirmDeadlineMetOnTime: { dto: OnTimeConfirmationDto, path: ['deadlineId'] },
  FulfilCommitment: { dto: FulfilmentDto, path: ['commitmentId'] },
  UrgeUnit: { dto: UrgeDto },
  CloseProposal: { dto: EmptyCommandDto },
  PublishReply: { dto: PublicationDto, path: ['unitId'] },
};

const pipe = banliValidationPipe();
/** A deadline's id as the schedule issues it: kind, unit (or `item`), ordinal (`reply:u-edu:1`). */
const DEADLINE_ID_PATTERN = /^[a-z][a-z-]{0,31}:[A-Za-z0-9][A-Za-z0-9._-]{0,127}:\d{1,6}$/;

/**
 * A step's data validated as the API validates the same command: its DTO's rules (unknown fields
 * refused, lengths, enums), and its path fields as ids. Throws the API's own 400 problem.
 */
export async function validateImportedStep(label: string, type: ProposalCommandType, data: Record<string, unknown>): Promise<void> {
  const step = STEPS[type];
  if (!step) throw new HttpProblem(400, 'VALIDATION_FAILED', `${label}: ${type} is recorded by the system, not imported`);
  const body: Record<string, unknown> = { ...data };
  for (const field of step.path ?? []) {
    const pattern = field === 'deadlineId' ? DEADLINE_ID_PATTERN : ID_PATTERN;
    if (typeof body[field] !== 'string' || !pattern.test(body[field] as string)) throw new HttpProblem(400, 'VALIDATION_FAILED', `${label}: ${field} must be ${field === 'deadlineId' ? 'a deadline id such as reply:u-edu:1' : 'an id'}`, { field });
    delete body[field];
  }
  try {
    await pipe.transform(body, { type: 'body', metatype: step.dto });
  } catch (error) {
    if (error instanceof HttpProblem) throw new HttpProblem(error.status, error.code, `${label}: ${error.message}`, error.extensions);
    throw error;
  }
}

/** The unit ids a step names, its actor's unit among them, to be checked against the units directory. */
export function unitsNamed(data: Record<string, unknown>, actor?: Actor): string[] {
  const lists = ['leadUnits', 'coUnits', 'supervisingUnits', 'unitIds'].flatMap((k) => (Array.isArray(data[k]) ? (data[k] as unknown[]) : []));
  return [...lists, ...(typeof data.unitId === 'string' ? [data.unitId] : []), ...(actor?.unit ? [actor.unit] : [])].filter((u): u is string => typeof u === 'string');
}

const IMPORTABLE_ROLES = ROLES.filter((r) => r !== 'system');

/**
 * The actor an imported step is recorded with: an id, a name and a unit as the legacy system had them,
 * and roles Banli knows (never `system`, never a role it does not have). It is recorded as imported.
 */
export function importedActor(label: string, given: unknown): Actor & { readonly via: 'import' } {
  if (!given || typeof given !== 'object') throw new HttpProblem(400, 'VALIDATION_FAILED', `${label}: actor must be an object`);
  const { id, name, unit, roles, ...rest } = given as Record<string, unknown>;
  if (Object.keys(rest).length > 0) throw new HttpProblem(400, 'VALIDATION_FAILED', `${label}: actor has unknown fields ${Object.keys(rest).join(', ')}`);
  if (typeof id !== 'string' || !ID_PATTERN.test(id)) throw new HttpProblem(400, 'VALIDATION_FAILED', `${label}: actor.id must be an id`);
  if (name !== undefined && (typeof name !== 'string' || name.length > 200)) throw new HttpProblem(400, 'VALIDATION_FAILED', `${label}: actor.name must be text`);
  if (unit !== undefined && (typeof unit !== 'string' || !ID_PATTERN.test(unit))) throw new HttpProblem(400, 'VALIDATION_FAILED', `${label}: actor.unit must be a unit id`);
  if (!Array.isArray(roles) || roles.length === 0 || !roles.every((r) => (IMPORTABLE_ROLES as readonly unknown[]).includes(r))) {
    throw new HttpProblem(400, 'VALIDATION_FAILED', `${label}: actor.roles must list roles among ${IMPORTABLE_ROLES.join(', ')}`);
  }
  return { id, ...(name ? { name } : {}), ...(unit ? { unit } : {}), roles: [...new Set(roles as Role[])], via: 'import' };
}
