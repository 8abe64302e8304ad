/** Why a turn was refused: every place was taken, or the wait for one outlasted `maxWaitMs`. */
export type RefusalReason = 'queue_full' | 'wait_timeout';

/** A turn the queue could not give: the caller answers OVERLOADED instead of waiting longer. */
export class QueueRefusedError extends Error {
  constructor(readonly reason: RefusalReason) {
    super(reason === 'queue_full' ? 'every place in the queue is taken' : 'no turn came before the queue wait ended');
    this.name = 'QueueRefusedError';
  }
}

export interface BoundedQueueOptions {
  /** How many holders may have a turn at once. */
  concurrency: number;
  /** How many more may wait for a turn; one more is refused at once (`queue_full`). */
  maxQueued: number;
  /** How long one may wait for a turn before it is refused (`wait_timeout`). Default: as long as it takes. */
  maxWaitMs?: number;
  /** Called whenever the load changes, say to set a gauge. Default nothing. */
  onChange?: (load: { active: number; queued: number }) => void;
}

interface Waiter {
  grant: () => void;
  timer?: NodeJS.Timeout;
}

/**
 * Bounded concurrency with a bounded, first-come queue that refuses rather than grows: the shape of
 * load shedding (decision 021). p-limit and p-queue queue without bound and cannot refuse a caller
 * that waited too long, which is the behaviour wanted here, and this is all of it.
 */
export class BoundedQueue {
  private active = 0;
  private readonly waiting: Waiter[] = [];

  constructor(private readonly options: BoundedQueueOptions) {}

  /** How many hold a turn, and how many wait for one. */
  get load(): { active: number; queued: number } {
    return { active: this.active, queued: this.waiting.length };
  }

  /**
   * Resolves to a release function once a turn is free (call it exactly when the work ends; later
   * calls do nothing); rejects with QueueRefusedError when the queue is full or the wait ran out, and
   * when `signal` aborts while waiting (the caller went away).
   */
  acquire(signal?: AbortSignal): Promise<() => void> {
    if (this.active < this.options.concurrency) {
      this.active += 1;
      this.changed();
      return Promise.resolve(this.releaser());
    }
    if (signal?.aborted) return Promise.reject(new QueueRefusedError('wait_timeout'));
    if (this.waiting.length >= this.options.maxQueued) return Promise.reject(new QueueRefusedError('queue_full'));
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { grant: () => resolve(this.releaser()) };
      const leave = (reason: RefusalReason) => {
        const index = this.waiting.indexOf(waiter);
        if (index < 0) return;
        this.waiting.splice(index, 1);
        clearTimeout(waiter.timer);
        this.changed();
        reject(new QueueRefusedError(reason));
      };
      if (this.options.maxWaitMs !== undefined) waiter.timer = setTimeout(() => leave('wait_timeout'), this.options.maxWaitMs);
      signal?.addEventListener('abort', () => leave('wait_timeout'), { once: true });
      this.waiting.push(waiter);
      this.changed();
    });
  }

  /** Runs `task` in its turn; rejects with QueueRefusedError, without running it, when no turn is given. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await task();
    } finally {
      release();
    }
  }

  private releaser(): () => void {
    let isReleased = false;
    return () => {
      if (isReleased) return;
      isReleased = true;
      const next = this.waiting.shift();
      if (next) {
        // The turn passes straight to the next waiter: `active` stays as it is.
        clearTimeout(next.timer);
        next.grant();
      } else {
        this.active -= 1;
      }
      this.changed();
    };
  }

  private changed(): void {
    this.options.onChange?.(this.load);
  }
}
