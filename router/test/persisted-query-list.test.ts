import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '@supergraph/server-kit/settings';
import { describe, expect, it } from 'vitest';
import { post, startRouter } from './router-harness.js';

// The persisted query list in every mode: a client's persisted-query link sends a listed id alone,
// and a router that has the list runs it, enforcing the list or not.

const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'operations/__generated__/persisted-query-manifest.json'), 'utf8')) as {
  operations: { id: string; name: string }[];
};
const byId = (name: string) => ({
  operationName: name,
  variables: {},
  extensions: {
    persistedQuery: { version: 1, sha256Hash: manifest.operations.find((operation) => operation.name === name)!.id },
  },
});

describe('the persisted query list', () => {
  it('serves a listed id without the safelist, so Apollo Client needs no first round trip to register it', async () => {
    const url = await startRouter();

    // Categories reaches products, which is not running here: the router ran the listed body.
    const response = await post(url, byId('Categories'));
    const body = (await response.json()) as { errors?: { extensions?: { code?: string; serviceName?: string } }[] };

    expect(response.status).toBe(200);
    expect(body.errors?.map((error) => error.extensions)).toEqual([
      expect.objectContaining({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'products' }),
    ]);
  });

  it('answers an unlisted id without the safelist with PERSISTED_QUERY_NOT_FOUND, for the client to send its text', async () => {
    const url = await startRouter();

    const response = await post(url, { extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } } });
    const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };

    expect(body.errors?.map((error) => error.extensions?.code)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
  });
});
