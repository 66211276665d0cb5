import { z } from 'zod';
import { invalid } from './errors';
import { objectIdText, type FieldIssue } from '@testmancer/shared';
import { content } from '@testmancer/contracts';

export const { LIMITS } = content;

export const objectIdSchema = objectIdText();

export const titleSchema = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);

/** Turns zod's defaults into messages an API client can act on. */
const errorMap: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'is required' : `must be ${article(issue.expected)}`;
    case 'too_big':
      return issue.origin === 'array'
        ? `must have at most ${String(issue.maximum)} items`
        : `must be at most ${String(issue.maximum)} characters`;
    case 'too_small':
      return issue.origin === 'string' && issue.minimum === 1
        ? 'must not be empty'
        : `must be at least ${String(issue.minimum)} characters`;
    case 'invalid_value':
      return `must be one of: ${issue.values.map(String).join(', ')}`;
    default:
      return undefined;
  }
};

const article = (type: string) => (/^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`);

const joinPath = (path: readonly PropertyKey[]) => path.map(String).join('/');

/** Every zod issue as `{ path, message }`, one per unknown key, paths under `root`. */
export function toFieldIssues(issues: readonly z.core.$ZodIssue[], root: readonly PropertyKey[] = []): FieldIssue[] {
  return issues.flatMap((issue) => {
    const path = [...root, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: joinPath([...path, key]), message: 'is not an allowed field' }));
    }
    if (issue.code === 'invalid_union' && 'options' in issue && issue.options !== undefined) {
      return [{ path: joinPath(path), message: `must be one of: ${issue.options.map(String).join(', ')}` }];
    }
    return [{ path: joinPath(path), message: issue.message }];
  });
}

export function safeParse<S extends z.ZodType>(schema: S, input: unknown) {
  return schema.safeParse(input, { error: errorMap });
}

/** Parses `input` or throws `invalid(message)` listing every problem found. */
export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  input: unknown,
  message: string,
  root: readonly PropertyKey[] = [],
): z.output<S> {
  const result = safeParse(schema, input);
  if (!result.success) throw invalid(message, toFieldIssues(result.error.issues, root));
  return result.data;
}

export function validateUnitTitle(title: unknown, field = 'title'): string {
  return parseOrThrow(titleSchema(LIMITS.unitTitle), title, 'invalid unit title', [field]);
}

export function validatePageTitle(title: unknown, field = 'title'): string {
  return parseOrThrow(titleSchema(LIMITS.pageTitle), title, 'invalid page title', [field]);
}
