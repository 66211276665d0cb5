import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createWebServer } from '../src';

const TEMPLATE = '<html><head><!--app-base--><!--app-config--></head><body>app</body></html>';

let root: string;
let upstream: http.Server;
let upstreamSeen: { method?: string; url?: string; body: string }[];

function listen(server: http.Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );
}
function rawGet(base: string, requestPath: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: '127.0.0.1', port: new URL(base).port, path: requestPath }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on('error', reject);
  });
}
const close = (server: http.Server) => new Promise((resolve) => server.close(resolve));

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'web-server-'));
  writeFileSync(path.join(root, 'index.html'), TEMPLATE);
  mkdirSync(path.join(root, 'assets'));
  writeFileSync(path.join(root, 'assets', 'index-abc123.js'), 'console.log(1)');
  writeFileSync(path.join(root, 'robots.txt'), 'User-agent: *');
  upstreamSeen = [];
  upstream = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      upstreamSeen.push({ method: req.method, url: req.url, body });
      res.writeHead(201, { 'Content-Type': 'application/json' });
      res.end('{"from":"gateway"}');
    });
  });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function serve(options: { basePath: string; apiUpstream?: string; apiOrigin?: string; oidc?: { issuer: string; clientId: string } }) {
  const server = createWebServer({ root, ...options });
  const url = await listen(server);
  return { url, close: () => close(server) };
}

describe('the static server of a web interface', () => {
  test('every screen under the base path is the app page, with its <base> and config, never cached', async () => {
    const web = await serve({ basePath: '/admin' });
    try {
      for (const screen of ['/admin', '/admin/', '/admin/courses/665f1c2ab8d4e6a1f0c3b2a1/units']) {
        const response = await fetch(web.url + screen);
        expect(response.status).toBe(200);
        expect(response.headers.get('cache-control')).toBe('no-cache');
        expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
        const page = await response.text();
        expect(page).toContain('<base href="/admin/" />');
        expect(page).toContain('<script type="application/json" id="app-config">{"apiOrigin":""}</script>');
      }
      expect((await fetch(`${web.url}/elsewhere`)).status).toBe(404);
      expect((await fetch(`${web.url}/administrator`)).status).toBe(404);
    } finally {
      await web.close();
    }
  });

  test('with an OpenID provider, the page names it and its client, and may call it (and nothing else) besides itself', async () => {
    const web = await serve({
      basePath: '/admin',
      oidc: { issuer: 'https://id.school.example/realms/staff', clientId: 'testmancer-admin' },
    });
    try {
      const response = await fetch(`${web.url}/admin/courses`);
      expect(await response.text()).toContain(
        '{"apiOrigin":"","oidc":{"issuer":"https://id.school.example/realms/staff","clientId":"testmancer-admin"}}',
      );
      expect(response.headers.get('content-security-policy')).toContain("connect-src 'self' https://id.school.example;");
    } finally {
      await web.close();
    }
  });

  test('hashed assets are cached for a year; other files briefly; a missing file is a 404, not the page', async () => {
    const web = await serve({ basePath: '/' });
    try {
      const asset = await fetch(`${web.url}/assets/index-abc123.js`);
      expect(asset.status).toBe(200);
      expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(await asset.text()).toBe('console.log(1)');
      expect((await fetch(`${web.url}/robots.txt`)).headers.get('cache-control')).toBe('public, max-age=300');
      expect((await fetch(`${web.url}/assets/missing.js`)).status).toBe(404);
      expect((await fetch(`${web.url}/health`)).status).toBe(200);
    } finally {
      await web.close();
    }
  });

  test('paths that climb out of the build are not served', async () => {
    const web = await serve({ basePath: '/admin' });
    try {
      // Sent as written: fetch() would normalize the dots away before sending.
      for (const attempt of [
        '/admin/../../etc/passwd',
        '/admin/%2e%2e/%2e%2e/etc/passwd',
        '/admin/assets/..%2f..%2f..%2f..%2fetc%2fpasswd.js',
      ]) {
        const { status, body } = await rawGet(web.url, attempt);
        expect(body).not.toContain('root:');
        expect(status).toBe(404);
      }
    } finally {
      await web.close();
    }
  });

  test('with an upstream, /api is forwarded to the gateway, body and status as they are; without one it is not', async () => {
    const gateway = await listen(upstream);
    const proxied = await serve({ basePath: '/', apiUpstream: gateway });
    const standalone = await serve({ basePath: '/' });
    try {
      const response = await fetch(`${proxied.url}/api/courses?limit=5`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"title":"x"}',
      });
      expect(response.status).toBe(201);
      expect(await response.json()).toEqual({ from: 'gateway' });
      expect(upstreamSeen).toEqual([{ method: 'POST', url: '/api/courses?limit=5', body: '{"title":"x"}' }]);
      expect((await fetch(`${standalone.url}/api/courses`, { method: 'POST' })).status).toBe(405);
    } finally {
      await Promise.all([proxied.close(), standalone.close(), close(upstream)]);
    }
  });
});
