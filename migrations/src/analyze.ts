/**
 * db:analyze-queries: the services' main queries run with `explain`. On
 * MongoDB the winning plan says it: IXSCAN (which index), IDHACK / EXPRESS
 * (by _id), or COLLSCAN (a collection scan; the index that would serve it is
 * named when it does not exist). A server whose explain carries no plan
 * stages (FerretDB answers with its backend's plan) is said to report no
 * index use, plainly, instead of being guessed at.
 */
import { ObjectId, type Db, type Document, type IndexDescriptionInfo } from 'mongodb';
import type { Report } from './context';

export interface MainQuery {
  name: string;
  collection: string;
  filter: Document;
  sort?: Document;
  /** The index that serves it: its key. */
  index: Document;
}

const anyId = new ObjectId('000000000000000000000000');
export const MAIN_QUERIES: MainQuery[] = [
  { name: 'course by id', collection: 'courses', filter: { _id: anyId, structure: { $exists: true } }, index: { _id: 1 } },
  {
    name: 'course list',
    collection: 'courses',
    filter: { status: 'published', structure: { $exists: true } },
    sort: { _id: 1 },
    index: { _id: 1 },
  },
  { name: 'page by id', collection: 'pages', filter: { _id: anyId, courseId: anyId, deletedAt: { $exists: false } }, index: { _id: 1 } },
  { name: 'category by key', collection: 'categories', filter: { key: 'math' }, index: { key: 1 } },
  { name: 'quizzes of a unit', collection: 'quizzes', filter: { moduleId: anyId }, sort: { _id: 1 }, index: { moduleId: 1 } },
  { name: 'quizzes of a course', collection: 'quizzes', filter: { courseId: anyId }, sort: { _id: 1 }, index: { courseId: 1 } },
  {
    name: 'attempt numbers',
    collection: 'attempts',
    filter: { quizId: anyId, userId: anyId },
    index: { quizId: 1, userId: 1, attemptNumber: 1 },
  },
  {
    name: 'attempts of a user in a course',
    collection: 'attempts',
    filter: { userId: anyId, courseId: anyId },
    index: { userId: 1, courseId: 1 },
  },
  { name: 'pending grants', collection: 'attempts', filter: { grantPending: true }, index: { grantPending: 1 } },
  // The bridge while both shapes live (docs/live-migration.md).
  {
    name: 'legacy attempts of a user at a quiz',
    collection: 'quizattempts',
    filter: { quizId: anyId, userId: anyId },
    index: { quizId: 1, userId: 1 },
  },
  { name: 'legacy balance', collection: 'users', filter: { _id: anyId }, index: { _id: 1 } },
  {
    name: 'gem history',
    collection: 'gemgrants',
    filter: { userId: 'x' },
    sort: { grantedAt: -1, _id: -1 },
    index: { userId: 1, grantedAt: -1 },
  },
  { name: 'grant by key', collection: 'gemgrants', filter: { key: 'x' }, index: { key: 1 } },
];

export type PlanVerdict = { kind: 'index'; index: string } | { kind: 'id' } | { kind: 'collscan' } | { kind: 'unreported'; server: string };

/** A node of an explain answer: its shape differs between servers and versions, so every field is read as unknown. */
type ExplainNode = Record<string, unknown>;
const isNode = (value: unknown): value is ExplainNode => typeof value === 'object' && value !== null;
const field = (value: unknown, key: string): unknown => (isNode(value) ? value[key] : undefined);

/** Every stage name of a MongoDB plan tree (classic `inputStage(s)`, SBE `queryPlan`), with index names. */
function stages(plan: unknown, out: { stage: string; indexName?: string }[] = []): { stage: string; indexName?: string }[] {
  if (!isNode(plan)) return out;
  if (typeof plan.stage === 'string')
    out.push({ stage: plan.stage, ...(typeof plan.indexName === 'string' ? { indexName: plan.indexName } : {}) });
  if (plan.queryPlan) stages(plan.queryPlan, out);
  if (plan.inputStage) stages(plan.inputStage, out);
  if (Array.isArray(plan.inputStages)) (plan.inputStages as unknown[]).forEach((p) => stages(p, out));
  if (plan.outerStage) stages(plan.outerStage, out);
  if (plan.innerStage) stages(plan.innerStage, out);
  return out;
}

/** Reads an explain answer; pure, so it is tested on MongoDB's own explain documents. */
export function readExplain(explain: Document): PlanVerdict {
  const planner = field(explain, 'queryPlanner');
  const found = stages(field(planner, 'winningPlan'));
  if (found.length === 0) {
    const version = field(field(explain, 'serverInfo'), 'version');
    const server =
      field(explain, 'ferretdbFeatures') || field(planner, 'Plan') ? 'FerretDB' : typeof version === 'string' ? version : 'this server';
    return { kind: 'unreported', server };
  }
  const ix = found.find((s) => s.stage === 'IXSCAN' || s.stage === 'DISTINCT_SCAN' || s.stage === 'COUNT_SCAN');
  if (ix) return { kind: 'index', index: ix.indexName ?? '?' };
  if (found.some((s) => s.stage === 'IDHACK' || s.stage === 'EXPRESS_IXSCAN' || s.stage === 'CLUSTERED_IXSCAN')) return { kind: 'id' };
  return { kind: 'collscan' };
}

const sameKey = (a: Document, b: Document) => JSON.stringify(a) === JSON.stringify(b);

export async function analyzeQueries(db: Db, report: Report): Promise<void> {
  const results: Document[] = [];
  let unreported = 0;
  for (const query of MAIN_QUERIES) {
    const collection = db.collection(query.collection);
    const indexes = await collection.indexes().catch((): IndexDescriptionInfo[] => []);
    const existing = indexes.find((ix) => sameKey(ix.key, query.index));
    let cursor = collection.find(query.filter);
    if (query.sort) cursor = cursor.sort(query.sort);
    const explain = await cursor.limit(20).explain('queryPlanner');
    const verdict = readExplain(explain);
    const missing = existing ? undefined : query.index;
    let line: string;
    if (verdict.kind === 'index') line = `index ${verdict.index}`;
    else if (verdict.kind === 'id') line = 'by _id';
    else if (verdict.kind === 'collscan') line = 'COLLECTION SCAN';
    else {
      unreported += 1;
      line = `${verdict.server} reports no index use in its explain`;
    }
    if (missing) line += `; missing index ${JSON.stringify(missing)} on ${query.collection}`;
    report.say(`  ${query.name.padEnd(32)} ${query.collection.padEnd(11)} ${line}`);
    results.push({
      query: query.name,
      collection: query.collection,
      filter: Object.keys(query.filter),
      plan: verdict,
      ...(missing ? { missingIndex: missing } : {}),
      indexExists: Boolean(existing),
    });
    if (missing) report.problem(`${query.name}: no index ${JSON.stringify(query.index)} on ${query.collection}`);
    else if (verdict.kind === 'collscan')
      report.problem(`${query.name}: collection scan on ${query.collection} although index ${existing?.name} exists`);
  }
  if (unreported > 0)
    report.notes.push(
      `the server reported no index use for ${unreported} of ${MAIN_QUERIES.length} queries: index use is unknown there (judged only by which indexes exist)`,
    );
  report.extra.queries = results;
}
