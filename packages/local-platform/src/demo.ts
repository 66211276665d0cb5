/** A small demo data set, loaded through the public API as a frontend would. */
export interface Demo {
  categoryId: string;
  summary: string[];
}

async function call(baseUrl: string, token: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

export async function loadDemo(baseUrl: string, adminToken: string): Promise<Demo> {
  const created = await call(baseUrl, adminToken, 'POST', '/api/categories', { name: 'Demo' });
  let categoryId = created.body.id as string | undefined;
  if (created.status === 409) {
    const list = await call(baseUrl, adminToken, 'GET', '/api/categories?limit=100');
    categoryId = (list.body.items as { id: string; name: string }[]).find((c) => c.name.toLowerCase() === 'demo')?.id;
  }
  if (!categoryId) throw new Error(`could not create the demo category: ${created.status} ${JSON.stringify(created.body)}`);
  return { categoryId, summary: [`demo category "Demo" ${categoryId}`] };
}
