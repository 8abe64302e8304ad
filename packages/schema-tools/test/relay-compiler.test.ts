import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

// relay-compiler checks what Relay asks of a connection (first/after or last/before, edges with
// cursor and node, the whole PageInfo) against the API schema clients see. It is a prebuilt binary
// from the npm package, run offline in a scratch copy of the fixture project, where its artifacts go.
const relayBinary = createRequire(import.meta.url)('relay-compiler') as string | null;
const fixture = fileURLToPath(new URL('./fixtures/relay/', import.meta.url));
const apiSchema = () => readFile(new URL('../../../api-schema.graphql', import.meta.url), 'utf8');

let workDir: string;

beforeEach(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'relay-compiler-'));
  await cp(fixture, workDir, { recursive: true });
  await mkdir(join(workDir, '__generated__'));
});

afterEach(() => rm(workDir, { recursive: true, force: true }));

/** Runs relay-compiler over the fixture's operations against `schema`, in the scratch project. */
async function compileWith(schema: string): Promise<{ exitCode: number | null; output: string }> {
  if (!relayBinary) throw new Error(`relay-compiler ships no binary for ${process.platform} ${process.arch}`);
  await writeFile(join(workDir, 'schema.graphql'), schema);
  const child = spawn(relayBinary, [], { cwd: workDir, env: { ...process.env, NO_COLOR: '1' } });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  return { exitCode, output };
}

describe('relay-compiler against api-schema.graphql', () => {
  it('accepts @connection on products and on User.orders, paged forward and backward', async () => {
    const { exitCode, output } = await compileWith(await apiSchema());

    expect({ exitCode, output }).toMatchObject({ exitCode: 0, output: expect.stringContaining('Compilation completed') });
    expect((await readdir(join(workDir, '__generated__'))).sort()).toEqual([
      'CatalogBackwardQuery.graphql.js',
      'CatalogQuery.graphql.js',
      'UserOrdersBackwardQuery.graphql.js',
      'UserOrdersQuery.graphql.js',
    ]);
  });

  it('refuses a connection whose PageInfo lacks what Relay pages backward with', async () => {
    const schema = (await apiSchema()).replace(/^\s*hasPreviousPage: Boolean!\n/m, '');

    const { exitCode, output } = await compileWith(schema);

    expect(exitCode).not.toBe(0);
    expect(output).toContain("@connection used on invalid field 'products'");
    expect(output).toContain('hasPreviousPage');
  });
});
