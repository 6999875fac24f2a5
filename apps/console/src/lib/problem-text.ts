/** A refusal as a person reads it: the meaning of its code in the console's language, the service's own words beside, the code last. */
export interface ReadableProblem {
  title: string;
  detail?: string;
  code?: string;
}

export function readableProblem(error: unknown, meaning: (code: string) => string | undefined): ReadableProblem {
  const e = error as { code?: string; message?: string; detail?: string };
  const detail = e.detail ?? e.message ?? String(error);
  const text = e.code ? meaning(e.code) : undefined;
  return text ? { title: text, detail, ...(e.code ? { code: e.code } : {}) } : { title: detail, ...(e.code ? { code: e.code } : {}) };
}

/** The refusal on one line (a toast, a form's alert): its meaning, and the service's own sentence where it says more. */
export function problemLine(problem: ReadableProblem): string {
  return problem.detail && problem.detail !== problem.title ? `${problem.title}（${problem.detail}）` : problem.title;
}
