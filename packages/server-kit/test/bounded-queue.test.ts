import { describe, expect, it } from 'vitest';
import { BoundedQueue, QueueRefusedError } from '../src/http/bounded-queue.js';

// Turns are held and given back by the test itself, so nothing here depends on timing.

describe('BoundedQueue', () => {
  it('gives turns up to its concurrency, queues up to maxQueued first come first served, and refuses one more at once', async () => {
    const loads: { active: number; queued: number }[] = [];
    const queue = new BoundedQueue({ concurrency: 2, maxQueued: 1, onChange: (load) => loads.push(load) });
    const first = await queue.acquire();
    await queue.acquire();
    const order: string[] = [];
    const third = queue.acquire().then((release) => {
      order.push('third');
      return release;
    });

    await expect(queue.acquire()).rejects.toEqual(new QueueRefusedError('queue_full'));
    expect(queue.load).toEqual({ active: 2, queued: 1 });
    first();
    first();
    (await third)();
    expect(order).toEqual(['third']);
    expect(queue.load).toEqual({ active: 1, queued: 0 });
    expect(loads.at(-1)).toEqual({ active: 1, queued: 0 });
  });

  it('refuses a waiter whose wait ran out, or whose caller went away, and keeps the turn count right', async () => {
    const queue = new BoundedQueue({ concurrency: 1, maxQueued: 5, maxWaitMs: 1 });
    const release = await queue.acquire();
    await expect(queue.acquire()).rejects.toMatchObject({ reason: 'wait_timeout' });

    const patient = new BoundedQueue({ concurrency: 1, maxQueued: 5 });
    const held = await patient.acquire();
    const gone = new AbortController();
    const abandoned = patient.acquire(gone.signal);
    gone.abort();
    await expect(abandoned).rejects.toBeInstanceOf(QueueRefusedError);
    expect(patient.load).toEqual({ active: 1, queued: 0 });
    held();
    release();
    expect(patient.load).toEqual({ active: 0, queued: 0 });
  });

  it('runs a task in its turn and gives the turn back when it fails', async () => {
    const queue = new BoundedQueue({ concurrency: 1, maxQueued: 0 });
    await expect(queue.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await queue.run(() => Promise.resolve(42))).toBe(42);
    expect(queue.load).toEqual({ active: 0, queued: 0 });
  });
});
