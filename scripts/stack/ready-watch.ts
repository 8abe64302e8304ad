import { setTimeout as delay } from 'node:timers/promises';
import type { StackService } from './services.js';

const POLL_INTERVAL_MS = 250;

async function isReady(service: StackService): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${service.port}${service.readyPath}`, { signal: AbortSignal.timeout(2_000) });
    await response.body?.cancel();
    return response.status === 200;
  } catch {
    return false;
  }
}

/** Resolves once every service answers GET /ready with 200 (polling), or when `signal` aborts. */
export async function waitUntilReady(services: StackService[], signal: AbortSignal): Promise<boolean> {
  const pending = new Set(services);
  while (pending.size > 0 && !signal.aborted) {
    for (const service of [...pending]) if (await isReady(service)) pending.delete(service);
    if (pending.size > 0) await delay(POLL_INTERVAL_MS, undefined, { signal }).catch(() => undefined);
  }
  return pending.size === 0;
}

/** The one line that says the whole stack serves: the router's URL and every other service's port. */
export function readyLine(services: StackService[], again: boolean): string {
  const router = services.find((service) => service.name === 'router');
  const others = services.filter((service) => service !== router).map((service) => `${service.name} :${service.port}`);
  return `${again ? 'stack ready again' : 'stack ready'}: router http://localhost:${router?.port}/graphql (${others.join(', ')} up)`;
}
