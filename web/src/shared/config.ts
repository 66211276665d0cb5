/**
 * What the static server tells the page about where it runs, in a JSON script
 * element it fills in (no inline script, so the CSP stays strict).
 */
export interface AppConfig {
  /** Where the gateway answers; '' is this page's own origin (the Ingress, or the local server's proxy). */
  apiOrigin: string;
  /** The organisation's OpenID provider and this interface's client there; without it, people sign in by pasting a token (development). */
  oidc?: { issuer: string; clientId: string };
}

export function readConfig(): AppConfig {
  const element = document.getElementById('app-config');
  const parsed = element?.textContent ? (JSON.parse(element.textContent) as Partial<AppConfig>) : {};
  return { apiOrigin: parsed.apiOrigin ?? '', ...(parsed.oidc ? { oidc: parsed.oidc } : {}) };
}

/** The path the app is mounted at, from the <base> element the static server writes: "/admin", "/". */
export function basePath(): string {
  return new URL(document.baseURI).pathname.replace(/\/$/, '') || '/';
}
