import { createHash } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { SupergraphSdlHook } from '@apollo/gateway';
import type { Logger } from '@supergraph/server-kit/telemetry';
import type { RouterMetrics } from './metrics.js';

/** What the router is serving now: shown on /ready so operators can tell which supergraph is live. */
export interface LoadedSupergraph {
  sha256: string;
  loadedAt: Date;
}

const RELOAD_DEBOUNCE_MS = 100;
/**
 * Kubernetes updates a mounted ConfigMap by renaming a new `..data` symlink over the old one; the
 * file's own name (a symlink through `..data`) sees no event of its own.
 */
const CONFIGMAP_DATA_LINK = '..data';

/**
 * Serves the composed supergraph from a file and hot-swaps it when the file changes: `npm run
 * compose` (or a deploy) rewrites it and the gateway picks it up without a restart. A file that
 * fails to load is logged and the previous supergraph keeps serving. The directory is watched,
 * not the file, because editors and atomic writers (the kubelet's, for a ConfigMap) replace files by
 * renaming. With `metrics`, the served supergraph's hash and every reload, served or not, are recorded.
 */
export function createSupergraphFileSource(
  path: string,
  logger: Logger,
  metrics?: Pick<RouterMetrics, 'showServedSupergraph' | 'countFailedReload'>,
) {
  let current: LoadedSupergraph | null = null;
  let watcher: FSWatcher | null = null;

  const load = async () => {
    const sdl = await readFile(path, 'utf8');
    return { sdl, sha256: createHash('sha256').update(sdl).digest('hex') };
  };

  const hook: SupergraphSdlHook = async ({ update }) => {
    const initial = await load().catch((error: NodeJS.ErrnoException) => {
      throw new Error(`cannot read the supergraph at ${path} (${error.code ?? error.message}); run npm run compose`);
    });
    current = { sha256: initial.sha256, loadedAt: new Date() };
    metrics?.showServedSupergraph(initial.sha256, { isReload: false });
    let timer: NodeJS.Timeout | undefined;
    const reload = async () => {
      try {
        const next = await load();
        if (next.sha256 === current?.sha256) return;
        update(next.sdl);
        current = { sha256: next.sha256, loadedAt: new Date() };
        metrics?.showServedSupergraph(next.sha256, { isReload: true });
        logger.info({ supergraph: current, path }, 'supergraph reloaded');
      } catch (error) {
        metrics?.countFailedReload();
        logger.error({ err: error, path }, 'supergraph file changed but could not be loaded; still serving the previous one');
      }
    };
    watcher = watch(dirname(path), (_event, filename) => {
      if (filename !== basename(path) && filename !== CONFIGMAP_DATA_LINK) return;
      clearTimeout(timer);
      timer = setTimeout(() => void reload(), RELOAD_DEBOUNCE_MS);
    });
    return {
      supergraphSdl: initial.sdl,
      cleanup: async () => {
        clearTimeout(timer);
        watcher?.close();
      },
    };
  };

  return { hook, current: () => current };
}
