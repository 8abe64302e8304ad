import { describe, expect, it } from 'vitest';
import { parseAcceptedChanges } from '../src/index.js';

describe('parseAcceptedChanges', () => {
  it('reads the entries of a valid file', () => {
    const text =
      'accepted:\n  - type: FIELD_REMOVED\n    path: Product.sku\n    reason: Unused.\n    acceptedBy: Jane Doe\n    date: 2026-02-01\n';

    expect(parseAcceptedChanges(text, 'accepted.yaml')).toEqual([
      { type: 'FIELD_REMOVED', path: 'Product.sku', reason: 'Unused.', acceptedBy: 'Jane Doe', date: '2026-02-01' },
    ]);
  });

  it('accepts nothing from an empty list or an empty file', () => {
    expect(parseAcceptedChanges('accepted: []\n', 'accepted.yaml')).toEqual([]);
    expect(parseAcceptedChanges('# nothing yet\n', 'accepted.yaml')).toEqual([]);
  });

  it('names every problem with its entry and key', () => {
    const text = [
      'accepted:',
      '  - type: FIELD_REMOVD',
      '    path: Product.sku',
      '    acceptedBy: Jane Doe',
      '    date: 1 Feb 2026',
      '    ticket: 123',
      '  - just a string',
      '',
    ].join('\n');

    expect(() => parseAcceptedChanges(text, 'accepted.yaml')).toThrow(
      [
        'accepted.yaml: accepted[0].ticket is not a known key (expected: type, path, reason, acceptedBy, date)',
        'accepted.yaml: accepted[0].reason is missing',
        'accepted.yaml: accepted[0].type "FIELD_REMOVD" is not a graphql-inspector change type such as FIELD_REMOVED',
        'accepted.yaml: accepted[0].date must be written YYYY-MM-DD (got "1 Feb 2026")',
        'accepted.yaml: accepted[1] must be a mapping with type, path, reason, acceptedBy, date',
      ].join('\n'),
    );
  });

  it('rejects a file that is not a mapping with an accepted list', () => {
    expect(() => parseAcceptedChanges('- type: FIELD_REMOVED\n', 'accepted.yaml')).toThrow(
      'accepted.yaml: expected a mapping with one key, accepted (a list of changes)',
    );
    expect(() => parseAcceptedChanges('accepted: yes\n', 'accepted.yaml')).toThrow('accepted.yaml: accepted must be a list');
  });
});
