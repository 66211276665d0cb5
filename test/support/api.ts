import { randomBytes } from 'node:crypto';
import { signToken, type Role } from '@testmancer/shared';

/** A fresh 24-hex id, as the platform's ids are. */
export const newId = () => randomBytes(12).toString('hex');
export const uniqueName = (prefix: string) => `${prefix} ${randomBytes(5).toString('hex')}`;

export function gatewayUrl(): string {
  const url = process.env.TEST_GATEWAY_URL;
  if (!url) throw new Error('TEST_GATEWAY_URL is not set: run through the jest "platform" project');
  return url;
}

export interface TestUser {
  sub: string;
  role: Role;
  token: string;
}

export async function user(role: Role, categoryIds: string[] = [], sub = newId()): Promise<TestUser> {
  const token = await signToken({ sub, role, categoryIds }, process.env.TEST_JWT_SECRET);
  return { sub, role, token };
}

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface RequestOptions {
  as?: TestUser | undefined;
  body?: unknown;
  /** A raw body sent as is (for malformed input). */
  rawBody?: string | Buffer;
  /** A multipart body (its Content-Type, with the boundary, is set by fetch). */
  formData?: FormData;
  headers?: Record<string, string>;
  baseUrl?: string;
}

/** One HTTP call to the gateway, as a frontend makes it. */
export async function api<T = any>(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.as) headers.authorization = `Bearer ${options.as.token}`;
  let body: string | Buffer | FormData | undefined;
  if (options.formData !== undefined) body = options.formData;
  else if (options.rawBody !== undefined) body = options.rawBody;
  else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(`${options.baseUrl ?? gatewayUrl()}${path}`, { method, headers, body });
  const text = await response.text();
  let parsed: unknown = undefined;
  if (text && /json/.test(response.headers.get('content-type') ?? '')) parsed = JSON.parse(text);
  return { status: response.status, headers: response.headers, body: parsed as T, text };
}

/** Asserts the RFC 9457 shape every error must have, and that nothing internal leaks. */
export function expectProblem(response: ApiResponse, status: number): void {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(response.body).toEqual(
    expect.objectContaining({ type: expect.any(String), title: expect.any(String), status, detail: expect.any(String) }),
  );
  expect(response.text).not.toMatch(/\bat .+\.(js|ts):\d+|MongoServerError|MongoError|stack|Error:/);
}
