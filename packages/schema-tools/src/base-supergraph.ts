import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { relative, sep } from 'node:path';
import { promisify } from 'node:util';
import { formatDisplayPath } from './display-path.js';
import { describeFileError } from './supergraph-config.js';

const execFileAsync = promisify(execFile);

/** Where the supergraph a check compares against comes from. */
export type BaseSpec =
  /** The supergraph file as committed at a git ref; `refs` are tried in order (main, then origin/main). */
  { kind: 'git'; refs: readonly string[]; path: string; isExplicit: boolean } | { kind: 'file'; path: string };

/** The base supergraph, or why there is none. `label` names it in reports ("main:supergraph.graphql"). */
export type BaseSupergraph = { ok: true; sdl: string; label: string } | { ok: false; label: string; reason: string };

/** The default base: the committed supergraph.graphql on main (or origin/main, in a CI checkout). */
export function defaultBaseSpec(supergraphPath: string): BaseSpec {
  return { kind: 'git', refs: ['main', 'origin/main'], path: supergraphPath, isExplicit: false };
}

/** Reads the base supergraph. Never throws: a base that cannot be read is reported with the reason. */
export async function readBaseSupergraph(spec: BaseSpec, cwd: string = process.cwd()): Promise<BaseSupergraph> {
  if (spec.kind === 'file') {
    const label = formatDisplayPath(spec.path, cwd);
    try {
      return { ok: true, sdl: await readFile(spec.path, 'utf8'), label };
    } catch (error) {
      return { ok: false, label, reason: `cannot read ${label} (${describeFileError(error)})` };
    }
  }
  // `./` makes git resolve the path from cwd rather than from the repository root.
  const pathInRepo = `./${relative(cwd, spec.path).split(sep).join('/')}`;
  const problems: string[] = [];
  for (const ref of spec.refs) {
    const label = `${ref}:${formatDisplayPath(spec.path, cwd)}`;
    try {
      const { stdout } = await execFileAsync('git', ['show', `${ref}:${pathInRepo}`], { cwd, maxBuffer: 64 * 1024 * 1024 });
      return { ok: true, sdl: stdout, label };
    } catch (error) {
      problems.push(`${label}: ${describeGitError(error)}`);
    }
  }
  return { ok: false, label: `${spec.refs[0]}:${formatDisplayPath(spec.path, cwd)}`, reason: problems.join('; ') };
}

function describeGitError(error: unknown): string {
  const { code, stderr } = error as { code?: unknown; stderr?: string };
  if (code === 'ENOENT') return 'git is not installed';
  const firstLine = stderr
    ?.trim()
    .split('\n')[0]
    ?.replace(/^fatal: /, '');
  return firstLine || (error instanceof Error ? error.message : String(error));
}
