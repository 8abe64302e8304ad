import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatSchemaCheckReport, runSchemaCheck } from '../src/index.js';
import { useSchemaCheckFixture } from './schema-check-fixture.js';

// A base (products + orders) and one changed products schema per kind of change (schema-check-fixture.ts).
const fixture = useSchemaCheckFixture();

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
  ] as const)('%s: %s with one %s change (%s) at %s', async (kind, verdict, type, criticality, path, coordinate, message) => {
    const report = await fixture.checkProposedProducts(kind);

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
      configPath: join(fixture.dir, 'supergraph.yaml'),
      base: { kind: 'file', path: fixture.baseFile },
      operationsDirectory: join(fixture.dir, 'operations'),
      acceptedChangesPath: join(fixture.dir, 'accepted.yaml'),
      cwd: fixture.dir,
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
    const report = await fixture.checkProposedProducts('composition-failure');

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
    const report = await fixture.checkProposedProducts('removed-used-field');

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
