import { isAbsolute, relative, sep } from 'node:path';

/**
 * A path as a person at `cwd` would type it: relative when the file is inside `cwd` (terminals and
 * editors turn `dir/file.graphql:12:3` into a link), absolute otherwise. Always with forward slashes,
 * so reports and generated files read the same on every platform.
 */
export function formatDisplayPath(path: string, cwd: string = process.cwd()): string {
  const relativePath = relative(cwd, path);
  const isInsideCwd = relativePath !== '' && !relativePath.startsWith('..') && !isAbsolute(relativePath);
  return (isInsideCwd ? relativePath : path).split(sep).join('/');
}
