// db:analyze-queries reads MongoDB's explain format (classic and SBE), and says when a server reports no plan.
import { readExplain } from '../src/analyze';

describe('readExplain', () => {
  test('an index scan names its index (classic engine, MongoDB 4.4)', () => {
    const explain = {
      queryPlanner: {
        winningPlan: {
          stage: 'LIMIT',
          inputStage: { stage: 'FETCH', inputStage: { stage: 'IXSCAN', keyPattern: { moduleId: 1 }, indexName: 'unit' } },
        },
      },
      serverInfo: { version: '4.4.29' },
    };
    expect(readExplain(explain)).toEqual({ kind: 'index', index: 'unit' });
  });

  test('a query by _id is IDHACK (4.4–7.0) or EXPRESS_IXSCAN (8.0)', () => {
    expect(readExplain({ queryPlanner: { winningPlan: { stage: 'IDHACK' } } })).toEqual({ kind: 'id' });
    expect(readExplain({ queryPlanner: { winningPlan: { stage: 'EXPRESS_IXSCAN', keyPattern: '{ _id: 1 }' } } })).toEqual({ kind: 'id' });
  });

  test('a collection scan, also under SORT and in the SBE queryPlan wrapper (MongoDB 7)', () => {
    expect(
      readExplain({ queryPlanner: { winningPlan: { stage: 'SORT', inputStage: { stage: 'COLLSCAN', direction: 'forward' } } } }),
    ).toEqual({ kind: 'collscan' });
    expect(
      readExplain({
        queryPlanner: {
          winningPlan: { queryPlan: { stage: 'FETCH', inputStage: { stage: 'IXSCAN', indexName: 'course' } }, slotBasedPlan: {} },
        },
      }),
    ).toEqual({ kind: 'index', index: 'course' });
    expect(readExplain({ queryPlanner: { winningPlan: { queryPlan: { stage: 'COLLSCAN' } } } })).toEqual({ kind: 'collscan' });
  });

  test('an OR of index scans counts as index use', () => {
    expect(
      readExplain({
        queryPlanner: {
          winningPlan: {
            stage: 'SUBPLAN',
            inputStage: {
              stage: 'OR',
              inputStages: [
                { stage: 'IXSCAN', indexName: 'a' },
                { stage: 'IXSCAN', indexName: 'b' },
              ],
            },
          },
        },
      }),
    ).toEqual({
      kind: 'index',
      index: 'a',
    });
  });

  test("FerretDB's explain (its backend's plan, no stages) is reported as no index use reported", () => {
    const ferret = {
      queryPlanner: { Plan: { 'Node Type': 'Seq Scan', 'Relation Name': 'courses_123' } },
      ferretdbFeatures: { pushdown: true },
      ok: 1,
    };
    expect(readExplain(ferret)).toEqual({ kind: 'unreported', server: 'FerretDB' });
    expect(readExplain({ ok: 1 })).toEqual({ kind: 'unreported', server: 'this server' });
  });
});
