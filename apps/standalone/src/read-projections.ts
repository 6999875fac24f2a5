import { ASSIGNMENT_PROJECTIONS } from '@banli/assignment';
import { FEEDBACK_PROJECTIONS } from '@banli/feedback';
import type { ItemProjection } from '@banli/read-model';
import { SUPERVISION_PROJECTIONS } from '@banli/supervision';

/** The standalone service keeps what all four features keep, in one read model. */
export const STANDALONE_PROJECTIONS: readonly ItemProjection[] = [...ASSIGNMENT_PROJECTIONS, ...SUPERVISION_PROJECTIONS, ...FEEDBACK_PROJECTIONS];

/** What a process of `service` keeps: the command-line tool rebuilds the read model of the service it is pointed at. */
export function projectionsFor(service: string): readonly ItemProjection[] {
  switch (service) {
    case 'assignment':
      return ASSIGNMENT_PROJECTIONS;
    case 'supervision':
      return SUPERVISION_PROJECTIONS;
    case 'feedback':
      return FEEDBACK_PROJECTIONS;
    case 'co-handling':
      return [];
    default:
      return STANDALONE_PROJECTIONS;
  }
}
