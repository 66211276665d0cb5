import { busy, type Caller } from '@testmancer/shared';

/**
 * How many uploads one media pod receives at once, and one user of them:
 * each holds a staging file and a stream, so a bound keeps the pod's disk
 * and memory (and one user's share of them) in check. Past it, an upload is
 * refused before anything is read (busy: 429 with Retry-After at the edge).
 */
export class UploadSlots {
  private inUse = 0;
  private readonly byUser = new Map<string, number>();

  constructor(
    private readonly perPod: number,
    private readonly perUser: number,
  ) {}

  /** A slot for `caller`'s upload; the returned function frees it (once). */
  take(caller: Caller): () => void {
    const user = caller.kind === 'user' ? caller.userId : '';
    const ofUser = this.byUser.get(user) ?? 0;
    if (ofUser >= this.perUser)
      throw busy(`at most ${String(this.perUser)} uploads of one user at a time; try again when one has finished`);
    if (this.inUse >= this.perPod) throw busy('too many uploads at once; try again in a moment');
    this.inUse += 1;
    this.byUser.set(user, ofUser + 1);
    let freed = false;
    return () => {
      if (freed) return;
      freed = true;
      this.inUse -= 1;
      const left = (this.byUser.get(user) ?? 1) - 1;
      if (left === 0) this.byUser.delete(user);
      else this.byUser.set(user, left);
    };
  }
}
