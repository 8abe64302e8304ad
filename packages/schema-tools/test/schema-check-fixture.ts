import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import { composeSupergraph, runSchemaCheck, type SchemaCheckOptions } from '../src/index.js';

/** The base fixture: products and orders subgraphs, their composition config and client operations. */
export const BASE_FIXTURE = fileURLToPath(new URL('./fixtures/schema-check/', import.meta.url));

/**
 * One proposed products schema per kind of change the check judges, each the base products schema
 * with that one edit, so every proposal differs from the base by exactly what its name says.
 */
const PROPOSED_PRODUCTS = {
  'added-field': (sdl: string) => sdl.replace('  stock: Int!\n', '  stock: Int!\n  description: String\n'),
  'changed-field-type': (sdl: string) => sdl.replace('  stock: Int!\n', '  stock: String!\n'),
  'composition-failure': (sdl: string) =>
    sdl.replace('enum Availability {', 'type OrderItem {\n  quantity: Int!\n}\n\nenum Availability {'),
  'new-enum-value': (sdl: string) => sdl.replace('  DISCONTINUED\n', '  DISCONTINUED\n  PREORDER\n'),
  'new-optional-argument': (sdl: string) => sdl.replace('products(first: Int = 20)', 'products(first: Int = 20, after: String)'),
  'new-required-argument': (sdl: string) => sdl.replace('products(first: Int = 20)', 'products(first: Int = 20, category: ID!)'),
  'removed-enum-value': (sdl: string) => sdl.replace('  DISCONTINUED\n', ''),
  'removed-field': (sdl: string) => sdl.replace('  stock: Int!\n', ''),
  'removed-used-field': (sdl: string) => sdl.replace('  sku: String!\n', ''),
} satisfies Record<string, (sdl: string) => string>;

export type ProposalKind = keyof typeof PROPOSED_PRODUCTS;

/** The proposed products schema of one kind of change. */
export async function readProposedProducts(kind: ProposalKind): Promise<string> {
  const base = await readFile(join(BASE_FIXTURE, 'products.graphql'), 'utf8');
  const proposed = PROPOSED_PRODUCTS[kind](base);
  if (proposed === base) throw new Error(`the ${kind} edit no longer matches the base products schema`);
  return proposed;
}

export interface SchemaCheckFixture {
  /** A copy of the base fixture with every proposal under `proposed/<kind>.graphql`. */
  dir: string;
  /** A scratch directory for the test's own files (accepted changes, bases). */
  workDir: string;
  /** The base fixture's composed supergraph: the base the check compares with. */
  baseFile: string;
  /** Runs the check with the proposed products schema of `kind` against the base. */
  checkProposedProducts(kind: ProposalKind, overrides?: Partial<SchemaCheckOptions>): ReturnType<typeof runSchemaCheck>;
}

/** The fixture for the calling test file: written before its first test, removed after its last. */
export function useSchemaCheckFixture(): SchemaCheckFixture {
  let workDir = '';
  const fixture: SchemaCheckFixture = {
    get dir() {
      return join(workDir, 'fixture');
    },
    get workDir() {
      return workDir;
    },
    get baseFile() {
      return join(workDir, 'base.graphql');
    },
    checkProposedProducts: (kind, overrides = {}) =>
      runSchemaCheck({
        configPath: join(fixture.dir, 'supergraph.yaml'),
        base: { kind: 'file', path: fixture.baseFile },
        operationsDirectory: join(fixture.dir, 'operations'),
        acceptedChangesPath: join(fixture.dir, 'accepted.yaml'),
        proposed: { subgraph: 'products', schemaPath: join(fixture.dir, `proposed/${kind}.graphql`) },
        cwd: fixture.dir,
        ...overrides,
      }),
  };
  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'schema-check-'));
    await cp(BASE_FIXTURE, fixture.dir, { recursive: true });
    await mkdir(join(fixture.dir, 'proposed'));
    for (const kind of Object.keys(PROPOSED_PRODUCTS) as ProposalKind[]) {
      await writeFile(join(fixture.dir, `proposed/${kind}.graphql`), await readProposedProducts(kind));
    }
    const base = await composeSupergraph(join(fixture.dir, 'supergraph.yaml'));
    if (!base.ok) throw new Error('the base fixture must compose');
    await writeFile(fixture.baseFile, base.supergraphSdl);
  });
  afterAll(async () => {
    await rm(workDir, { recursive: true, force: true });
  });
  return fixture;
}
