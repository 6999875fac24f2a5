import { useI18n } from 'vue-i18n';
import { problemLine, type ReadableProblem, readableProblem } from './problem-text';

/** Turns a refusal into words in the console's language (see locales/problems.ts). */
export function useProblem(): (error: unknown) => ReadableProblem {
  const { t, te } = useI18n();
  return (error) => readableProblem(error, (code) => (te(`problems.${code}`) ? t(`problems.${code}`) : undefined));
}

/** The same, on one line. */
export function useProblemLine(): (error: unknown) => string {
  const readable = useProblem();
  return (error) => problemLine(readable(error));
}
