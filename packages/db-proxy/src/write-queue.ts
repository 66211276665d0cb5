/**
 * Who may write now. FerretDB 1.24 applies a write as read, change in memory,
 * write back (FerretDB/FerretDB#3040), so two writes that may touch one
 * document must not overlap. A write confined to one document (its filter is
 * an `_id`) waits only for writes that may touch that document; a write that
 * may touch any document of its collection waits for every write to the
 * collection; writes to different collections, or to different documents,
 * overlap, which is what MongoDB's single-document atomicity allows and what
 * keeps many students' writes from queueing behind each other. A claim
 * without a namespace (index and collection commands, a test holding every
 * write) waits for every write and has FerretDB to itself.
 *
 * Claims also carry the PostgreSQL connections their command holds at once
 * (an `update` holds one per statement until it ends, limits.ts): the writes
 * in flight together never hold more than the budget, or FerretDB's pool
 * would run dry with every holder waiting for one more connection.
 *
 * First come, first served: a claim goes ahead of an earlier one only when
 * it does not conflict with it, and a claim that has to wait for its
 * connections, or for every write, holds back everything behind it, so
 * nothing waits forever behind a stream of smaller writes.
 */

export interface WriteClaim {
  /** `database.collection`, or undefined for a write that needs FerretDB to itself. */
  namespace: string | undefined;
  /** The one document of the namespace the write can change (its `_id`), or undefined when it may change any. */
  document?: string | undefined;
  /** PostgreSQL connections the command holds at once (1 for all but multi-statement updates). */
  connections: number;
}

export type ReleaseSlot = () => void;

export interface QueuedClaim {
  /** Resolves with the function that gives the claim back; call it exactly when the write is done. */
  granted: Promise<ReleaseSlot>;
  /** Gives up a place in the queue; a claim already granted must be released instead. */
  cancel(): void;
}

interface Waiter {
  claim: WriteClaim;
  grant: (release: ReleaseSlot) => void;
}

/** A namespace's writes under way: whether one may touch any document, and the documents the others are confined to. */
interface Busy {
  whole: boolean;
  documents: Set<string>;
}

export class WriteQueue {
  private readonly busy = new Map<string, Busy>();
  private holders = 0;
  private exclusive = false;
  private connectionsInUse = 0;
  private readonly waiters: Waiter[] = [];

  constructor(private readonly connectionBudget: number) {}

  /** Claims waiting for their turn. */
  get waiting(): number {
    return this.waiters.length;
  }

  /** Whether any write holds a claim now. */
  get held(): boolean {
    return this.holders > 0;
  }

  acquire(claim: WriteClaim): QueuedClaim {
    let grant!: (release: ReleaseSlot) => void;
    const granted = new Promise<ReleaseSlot>((resolve) => (grant = resolve));
    const waiter: Waiter = { claim, grant };
    this.waiters.push(waiter);
    this.dispatch();
    return {
      granted,
      cancel: () => {
        const index = this.waiters.indexOf(waiter);
        if (index < 0) return;
        this.waiters.splice(index, 1);
        // Those it held back may go now.
        this.dispatch();
      },
    };
  }

  private dispatch(): void {
    // What the waiters passed over claim: nothing behind them that conflicts may go first.
    const heldBack = new Map<string, Busy>();
    for (let index = 0; index < this.waiters.length && !this.exclusive;) {
      const { claim, grant } = this.waiters[index]!;
      if (claim.namespace === undefined) {
        if (this.holders > 0) return;
        this.waiters.splice(index, 1);
        this.exclusive = true;
        grant(this.take(claim));
        return;
      }
      if (conflicts(this.busy.get(claim.namespace), claim) || conflicts(heldBack.get(claim.namespace), claim)) {
        book(heldBack, claim);
        index += 1;
        continue;
      }
      if (this.connectionsInUse + claim.connections > this.connectionBudget && this.holders > 0) return;
      this.waiters.splice(index, 1);
      book(this.busy, claim);
      grant(this.take(claim));
    }
  }

  /** Books the claim and returns its release, which works once. */
  private take(claim: WriteClaim): ReleaseSlot {
    this.holders += 1;
    this.connectionsInUse += claim.connections;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holders -= 1;
      this.connectionsInUse -= claim.connections;
      if (claim.namespace === undefined) this.exclusive = false;
      else unbook(this.busy, claim);
      this.dispatch();
    };
  }
}

function conflicts(busy: Busy | undefined, claim: WriteClaim): boolean {
  if (!busy) return false;
  if (busy.whole) return true;
  return claim.document === undefined ? busy.documents.size > 0 : busy.documents.has(claim.document);
}

function book(busy: Map<string, Busy>, claim: WriteClaim): void {
  let entry = busy.get(claim.namespace!);
  if (!entry) busy.set(claim.namespace!, (entry = { whole: false, documents: new Set() }));
  if (claim.document === undefined) entry.whole = true;
  else entry.documents.add(claim.document);
}

function unbook(busy: Map<string, Busy>, claim: WriteClaim): void {
  const entry = busy.get(claim.namespace!);
  if (!entry) return;
  if (claim.document === undefined) entry.whole = false;
  else entry.documents.delete(claim.document);
  if (!entry.whole && entry.documents.size === 0) busy.delete(claim.namespace!);
}
