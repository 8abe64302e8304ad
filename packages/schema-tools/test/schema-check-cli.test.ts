import { execFile, spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { composeSupergraph, renderSupergraphFile } from '../src/index.js';
import { BASE_FIXTURE as fixture, readProposedProducts } from './schema-check-fixture.js';

// The check runs as CI runs it: a separate Node process with tsx, in a git repository whose main
// branch has the committed supergraph.graphql.
const cliPath = fileURLToPath(new URL('../src/schema-check-cli.ts', import.meta.url));
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const execFileAsync = promisify(execFile);

let repo: string;

beforeEach(async () => {
  repo = await mkdtemp(join(tmpdir(), 'schema-check-cli-'));
  for (const entry of ['supergraph.yaml', 'products.graphql', 'orders.graphql', 'operations']) {
    await cp(join(fixture, entry), join(repo, entry), { recursive: true });
  }
  await writeCommittedSupergraph();
});

afterEach(async () => {
  await rm(repo, { recursive: true, force: true });
});

async function writeCommittedSupergraph(): Promise<void> {
  const result = await composeSupergraph(join(repo, 'supergraph.yaml'));
  if (!result.ok) throw new Error('the fixture must compose');
  const paths = { configPath: join(repo, 'supergraph.yaml'), outPath: join(repo, 'supergraph.graphql') };
  await writeFile(paths.outPath, renderSupergraphFile(result.supergraphSdl, paths));
}

async function commitToMain(): Promise<void> {
  const git = (...args: string[]) =>
    execFileAsync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args], { cwd: repo });
  await git('init', '--quiet', '--initial-branch=main');
  await git('add', '.');
  await git('commit', '--quiet', '-m', 'base');
}

async function editProducts(edit: (sdl: string) => string): Promise<void> {
  const path = join(repo, 'products.graphql');
  await writeFile(path, edit(await readFile(path, 'utf8')));
}

function runSchemaCheck(args: string[]): Promise<{ exitCode: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', tsxLoader, cliPath, ...args], {
      cwd: repo,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (exitCode) => resolve({ exitCode, stdout, stderr }));
  });
}

describe('npm run schema:check', () => {
  it('passes on a clean checkout of main', async () => {
    await commitToMain();

    const { exitCode, stdout, stderr } = await runSchemaCheck([]);

    expect({ exitCode, stderr }).toEqual({ exitCode: 0, stderr: '' });
    expect(stdout).toBe(
      [
        'schema check: the working tree against main:supergraph.graphql',
        '',
        'composition: ok (2 subgraphs: products, orders)',
        '',
        'changes: none',
        '',
        'operations: 2 files, all valid',
        '',
        'schema check passed',
        '',
      ].join('\n'),
    );
  });

  it('fails when a field an operation uses is removed, naming the field, its subgraph, the operation and the file', async () => {
    await commitToMain();
    await editProducts((sdl) => sdl.replace('  sku: String!\n', ''));

    const { exitCode, stdout } = await runSchemaCheck([]);

    expect(exitCode).toBe(1);
    expect(stdout).toContain(
      "breaking FIELD_REMOVED\n  coordinate: Product.sku\n  subgraph:   products\n  Field 'sku' was removed from object type 'Product'\n",
    );
    expect(stdout).toContain('  used by:    ProductPage (operations/ProductPage.graphql:6:5)\n');
    expect(stdout).toContain(
      'error operations/ProductPage.graphql:6:5\n  operation:  ProductPage\n  coordinate: Product.sku\n  Cannot query field "sku" on type "Product".',
    );
    expect(stdout.trimEnd().split('\n').at(-1)).toBe('schema check failed: 1 breaking change, 1 operation error');
  });

  it('prints a machine-readable report with --json', async () => {
    await commitToMain();
    await editProducts((sdl) => sdl.replace('  sku: String!\n', '').replace('  DISCONTINUED\n', '  DISCONTINUED\n  PREORDER\n'));

    const { exitCode, stdout } = await runSchemaCheck(['--json']);

    expect(exitCode).toBe(1);
    const report = JSON.parse(stdout) as Record<string, unknown>;
    expect(report).toEqual({
      verdict: 'fail',
      base: { label: 'main:supergraph.graphql', isCompared: true },
      proposed: null,
      composition: { ok: true, subgraphs: ['products', 'orders'], errors: [], hints: [] },
      changes: [
        {
          type: 'FIELD_REMOVED',
          criticality: 'BREAKING',
          path: 'Product.sku',
          coordinate: 'Product.sku',
          message: "Field 'sku' was removed from object type 'Product'",
          reason: expect.stringContaining('Removing a field is a breaking change'),
          subgraphs: ['products'],
          accepted: null,
          usedBy: [{ file: 'operations/ProductPage.graphql', line: 6, column: 5, operation: 'ProductPage' }],
        },
        expect.objectContaining({
          type: 'ENUM_VALUE_ADDED',
          criticality: 'DANGEROUS',
          path: 'Availability.PREORDER',
          accepted: null,
        }),
      ],
      operations: {
        isChecked: true,
        files: ['operations/OrderLines.graphql', 'operations/ProductPage.graphql'],
        errors: [
          {
            file: 'operations/ProductPage.graphql',
            line: 6,
            column: 5,
            operation: 'ProductPage',
            definition: 'query',
            coordinate: 'Product.sku',
            message: 'Cannot query field "sku" on type "Product".',
          },
        ],
      },
      acceptedChanges: { file: 'schema-changes/accepted.yaml', stale: [] },
      summary: {
        compositionErrors: 0,
        breaking: 1,
        acceptedBreaking: 0,
        dangerous: 1,
        nonBreaking: 0,
        operationErrors: 1,
        staleAcceptances: 0,
      },
    });
  });

  it('passes a breaking change accepted in schema-changes/accepted.yaml and reports it as accepted', async () => {
    await commitToMain();
    await editProducts((sdl) => sdl.replace('  stock: Int!\n', ''));
    await mkdir(join(repo, 'schema-changes'));
    await writeFile(
      join(repo, 'schema-changes/accepted.yaml'),
      'accepted:\n  - type: FIELD_REMOVED\n    path: Product.stock\n    reason: Moved to inventory.\n    acceptedBy: Jane Doe\n    date: 2026-02-01\n',
    );

    const { exitCode, stdout } = await runSchemaCheck([]);

    expect(exitCode).toBe(0);
    expect(stdout).toContain('breaking FIELD_REMOVED (accepted)\n  coordinate: Product.stock\n');
    expect(stdout).toContain('  accepted:   by Jane Doe on 2026-02-01: Moved to inventory.\n');
    expect(stdout.trimEnd().split('\n').at(-1)).toBe('schema check passed: 1 accepted breaking change');
  });

  it('fails on a composition error, naming the subgraphs, the coordinate and the file', async () => {
    await commitToMain();
    await editProducts((sdl) => `${sdl}\ntype OrderItem {\n  quantity: Int!\n}\n`);

    const { exitCode, stdout } = await runSchemaCheck([]);

    expect(exitCode).toBe(1);
    expect(stdout).toContain(
      'composition: failed\n\nerror INVALID_FIELD_SHARING\n  subgraphs:  products, orders\n  coordinate: OrderItem.quantity\n',
    );
    expect(stdout).toContain('  location:   products.graphql:23:3 (products)\n');
    expect(stdout.trimEnd().split('\n').at(-1)).toBe('schema check failed: 1 composition error');
  });

  it('without a base to compare with (not a git repository), composes and validates operations and says so', async () => {
    const { exitCode, stdout } = await runSchemaCheck([]);

    expect(exitCode).toBe(0);
    expect(stdout).toContain('changes: not compared, the base cannot be read (main:supergraph.graphql: not a git repository');
    expect(stdout).toContain('operations: 2 files, all valid');
  });

  it('compares with --base-file, and refuses a --base ref that does not exist with exit code 2', async () => {
    await commitToMain();
    await writeFile(join(repo, 'old.graphql'), await readFile(join(repo, 'supergraph.graphql'), 'utf8'));
    await editProducts((sdl) => sdl.replace('  stock: Int!\n', ''));

    const fromFile = await runSchemaCheck(['--base-file', 'old.graphql']);
    expect(fromFile.exitCode).toBe(1);
    expect(fromFile.stdout).toContain('schema check: the working tree against old.graphql\n');

    const missing = await runSchemaCheck(['--base', 'release-1']);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toMatch(/^schema:check: --base: release-1:supergraph\.graphql: invalid object name 'release-1'/);
  });
});

describe('npm run schema:check -- --subgraph <name> --schema <file>', () => {
  it('checks a proposed subgraph schema against the others, leaving the working tree alone', async () => {
    await commitToMain();
    await writeFile(join(repo, 'proposed.graphql'), await readProposedProducts('removed-enum-value'));

    const { exitCode, stdout } = await runSchemaCheck(['--subgraph', 'products', '--schema', 'proposed.graphql']);

    expect(exitCode).toBe(1);
    expect(stdout).toContain(
      'schema check: products as proposed in proposed.graphql, with the other subgraphs from the working tree, against main:supergraph.graphql\n',
    );
    expect(stdout).toContain('breaking ENUM_VALUE_REMOVED\n  coordinate: Availability.DISCONTINUED\n  subgraph:   products\n');
  });

  it('passes a proposed schema with only dangerous changes', async () => {
    await commitToMain();
    await writeFile(join(repo, 'proposed.graphql'), await readProposedProducts('new-optional-argument'));

    const { exitCode, stdout } = await runSchemaCheck(['--subgraph', 'products', '--schema', 'proposed.graphql', '--json']);

    expect(exitCode).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({
      verdict: 'pass',
      proposed: { subgraph: 'products', schemaFile: 'proposed.graphql' },
      changes: [{ type: 'FIELD_ARGUMENT_ADDED', criticality: 'DANGEROUS', coordinate: 'Query.products(after:)' }],
    });
  });

  it('refuses an unknown subgraph with exit code 2, listing the known ones', async () => {
    await commitToMain();

    const { exitCode, stdout, stderr } = await runSchemaCheck(['--subgraph', 'reviews', '--schema', 'products.graphql']);

    expect({ exitCode, stdout }).toEqual({ exitCode: 2, stdout: '' });
    expect(stderr).toBe(
      'schema:check: --subgraph: there is no subgraph named "reviews"; supergraph.yaml lists products, orders\n',
    );
  });

  it('refuses --subgraph without --schema, and prints a JSON error with --json', async () => {
    const { exitCode, stdout } = await runSchemaCheck(['--subgraph', 'products', '--json']);

    expect(exitCode).toBe(2);
    expect(JSON.parse(stdout)).toEqual({
      verdict: 'error',
      error: '--subgraph and --schema go together: the subgraph to replace and the file with its proposed schema',
    });
  });
});
