import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '@supergraph/server-kit/settings';
import { describe, expect, it } from 'vitest';
import { parseRouterSettings } from '../src/env.js';
import { loadPersistedOperationsManifest, parsePersistedOperationsManifest } from '../src/persisted-operations-manifest.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const categories = 'query Categories { categories { id name } }';
/** A manifest in Apollo's persisted query list format, as @apollo/generate-persisted-query-manifest writes it. */
const manifestOf = (operations: { id: string; name: string; type?: string; body: string }[]) =>
  JSON.stringify({
    format: 'apollo-persisted-query-manifest',
    version: 1,
    operations: operations.map((operation) => ({ type: 'query', ...operation })),
  });
const manifestJson = manifestOf([{ id: sha256(categories), name: 'Categories', body: categories }]);

describe('parsePersistedOperationsManifest', () => {
  it('finds a listed operation by its hash, and by its text', () => {
    const manifest = parsePersistedOperationsManifest(manifestJson, 'manifest.json');

    expect(manifest.size).toBe(1);
    expect(manifest.findByHash(sha256(categories))).toBe(categories);
    expect(manifest.findByHash(sha256('{ categories { id } }'))).toBeUndefined();
    expect(manifest.isListedText(categories)).toBe(true);
  });

  it('lists a text that differs only in whitespace, commas and comments, but not one with other fields or another order', () => {
    const manifest = parsePersistedOperationsManifest(manifestJson, 'manifest.json');

    expect(manifest.isListedText('# menu\nquery Categories {\n  categories {\n    id,\n    name\n  }\n}\n')).toBe(true);
    expect(manifest.isListedText('query Categories { categories { name id } }')).toBe(false);
    expect(manifest.isListedText('query Categories { categories { id name slug } }')).toBe(false);
    expect(manifest.isListedText('query Categories { categories { id name } ')).toBe(false);
    expect(manifest.isListedText('"unterminated')).toBe(false);
  });

  it('lists a text whose operation and fragments come in another order (Apollo sorts them; a client prints them as written)', () => {
    const body = 'fragment A on Category { id }\n\nfragment B on Category { name }\n\nquery Menu { categories { ...B ...A } }';
    const manifest = parsePersistedOperationsManifest(manifestOf([{ id: sha256(body), name: 'Menu', body }]), 'manifest.json');

    expect(
      manifest.isListedText(
        'query Menu { categories { ...B ...A } } fragment B on Category { name } fragment A on Category { id }',
      ),
    ).toBe(true);
    expect(
      manifest.isListedText(
        'query Menu { categories { ...A ...B } } fragment B on Category { name } fragment A on Category { id }',
      ),
    ).toBe(false);
  });

  it('refuses a manifest whose body does not hash to its id, naming the operation', () => {
    const tampered = manifestOf([{ id: sha256(categories), name: 'Categories', body: '{ users { email } }' }]);

    expect(() => parsePersistedOperationsManifest(tampered, 'manifest.json')).toThrow(
      `manifest.json: the body of Categories does not hash to its id ${sha256(categories)}; regenerate it with npm run codegen`,
    );
  });

  it('refuses a file that is not a persisted query manifest, naming what is wrong', () => {
    expect(() => parsePersistedOperationsManifest('{', 'manifest.json')).toThrow('manifest.json is not valid JSON');
    expect(() => parsePersistedOperationsManifest(JSON.stringify({ [sha256(categories)]: categories }), 'manifest.json')).toThrow(
      'manifest.json is not a persisted query manifest: format must be "apollo-persisted-query-manifest" (write it with npm run codegen); version must be 1; operations',
    );
    expect(() =>
      parsePersistedOperationsManifest(
        manifestOf([{ id: 'sha256:abc', name: 'Categories', type: 'fetch', body: categories }]),
        'manifest.json',
      ),
    ).toThrow(/operations\.0\.id must be the lowercase hex sha256 of the body; operations\.0\.type /);
  });

  it('reads the manifest npm run codegen writes: every reference operation, as Apollo Client sends it (__typename added)', async () => {
    const path = join(REPO_ROOT, 'operations/__generated__/persisted-query-manifest.json');
    const { operations } = JSON.parse(readFileSync(path, 'utf8')) as { operations: { id: string; name: string; body: string }[] };

    const manifest = await loadPersistedOperationsManifest(path);

    expect(manifest.size).toBe(operations.length);
    expect(operations.map((operation) => operation.name)).toContain('UserOrders');
    for (const { id, body } of operations) {
      expect(manifest.findByHash(id)).toBe(body);
      expect(body).toContain('__typename');
    }
  });
});

describe('PERSISTED_OPERATIONS settings', () => {
  it('are off by default, with the manifest codegen writes', () => {
    expect(parseRouterSettings({}).persistedOperations).toEqual({
      mode: 'off',
      manifestPath: join(REPO_ROOT, 'operations/__generated__/persisted-query-manifest.json'),
    });
  });

  it('turn the safelist on with a manifest path relative to the repository root', () => {
    const settings = parseRouterSettings({
      PERSISTED_OPERATIONS: 'safelist',
      PERSISTED_OPERATIONS_MANIFEST: 'deploy/manifest.json',
    });

    expect(settings.persistedOperations).toEqual({ mode: 'safelist', manifestPath: join(REPO_ROOT, 'deploy/manifest.json') });
  });

  it('name the variable when the mode is unknown', () => {
    expect(() => parseRouterSettings({ PERSISTED_OPERATIONS: 'on' })).toThrow(
      /PERSISTED_OPERATIONS: .*"off".*"safelist".* \(got "on"\)/,
    );
  });
});
