import { gems as contract } from '@testmancer/contracts';
import { type Caller } from '@testmancer/shared';
import { z } from 'zod';
import type { Clients } from '../clients';
import { defineRoute, type Reply } from '../http/route';
import { objectId } from '../http/schemas';
import { balanceSchema, presentBalance } from './quiz-present';

const TAGS = ['gems'];

const historyQuery = z.strictObject({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(contract.HISTORY_LIMIT.max)
    .optional()
    .openapi({
      description: `History entries, newest first, 1..${String(contract.HISTORY_LIMIT.max)} (default ${String(contract.HISTORY_LIMIT.default)})`,
    }),
});

export function gemRoutes(clients: Clients) {
  const gems = clients.gems;

  async function balanceReply(caller: Caller, userId: string, historyLimit: number | undefined): Promise<Reply> {
    const balance = await gems.getBalance({ userId, historyLimit: historyLimit ?? 0 }, { caller });
    // A balance changes without a version of its own: never served from a cache.
    return { status: 200, body: presentBalance(balance), headers: { 'Cache-Control': 'no-store', Vary: 'Authorization' } };
  }

  return [
    defineRoute({
      method: 'get',
      path: '/api/gems/me',
      summary: "The caller's gems: balance and grant history",
      description: 'Meant for students; any signed-in user gets their own (0 and no history when they never earned any).',
      tags: TAGS,
      access: 'authenticated',
      query: historyQuery,
      responses: { 200: { description: 'The balance', schema: balanceSchema } },
      async handle({ query, caller }) {
        return balanceReply(caller, '', query.limit);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/users/:userId/gems',
      summary: "Any user's gems (admins)",
      tags: TAGS,
      access: ['admin'],
      params: z.strictObject({ userId: objectId() }),
      query: historyQuery,
      responses: { 200: { description: 'The balance (0 for a user who never earned any)', schema: balanceSchema } },
      async handle({ params, query, caller }) {
        return balanceReply(caller, params.userId, query.limit);
      },
    }),
  ];
}
