// Just enough of k6's modules to run k6/scenarios/structured-courses.js under
// jest (moduleNameMapper sends `k6`, `k6/http`, … here): HTTP answers come
// synchronously, as in k6, from a responder the test sets; every request is
// recorded.
import { createHmac } from 'node:crypto';

export interface RecordedRequest {
  method: string;
  url: string;
  body: string | null;
  headers: Record<string, string>;
}

export const k6 = {
  requests: [] as RecordedRequest[],
  respond: (_request: RecordedRequest): { status: number; body: string } => ({ status: 503, body: '' }),
  vu: { idInTest: 1, iterationInScenario: 0 },
};

export function check(value: unknown, checks: Record<string, (value: unknown) => boolean>): boolean {
  return Object.values(checks).every((predicate) => predicate(value));
}

export function sleep(): void {}

export const http = {
  request(method: string, url: string, body: string | null, params: { headers: Record<string, string> }) {
    const request = { method, url, body, headers: params.headers };
    k6.requests.push(request);
    return k6.respond(request);
  },
};

export const crypto = {
  hmac(algorithm: string, secret: string, data: string, encoding: string) {
    if (encoding !== 'base64rawurl') throw new Error(`shim: encoding ${encoding}`);
    return createHmac(algorithm, secret).update(data).digest('base64url');
  },
};

export const encoding = {
  b64encode(text: string, variant: string) {
    if (variant !== 'rawurl') throw new Error(`shim: variant ${variant}`);
    return Buffer.from(text).toString('base64url');
  },
};

export const execution = { vu: k6.vu };
