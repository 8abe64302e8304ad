import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';

export interface WatchFilesOptions {
  /** Quiet period after the last change before `onChange` runs, in milliseconds. Default: 100. */
  debounceMs?: number;
}

export interface FileWatcher {
  /** Replaces the set of watched files (after an edit, the config may list other schema files). */
  setFiles(files: readonly string[]): void;
  close(): void;
}

/**
 * Calls `onChange` once a burst of changes to any of the given files has settled (an editor's save
 * is often several events). Watches the containing directories and filters by file name, because
 * editors that save by writing a new file and renaming it over the old one replace the inode, which
 * a watch on the file itself would stop following after the first save.
 */
export function watchFiles(onChange: () => void, options: WatchFilesOptions = {}): FileWatcher {
  const debounceMs = options.debounceMs ?? 100;
  const directories = new Map<string, { watcher: FSWatcher; names: Set<string> }>();
  let timer: NodeJS.Timeout | undefined;

  const scheduleChange = (): void => {
    clearTimeout(timer);
    timer = setTimeout(onChange, debounceMs);
  };

  const stopWatching = (directory: string): void => {
    directories.get(directory)?.watcher.close();
    directories.delete(directory);
  };

  return {
    setFiles(files) {
      const wanted = new Map<string, Set<string>>();
      for (const file of files) {
        const absolutePath = resolve(file);
        const names = wanted.get(dirname(absolutePath)) ?? new Set<string>();
        names.add(basename(absolutePath));
        wanted.set(dirname(absolutePath), names);
      }
      for (const directory of directories.keys()) {
        if (!wanted.has(directory)) stopWatching(directory);
      }
      for (const [directory, names] of wanted) {
        const existing = directories.get(directory);
        if (existing) {
          existing.names = names;
          continue;
        }
        let watcher: FSWatcher;
        try {
          watcher = watch(directory, (_event, filename) => {
            // Some platforms do not report the name; a spurious recompose is harmless.
            if (filename === null || directories.get(directory)?.names.has(filename.toString())) scheduleChange();
          });
        } catch {
          // A directory that does not exist cannot be watched. Composition already reports the
          // unreadable file, and fixing the config (which is always watched) re-runs setFiles.
          continue;
        }
        // The directory itself was removed: nothing left to watch there.
        watcher.on('error', () => stopWatching(directory));
        directories.set(directory, { watcher, names });
      }
    },
    close() {
      clearTimeout(timer);
      for (const directory of [...directories.keys()]) stopWatching(directory);
    },
  };
}
