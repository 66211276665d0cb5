export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: { path: string; message: string }[];
}

/** What each status means to the person in front of the screen; the gateway's detail follows it. */
const MEANING: Record<number, string> = {
  400: 'Some of what you entered is not valid.',
  401: 'Your sign-in token is missing, expired or not valid. Sign in again.',
  403: 'You are not allowed to do this.',
  404: 'This does not exist, or you cannot see it.',
  409: 'This conflicts with something that already exists.',
  412: 'Someone changed this in the meantime. Reload it and try again.',
  413: 'This is too large.',
  415: 'This type of file or content is not accepted.',
  429: 'Too many requests. Wait a moment and try again.',
  503: 'A part of the platform is unavailable for a moment. Try again shortly.',
};

/** A failed API call, with the message to show as it is. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem | undefined,
  ) {
    super(describe(status, problem));
    this.name = 'ApiError';
  }

  static unreachable(cause: unknown): ApiError {
    const error = new ApiError(0, undefined);
    error.cause = cause;
    return error;
  }

  /** The message of each invalid field, by its path without the `body/` prefix ("title", "questions/0/prompt"). */
  fieldErrors(): Record<string, string> {
    return Object.fromEntries((this.problem?.errors ?? []).map(({ path, message }) => [path.replace(/^(body|query)\//, ''), message]));
  }
}

function describe(status: number, problem: Problem | undefined): string {
  if (status === 0) return 'The server could not be reached. Check your connection and try again.';
  const meaning = MEANING[status] ?? (status >= 500 ? 'Something went wrong on our side. Try again.' : 'The request was refused.');
  const fields = (problem?.errors ?? []).map(({ path, message }) => `${path.replace(/^(body|query)\//, '')}: ${message}`);
  const detail = problem?.detail && !fields.length ? ` ${sentence(problem.detail)}` : '';
  return [meaning + detail, ...fields].join('\n');
}

const sentence = (text: string) => {
  const trimmed = text.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
};

/** The message of anything thrown, for an alert. */
export const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
