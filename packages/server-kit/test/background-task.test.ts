import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it, vi } from 'vitest';
import { startBackgroundTask } from '../src/http/background-task.js';
import { createLogger } from '../src/telemetry/logger.js';

const logger = createLogger({ service: 'test', level: 'silent' });

async function until(condition: () => boolean) {
  for (let i = 0; i < 200 && !condition(); i++) await sleep(10);
  expect(condition()).toBe(true);
}

describe('startBackgroundTask', () => {
  it('runs at once, then again after each run ends, never two at a time', async () => {
    let active = 0;
    let maxActive = 0;
    let runs = 0;
    const task = startBackgroundTask(
      async () => {
        active += 1;
        maxActive = Math.max(maxActive, active);
        await sleep(20);
        runs += 1;
        active -= 1;
      },
      { intervalMs: 1, logger, failureMessage: 'failed' },
    );
    await until(() => runs >= 3);
    await task.stop();
    expect(maxActive).toBe(1);
  });

  it('logs a failing run and keeps going', async () => {
    const error = vi.spyOn(logger, 'error');
    let calls = 0;
    const task = startBackgroundTask(
      async () => {
        calls += 1;
        if (calls === 1) throw new Error('boom');
      },
      { intervalMs: 1, logger, failureMessage: 'the task failed' },
    );
    await until(() => calls >= 2);
    await task.stop();
    expect(error).toHaveBeenCalledWith({ err: expect.objectContaining({ message: 'boom' }) }, 'the task failed');
  });

  it('stop() waits for the run in progress and tells it to end early; nothing runs after', async () => {
    let finished = false;
    let sawStop = false;
    let started = 0;
    const task = startBackgroundTask(
      async (isStopped) => {
        started += 1;
        await sleep(50);
        sawStop = isStopped();
        finished = true;
      },
      { intervalMs: 1, logger, failureMessage: 'failed' },
    );
    await until(() => started === 1);
    await task.stop();
    expect({ finished, sawStop }).toEqual({ finished: true, sawStop: true });
    await sleep(30);
    expect(started).toBe(1);
  });
});
