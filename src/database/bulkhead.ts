/**
 * A counting limit with a bounded wait: the heavy lane of the connection pool (filters, counts, paginate, bulk
 * deletes). Heavy statements may hold at most `limit` pooled connections at once, so the rest of the pool stays
 * free for point queries (reads by key, creates, updates, deletes) even while slow filters pile up.
 */
export class BulkheadFullError extends Error {
  override readonly name = 'BulkheadFullError';
}

interface Waiter {
  grant(): void;
}

export class Bulkhead {
  private active = 0;
  private readonly waiting: Waiter[] = [];

  constructor(
    readonly limit: number,
    /** How long a statement may wait for a place before it fails (retryable, 503). */
    readonly waitMs: number,
  ) {}

  /** Resolves with the function that gives the place back (idempotent). */
  enter(): Promise<() => void> {
    if (this.active < this.limit) {
      this.active++;
      return Promise.resolve(this.permit());
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        grant: () => {
          clearTimeout(timer);
          resolve(this.permit());
        },
      };
      const timer = setTimeout(() => {
        const at = this.waiting.indexOf(waiter);
        if (at !== -1) this.waiting.splice(at, 1);
        reject(new BulkheadFullError(`timeout waiting for one of ${this.limit} heavy-query connections`));
      }, this.waitMs);
      this.waiting.push(waiter);
    });
  }

  private permit(): () => void {
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      // The place passes straight to the next waiter, so `active` never drops below what is really running.
      const next = this.waiting.shift();
      if (next) next.grant();
      else this.active--;
    };
  }
}
