import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeSupergraph, formatSchemaCheckReport, runSchemaCheck, type SchemaCheckOptions } from '../src/index.js';

// A base (products + orders) and, in proposed/, one changed products schema per kind of change.
const fixture = fileURLToPath(new URL('./fixtures/schema-check/', import.meta.url));

let workDir: string;
let baseFile: string;
beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'schema-check-'));
  const base = await composeSupergraph(join(fixture, 'supergraph.yaml'));
  if (!base.ok) throw new Error('the base fixture must compose');
  baseFile = join(workDir, 'base.graphql');
  await writeFile(baseFile, base.supergraphSdl);
});
afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

function checkProposedProducts(kind: string, overrides: Partial<SchemaCheckOptions> = {}) {
  return runSchemaCheck({
    configPath: join(fixture, 'supergraph.yaml'),
    base: { kind: 'file', path: baseFile },
    operationsDirectory: join(fixture, 'operations'),
    acceptedChangesPath: join(fixture, 'accepted.yaml'),
    proposed: { subgraph: 'products', schemaPath: join(fixture, `proposed/${kind}.graphql`) },
    cwd: fixture,
    ...overrides,
  });
}

describe('runSchemaCheck, one kind of change at a time', () => {
  it.each([
    [
      'removed-field',
      'fail',
      'FIELD_REMOVED',
      'BREAKING',
      'Product.stock',
      'Product.stock',
      "Field 'stock' was removed from object type 'Product'",
    ],
    [
      'changed-field-type',
      'fail',
      'FIELD_TYPE_CHANGED',
      'BREAKING',
      'Product.stock',
      'Product.stock',
      "Field 'Product.stock' changed type from 'Int!' to 'String!'",
    ],
    [
      'new-required-argument',
      'fail',
      'FIELD_ARGUMENT_ADDED',
      'BREAKING',
      'Query.products.category',
      'Query.products(category:)',
      "Argument 'category: ID!' added to field 'Query.products'",
    ],
    [
      'removed-enum-value',
      'fail',
      'ENUM_VALUE_REMOVED',
      'BREAKING',
      'Availability.DISCONTINUED',
      'Availability.DISCONTINUED',
      "Enum value 'DISCONTINUED' was removed from enum 'Availability'",
    ],
    [
      'new-enum-value',
      'pass',
      'ENUM_VALUE_ADDED',
      'DANGEROUS',
      'Availability.PREORDER',
      'Availability.PREORDER',
      "Enum value 'PREORDER' was added to enum 'Availability'",
    ],
    [
      'new-optional-argument',
      'pass',
      'FIELD_ARGUMENT_ADDED',
      'DANGEROUS',
      'Query.products.after',
      'Query.products(after:)',
      "Argument 'after: String' added to field 'Query.products'",
    ],
    [
      'added-field',
      'pass',
      'FIELD_ADDED',
      'NON_BREAKING',
      'Product.description',
      'Product.description',
      "Field 'description' was added to object type 'Product'",
    ],
  ])('%s: %s with one %s change (%s) at %s', async (kind, verdict, type, criticality, path, coordinate, message) => {
    const report = await checkProposedProducts(kind);

    expect(report.verdict).toBe(verdict);
    expect(report.changes).toEqual([
      expect.objectContaining({
        type,
        criticality,
        path,
        coordinate,
        message,
        subgraphs: ['products'],
        accepted: null,
        usedBy: [],
      }),
    ]);
    expect(report.operations).toEqual({
      isChecked: true,
      files: ['operations/OrderLines.graphql', 'operations/ProductPage.graphql'],
      errors: [],
    });
  });

  it('passes with no changes when the proposed schema is the current one', async () => {
    const report = await runSchemaCheck({
      configPath: join(fixture, 'supergraph.yaml'),
      base: { kind: 'file', path: baseFile },
      operationsDirectory: join(fixture, 'operations'),
      acceptedChangesPath: join(fixture, 'accepted.yaml'),
      cwd: fixture,
    });

    expect(report).toMatchObject({
      verdict: 'pass',
      changes: [],
      base: { label: expect.stringMatching(/base\.graphql$/), isCompared: true },
    });
    expect(report.summary).toEqual({
      compositionErrors: 0,
      breaking: 0,
      acceptedBreaking: 0,
      dangerous: 0,
      nonBreaking: 0,
      operationErrors: 0,
      staleAcceptances: 0,
    });
  });

  it('fails a composition error with the subgraphs, coordinate and location, and skips the other checks', async () => {
    const report = await checkProposedProducts('composition-failure');

    expect(report.verdict).toBe('fail');
    expect(report.composition.ok).toBe(false);
    expect(report.composition.errors).toEqual([
      expect.objectContaining({
        code: 'INVALID_FIELD_SHARING',
        subgraphs: ['products', 'orders'],
        coordinate: 'OrderItem.quantity',
        locations: [
          { subgraph: 'orders', file: 'orders.graphql', line: 13, column: 3 },
          { subgraph: 'products', file: 'proposed/composition-failure.graphql', line: 17, column: 3 },
        ],
      }),
    ]);
    expect(report.base.isCompared).toBe(false);
    expect(report.operations.isChecked).toBe(false);
    expect(formatSchemaCheckReport(report)).toContain(
      'composition: failed\n\nerror INVALID_FIELD_SHARING\n  subgraphs:  products, orders\n  coordinate: OrderItem.quantity\n' +
        '  location:   orders.graphql:13:3 (orders)\n  location:   proposed/composition-failure.graphql:17:3 (products)\n',
    );
  });

  it('reports an operation that uses a removed field with its file, line, column, operation and field', async () => {
    const report = await checkProposedProducts('removed-used-field');

    const use = { file: 'operations/ProductPage.graphql', line: 6, column: 5, operation: 'ProductPage' };
    expect(report.operations.errors).toEqual([
      { ...use, definition: 'query', coordinate: 'Product.sku', message: 'Cannot query field "sku" on type "Product".' },
    ]);
    expect(report.changes).toEqual([
      expect.objectContaining({ type: 'FIELD_REMOVED', coordinate: 'Product.sku', usedBy: [use] }),
    ]);
    expect(report.summary).toMatchObject({ breaking: 1, operationErrors: 1 });
  });
});

describe('formatSchemaCheckReport', () => {
  it('names the field, its subgraph, the operation and its file:line:column, and says how to accept the change', async () => {
    const report = await checkProposedProducts('removed-used-field');

    expect(formatSchemaCheckReport(report)).toBe(
      [
        `schema check: products as proposed in proposed/removed-used-field.graphql, with the other subgraphs from the working tree, against ${report.base.label}`,
        '',
        'composition: ok (2 subgraphs: products, orders)',
        '',
        'changes: 1 breaking',
        '',
        'breaking FIELD_REMOVED',
        '  coordinate: Product.sku',
        '  subgraph:   products',
        "  Field 'sku' was removed from object type 'Product'",
        '  used by:    ProductPage (operations/ProductPage.graphql:6:5)',
        '  to accept:  add to accepted.yaml, under accepted:',
        '                - type: FIELD_REMOVED',
        '                  path: Product.sku',
        '                  reason: <why clients can live with it>',
        '                  acceptedBy: <your name>',
        '                  date: <YYYY-MM-DD>',
        '',
        'operations: 1 error in 2 files',
        '',
        'error operations/ProductPage.graphql:6:5',
        '  operation:  ProductPage',
        '  coordinate: Product.sku',
        '  Cannot query field "sku" on type "Product".',
        '',
        'schema check failed: 1 breaking change, 1 operation error',
        '',
      ].join('\n'),
    );
  });

  it('explains why a dangerous change is flagged, and passes', async () => {
    const text = formatSchemaCheckReport(await checkProposedProducts('new-enum-value'));

    expect(text).toContain(
      "dangerous ENUM_VALUE_ADDED\n  coordinate: Availability.PREORDER\n  subgraph:   products\n  Enum value 'PREORDER' was added to enum 'Availability'\n  why:        Adding an enum value may break",
    );
    expect(text.trimEnd().split('\n').at(-1)).toBe('schema check passed: 1 dangerous change');
  });
});

describe('accepted breaking changes', () => {
  it('passes a breaking change listed with its type and path, reports it as accepted, and warns about entries that match nothing', async () => {
    const acceptedPath = join(workDir, 'accepted.yaml');
    await writeFile(
      acceptedPath,
      [
        'accepted:',
        '  - type: FIELD_REMOVED',
        '    path: Product.stock',
        '    reason: Stock moved to the inventory subgraph; no client reads it since 3.2.',
        '    acceptedBy: Jane Doe',
        '    date: 2026-02-01',
        '  - type: ENUM_VALUE_REMOVED',
        '    path: Availability.BACKORDER',
        '    reason: Never shipped.',
        '    acceptedBy: Jane Doe',
        '    date: 2026-02-01',
        '',
      ].join('\n'),
    );

    const report = await checkProposedProducts('removed-field', { acceptedChangesPath: acceptedPath });

    expect(report.verdict).toBe('pass');
    expect(report.changes).toEqual([
      expect.objectContaining({
        type: 'FIELD_REMOVED',
        path: 'Product.stock',
        accepted: {
          reason: 'Stock moved to the inventory subgraph; no client reads it since 3.2.',
          acceptedBy: 'Jane Doe',
          date: '2026-02-01',
        },
      }),
    ]);
    expect(report.acceptedChanges.stale).toEqual([
      expect.objectContaining({ type: 'ENUM_VALUE_REMOVED', path: 'Availability.BACKORDER' }),
    ]);
    expect(report.summary).toMatchObject({ breaking: 0, acceptedBreaking: 1, staleAcceptances: 1 });
    const text = formatSchemaCheckReport(report);
    expect(text).toContain(
      'breaking FIELD_REMOVED (accepted)\n  coordinate: Product.stock\n  subgraph:   products\n' +
        "  Field 'stock' was removed from object type 'Product'\n" +
        '  accepted:   by Jane Doe on 2026-02-01: Stock moved to the inventory subgraph; no client reads it since 3.2.\n',
    );
    expect(text).toContain(`warning ${acceptedPath} accepts ENUM_VALUE_REMOVED Availability.BACKORDER, which matches no change`);
    expect(text.trimEnd().split('\n').at(-1)).toBe('schema check passed: 1 accepted breaking change, 1 stale acceptance');
  });

  it('does not accept a change whose type differs from the entry', async () => {
    const acceptedPath = join(workDir, 'accepted-other-type.yaml');
    await writeFile(
      acceptedPath,
      'accepted:\n  - type: FIELD_TYPE_CHANGED\n    path: Product.stock\n    reason: r\n    acceptedBy: J\n    date: 2026-02-01\n',
    );

    const report = await checkProposedProducts('removed-field', { acceptedChangesPath: acceptedPath });

    expect(report.verdict).toBe('fail');
    expect(report.changes[0]?.accepted).toBeNull();
  });
});

describe('the base', () => {
  it('only composes and validates operations when the base cannot be read, and says why', async () => {
    const report = await checkProposedProducts('removed-field', {
      base: { kind: 'git', refs: ['main'], path: join(workDir, 'supergraph.graphql'), isExplicit: false },
      cwd: workDir,
    });

    expect(report.verdict).toBe('pass');
    expect(report.base).toEqual({
      label: 'main:supergraph.graphql',
      isCompared: false,
      unavailableReason: expect.stringContaining('main:supergraph.graphql'),
    });
    expect(report.operations.isChecked).toBe(true);
    expect(formatSchemaCheckReport(report)).toContain('changes: not compared, the base cannot be read (');
  });

  it('refuses an unknown subgraph, listing the known ones', async () => {
    await expect(
      checkProposedProducts('added-field', {
        proposed: { subgraph: 'reviews', schemaPath: join(fixture, 'proposed/added-field.graphql') },
      }),
    ).rejects.toThrow('--subgraph: there is no subgraph named "reviews"; supergraph.yaml lists products, orders');
  });
});
