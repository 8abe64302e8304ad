import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// The README is the map of server-kit: it must name every module under src/ on its subpath's rows,
// and every name each subpath exports, so a reader never has to open index.ts to find something.
const root = new URL('../', import.meta.url);
const readme = readFileSync(new URL('README.md', root), 'utf8');
const subpaths = readdirSync(new URL('src/', root), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

/** The README's module table as rows of [subpath, module, exports], the subpath carried down. */
function readModuleRows(): { subpath: string; module: string; text: string }[] {
  let subpath = '';
  return readme
    .split('\n')
    .filter((line) => /^\|\s*(`\/[a-z-]+`)?\s*\|\s*`[a-z-]+\.ts`/.test(line))
    .map((line) => {
      const [, subpathCell = '', moduleCell = '', text = ''] = line.split(/(?<!\\)\|/).map((cell) => cell.trim());
      if (subpathCell) subpath = subpathCell.replaceAll('`', '').slice(1);
      return { subpath, module: moduleCell.replaceAll('`', ''), text };
    });
}

/** The names `src/<subpath>/index.ts` exports, types included. */
function readExportedNames(subpath: string): string[] {
  const index = readFileSync(new URL(`src/${subpath}/index.ts`, root), 'utf8');
  return [...index.matchAll(/export (?:type )?\{([^}]*)\}/g)].flatMap(([, names = '']) =>
    names
      .split(',')
      .map((name) => name.replace(/^\s*type\s+/, '').trim())
      .filter(Boolean),
  );
}

describe('the server-kit README', () => {
  const rows = readModuleRows();

  it.each(subpaths)('lists every module of /%s on its rows', (subpath) => {
    const modules = readdirSync(new URL(`src/${subpath}/`, root)).filter((file) => file !== 'index.ts');
    expect(
      rows
        .filter((row) => row.subpath === subpath)
        .map((row) => row.module)
        .sort(),
    ).toEqual(modules.sort());
  });

  it.each(subpaths)('names every export of /%s', (subpath) => {
    const text = rows
      .filter((row) => row.subpath === subpath)
      .map((row) => row.text)
      .join(' ');
    expect(readExportedNames(subpath).filter((name) => !text.includes(`\`${name}\``))).toEqual([]);
  });
});
