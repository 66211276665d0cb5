import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { createProxyMiddleware } from 'http-proxy-middleware';
import sirv from 'sirv';

export interface WebServerOptions {
  /** The built interface (web/dist/admin or web/dist/student). */
  root: string;
  /** Where the interface is mounted: "/admin", "/". */
  basePath: string;
  /** The gateway to forward /api to. Unset in the cluster, where the Ingress routes /api to the gateway itself. */
  apiUpstream?: string | undefined;
  /** Where the page calls the gateway, when not on its own origin ('' by default). */
  apiOrigin?: string | undefined;
  /** The OpenID provider people sign in through, and this interface's client id there; unset, the page asks for a pasted token. */
  oidc?: { issuer: string; clientId: string } | undefined;
}

const HASHED_ASSET = /^\/assets\//;

/** The Content-Security-Policy of the pages: everything from this origin; media from any https origin (Cloudinary) too. */
function contentSecurityPolicy(apiOrigin: string, providerOrigin: string | undefined): string {
  const api = apiOrigin ? ` ${apiOrigin}` : '';
  // The page reads the provider's discovery document and exchanges codes and refresh tokens at its token endpoint.
  const provider = providerOrigin ? ` ${providerOrigin}` : '';
  return [
    "default-src 'self'",
    `connect-src 'self'${api}${provider}`,
    `img-src 'self' data: blob: https:${api}`,
    `media-src 'self' blob: https:${api}`,
    // Mantine sets its CSS variables in a <style> element and style attributes.
    "style-src 'self' 'unsafe-inline'",
    'frame-src https://www.youtube-nocookie.com https://www.youtube.com https://player.vimeo.com',
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "object-src 'none'",
  ].join('; ');
}

/** "admin/", "/admin" → "/admin"; "/" → "" (so that `${base}/` is always the mount point). */
const normalizeBase = (basePath: string) => `/${basePath}`.replace(/\/+/g, '/').replace(/\/$/, '');

/**
 * A built interface over HTTP: hashed assets cached for a year, every other
 * path under the base answered with the app's page (the router takes it from
 * there), /health for the probes, and /api forwarded when an upstream is set.
 */
export function createWebServer(options: WebServerOptions): http.Server {
  const base = normalizeBase(options.basePath);
  const apiOrigin = options.apiOrigin ?? '';
  const template = readFileSync(path.join(options.root, 'index.html'), 'utf8');
  const page = template
    .replace('<!--app-base-->', `<base href="${base}/" />`)
    .replace(
      '<!--app-config-->',
      `<script type="application/json" id="app-config">${JSON.stringify({ apiOrigin, ...(options.oidc ? { oidc: options.oidc } : {}) }).replace(/</g, '\\u003c')}</script>`,
    );
  const security = {
    'Content-Security-Policy': contentSecurityPolicy(apiOrigin, options.oidc && new URL(options.oidc.issuer).origin),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'same-origin',
  };
  const assets = sirv(options.root, {
    etag: true,
    gzip: false,
    brotli: false,
    setHeaders(res, pathname) {
      for (const [name, value] of Object.entries(security)) res.setHeader(name, value);
      res.setHeader('Cache-Control', HASHED_ASSET.test(pathname) ? 'public, max-age=31536000, immutable' : 'public, max-age=300');
    },
  });
  const proxy = options.apiUpstream
    ? createProxyMiddleware<http.IncomingMessage, http.ServerResponse>({ target: options.apiUpstream, pathFilter: '/api', xfwd: true })
    : undefined;

  const sendPage = (res: http.ServerResponse, head: boolean) => {
    res.writeHead(200, { ...security, 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-cache' });
    res.end(head ? undefined : page);
  };
  const notFound = (res: http.ServerResponse) => {
    res.writeHead(404, { ...security, 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('not found\n');
  };

  return http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://web.invalid');
    if (url.pathname === '/health') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"status":"ok"}');
      return;
    }
    if (proxy && (url.pathname === '/api' || url.pathname.startsWith('/api/'))) {
      void proxy(req, res, () => notFound(res));
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' });
      res.end();
      return;
    }
    const inside =
      base === ''
        ? url.pathname
        : url.pathname === base
          ? '/'
          : url.pathname.startsWith(`${base}/`)
            ? url.pathname.slice(base.length)
            : undefined;
    if (inside === undefined) return notFound(res);
    // A path without a file extension is a screen of the app.
    if (inside === '/' || inside === '/index.html' || !path.posix.basename(inside).includes('.'))
      return sendPage(res, req.method === 'HEAD');
    req.url = inside + url.search;
    assets(req, res, () => notFound(res));
  });
}
