import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatSchemaCheckReport } from '../src/index.js';
import { useSchemaCheckFixture } from './schema-check-fixture.js';

// How the report reads, accepted breaking changes, and a base that cannot be read (schema-check-fixture.ts).
const fixture = useSchemaCheckFixture();

describe('formatSchemaCheckReport', () => {
  it('names the field, its subgraph, the operation and its file:line:column, and says how to accept the change', async () => {
    const report = await fixture.checkProposedProducts('removed-used-field');

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
    const text = formatSchemaCheckReport(await fixture.checkProposedProducts('new-enum-value'));

    expect(text).toContain(
      "dangerous ENUM_VALUE_ADDED\n  coordinate: Availability.PREORDER\n  subgraph:   products\n  Enum value 'PREORDER' was added to enum 'Availability'\n  why:        Adding an enum value may break",
    );
    expect(text.trimEnd().split('\n').at(-1)).toBe('schema check passed: 1 dangerous change');
  });
});

describe('accepted breaking changes', () => {
  it('passes a breaking change listed with its type and path, reports it as accepted, and warns about entries that match nothing', async () => {
    const acceptedPath = join(fixture.workDir, 'accepted.yaml');
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

    const report = await fixture.checkProposedProducts('removed-field', { acceptedChangesPath: acceptedPath });

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
    const acceptedPath = join(fixture.workDir, 'accepted-other-type.yaml');
    await writeFile(
      acceptedPath,
      'accepted:\n  - type: FIELD_TYPE_CHANGED\n    path: Product.stock\n    reason: r\n    acceptedBy: J\n    date: 2026-02-01\n',
    );

    const report = await fixture.checkProposedProducts('removed-field', { acceptedChangesPath: acceptedPath });

    expect(report.verdict).toBe('fail');
    expect(report.changes[0]?.accepted).toBeNull();
  });
});

describe('the base', () => {
  it('only composes and validates operations when the base cannot be read, and says why', async () => {
    const report = await fixture.checkProposedProducts('removed-field', {
      base: { kind: 'git', refs: ['main'], path: join(fixture.workDir, 'supergraph.graphql'), isExplicit: false },
      cwd: fixture.workDir,
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
      fixture.checkProposedProducts('added-field', {
        proposed: { subgraph: 'reviews', schemaPath: join(fixture.dir, 'proposed/added-field.graphql') },
      }),
    ).rejects.toThrow('--subgraph: there is no subgraph named "reviews"; supergraph.yaml lists products, orders');
  });
});
