import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@supergraph/server-kit/telemetry';
import { afterEach, expect, it, vi } from 'vitest';
import { createSupergraphFileSource } from '../src/supergraph-file.js';

const logger = createLogger({ service: 'router', level: 'silent' });
let cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

/** One version of a mounted ConfigMap, as the kubelet writes it: a hidden directory per update. */
function writeVersion(dir: string, version: string, sdl: string): void {
  mkdirSync(join(dir, version));
  writeFileSync(join(dir, version, 'supergraph.graphql'), sdl);
}

async function startSource(path: string) {
  const source = createSupergraphFileSource(path, logger);
  const updates: string[] = [];
  const { supergraphSdl, cleanup } = await source.hook({
    update: (sdl) => updates.push(sdl),
    healthCheck: async () => {},
    getDataSource: () => {
      throw new Error('not used by the file source');
    },
  });
  if (cleanup) cleanups.push(cleanup);
  return { source, updates, supergraphSdl };
}

it('reloads when Kubernetes updates a mounted ConfigMap by swapping its ..data symlink', async () => {
  // The kubelet's layout: supergraph.graphql -> ..data/supergraph.graphql, ..data -> ..<version>.
  // An update writes a new version and renames a fresh ..data_tmp link over ..data: the file's own
  // name never changes, so only the swap is seen.
  const dir = mkdtempSync(join(tmpdir(), 'supergraph-configmap-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  writeVersion(dir, '..2026_12_07_10_00_00.1', 'type Query { first: Int }');
  symlinkSync('..2026_12_07_10_00_00.1', join(dir, '..data'));
  symlinkSync('..data/supergraph.graphql', join(dir, 'supergraph.graphql'));

  const { source, updates, supergraphSdl } = await startSource(join(dir, 'supergraph.graphql'));
  expect(supergraphSdl).toBe('type Query { first: Int }');
  const first = source.current()?.sha256;

  writeVersion(dir, '..2026_12_07_10_05_00.2', 'type Query { second: Int }');
  symlinkSync('..2026_12_07_10_05_00.2', join(dir, '..data_tmp'));
  renameSync(join(dir, '..data_tmp'), join(dir, '..data'));
  rmSync(join(dir, '..2026_12_07_10_00_00.1'), { recursive: true });

  await vi.waitFor(() => expect(updates).toEqual(['type Query { second: Int }']), { timeout: 10_000, interval: 50 });
  expect(source.current()?.sha256).not.toBe(first);
});
