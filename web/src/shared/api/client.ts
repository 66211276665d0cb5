import createClient, { type Middleware } from 'openapi-fetch';
import { readConfig } from '../config';
import { ApiError, type Problem } from './errors';
import type { components, paths } from './schema';

export type Schemas = components['schemas'];

/** The gateway's typed client, generated from its OpenAPI document (src/shared/api/schema.d.ts). */
export const api = createClient<paths>({ baseUrl: readConfig().apiOrigin });

/** The bearer token of the next call; a provider's session may renew it first. */
export type TokenSource = () => string | undefined | Promise<string | undefined>;

let tokenSource: TokenSource = () => undefined;

/** The bearer token every call carries from now on (undefined: anonymous). */
export function setToken(token: string | undefined): void {
  tokenSource = () => token;
}

/** Every call asks `source` for its token, just before it is sent. */
export function setTokenSource(source: TokenSource): void {
  tokenSource = source;
}

export async function bearer(): Promise<string | undefined> {
  return tokenSource();
}

const authorize: Middleware = {
  async onRequest({ request }) {
    const token = await bearer();
    if (token) request.headers.set('Authorization', `Bearer ${token}`);
    return request;
  },
};
api.use(authorize);

interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/**
 * The data of a call, or an ApiError in plain words: a problem+json answer,
 * or a server that could not be reached.
 */
export async function call<T>(request: Promise<Answer<T>>): Promise<T> {
  let answer: Answer<T>;
  try {
    answer = await request;
  } catch (cause) {
    throw ApiError.unreachable(cause);
  }
  if (answer.response.ok) return answer.data as T;
  throw new ApiError(answer.response.status, answer.error as Problem | undefined);
}

/** The `version` an ETag carries, for the If-Match of the next change. */
export const ifMatch = (version: number) => ({ 'If-Match': `"${version}"` });
