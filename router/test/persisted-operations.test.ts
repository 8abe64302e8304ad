import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { REPO_ROOT } from '@supergraph/server-kit/settings';
import { describe, expect, it } from 'vitest';
import { parseRouterSettings } from '../src/env.js';
import { parsePersistedOperationsManifest } from '../src/persisted-operations-manifest.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const categories = 'query Categories { categories { id name } }';
const manifestJson = JSON.stringify({ [sha256(categories)]: categories });

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

  it('refuses a manifest whose text does not hash to its key, naming the entry', () => {
    const tampered = JSON.stringify({ [sha256(categories)]: '{ users { email } }' });

    expect(() => parsePersistedOperationsManifest(tampered, 'manifest.json')).toThrow(
      `manifest.json: the operation under ${sha256(categories)} does not hash to it; regenerate it with npm run codegen`,
    );
  });

  it('refuses a file that is not a JSON object of texts by hex sha256', () => {
    expect(() => parsePersistedOperationsManifest('[]', 'manifest.json')).toThrow('manifest.json must be a JSON object');
    expect(() => parsePersistedOperationsManifest('{"sha256:abc": "{ a }"}', 'manifest.json')).toThrow(
      'manifest.json: "sha256:abc" must be a lowercase hex sha256 mapped to an operation text',
    );
    expect(() => parsePersistedOperationsManifest('{', 'manifest.json')).toThrow('manifest.json is not valid JSON');
  });
});

describe('PERSISTED_OPERATIONS settings', () => {
  it('are off by default, with the manifest codegen writes', () => {
    expect(parseRouterSettings({}).persistedOperations).toEqual({
      mode: 'off',
      manifestPath: join(REPO_ROOT, 'operations/__generated__/persisted-documents.json'),
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
