import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// A service stopped by a signal under `npm start` (NODE_ENV unset: development) or an orchestrator
// (production): it drains, closes what it holds, says "stopped" and exits 0, not 143.

const fixture = fileURLToPath(new URL('./fixtures/signal-service.ts', import.meta.url));

async function stopWith(signal: 'SIGTERM' | 'SIGINT', nodeEnv: string) {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', fixture], {
    env: { ...process.env, NODE_ENV: nodeEnv },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const messages: string[] = [];
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  await new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const { msg } = JSON.parse(line) as { msg: string };
      messages.push(msg);
      if (msg.startsWith('listening on')) resolve();
    });
    void exited.then(() => reject(new Error(`the service exited before listening: ${messages.join(' | ')}`)));
  });
  child.kill(signal);
  const [code, killedBy] = await exited;
  return { code, killedBy, messages };
}

describe('runService', () => {
  it.each([
    ['SIGTERM', 'development'],
    ['SIGINT', 'development'],
    ['SIGTERM', 'production'],
  ] as const)('stops on %s in %s: drains, closes its resources, says "stopped" and exits 0', async (signal, nodeEnv) => {
    const { code, killedBy, messages } = await stopWith(signal, nodeEnv);

    expect({ code, killedBy }).toEqual({ code: 0, killedBy: null });
    expect(messages.slice(-3)).toEqual(['shutting down', 'resources closed', 'stopped']);
  });
});
