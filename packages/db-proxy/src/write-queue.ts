/**
 * Who may write now. FerretDB 1.24 applies a write as read, change in memory,
 * write back (FerretDB/FerretDB#3040), so two writes to one collection must
 * not overlap; writes to different collections may, which is what MongoDB's
 * single-document atomicity allows and what keeps several services' writes
 * from queueing behind each other. A claim without a namespace (index and
 * collection commands, a test holding every write) waits for every write and
 * has FerretDB to itself.
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

export class WriteQueue {
  private readonly busyNamespaces = new Set<string>();
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
    const heldBack = new Set<string>();
    for (let index = 0; index < this.waiters.length && !this.exclusive;) {
      const { claim, grant } = this.waiters[index]!;
      if (claim.namespace === undefined) {
        if (this.holders > 0) return;
        this.waiters.splice(index, 1);
        this.exclusive = true;
        grant(this.take(claim));
        return;
      }
      if (this.busyNamespaces.has(claim.namespace) || heldBack.has(claim.namespace)) {
        heldBack.add(claim.namespace);
        index += 1;
        continue;
      }
      if (this.connectionsInUse + claim.connections > this.connectionBudget && this.holders > 0) return;
      this.waiters.splice(index, 1);
      this.busyNamespaces.add(claim.namespace);
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
      else this.busyNamespaces.delete(claim.namespace);
      this.dispatch();
    };
  }
}
