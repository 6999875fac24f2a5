import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { HttpProblem } from './problem';

function flatten(errors: ValidationError[], parent = ''): { field: string; problems: string[] }[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = e.constraints ? [{ field, problems: Object.values(e.constraints) }] : [];
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** DTOs are validated strictly: unknown fields are refused, and every failure names its field. */
export function banliValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    forbidUnknownValues: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) => {
      const problems = flatten(errors);
      return new HttpProblem(400, 'VALIDATION_FAILED', problems.map((p) => `${p.field}: ${p.problems.join(', ')}`).join('; '), { errors: problems });
    },
  });
}
