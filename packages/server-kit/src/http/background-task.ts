import type { Logger } from '../telemetry/logger.js';

export interface BackgroundTask {
  /** Stops the timer and waits for a run in progress, so what it uses (the database) can close after it. */
  stop(): Promise<void>;
}

/**
 * Runs `run` in the background: once at start, then `intervalMs` after each run ends, so two runs
 * never overlap in one process. A failing run is logged (`failureMessage`) and the next one comes at
 * the next tick. `run` receives `isStopped` to end a long run early. The timer does not keep the
 * process alive. Used for the products expiry sweep and the orders checkout recovery loop.
 */
export function startBackgroundTask(
  run: (isStopped: () => boolean) => Promise<unknown>,
  { intervalMs, logger, failureMessage }: { intervalMs: number; logger: Logger; failureMessage: string },
): BackgroundTask {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let isStopped = false;

  const schedule = (delayMs: number) => {
    timer = setTimeout(() => {
      running = run(() => isStopped)
        .then(
          () => undefined,
          (error: unknown) => logger.error({ err: error }, failureMessage),
        )
        .finally(() => {
          running = undefined;
          if (!isStopped) schedule(intervalMs);
        });
    }, delayMs);
    timer.unref();
  };
  schedule(0);

  return {
    async stop() {
      isStopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
