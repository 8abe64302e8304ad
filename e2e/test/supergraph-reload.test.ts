import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeSubgraphSchemas, loadSupergraphConfig, readSubgraphSchemas } from '@supergraph/schema-tools';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { REPO_ROOT } from './support/processes.js';
import { startStack, type Stack } from './support/stack.js';
import { waitFor } from './support/wait-for.js';

const ORDER_QUERY = `#graphql
  query { order(id: "no-such-order") { id } }`;

let stack: Stack;
/** A customer's Authorization header: `order` answers only signed-in callers. */
let signedIn: Record<string, string>;
let supergraphDir: string;
let supergraphPath: string;

beforeAll(async () => {
  // Start the router on a supergraph composed without the orders subgraph.
  const config = await loadSupergraphConfig(join(REPO_ROOT, 'supergraph.yaml'));
  const schemas = (await readSubgraphSchemas(config)).filter((schema) => schema.name !== 'orders');
  const partial = composeSubgraphSchemas(schemas);
  if (!partial.ok) throw new Error('the users and products subgraphs should compose on their own');
  supergraphDir = mkdtempSync(join(tmpdir(), 'supergraph-reload-'));
  supergraphPath = join(supergraphDir, 'supergraph.graphql');
  writeFileSync(supergraphPath, partial.supergraphSdl);
  // Reloading is the router's business: one dialect is enough here.
  stack = await startStack({
    dialect: 'sqlite',
    seedArgs: ['--customers', '2', '--products', '10', '--orders', '5'],
    supergraphPath,
  });
  const { token } = await stack.keys.issue({ id: 'reload-test-customer', role: 'CUSTOMER' });
  signedIn = { authorization: `Bearer ${token}` };
});
afterAll(async () => {
  await stack?.stop();
  rmSync(supergraphDir, { recursive: true, force: true });
});

it('picks up a recomposed supergraph without a restart, and keeps serving when the new file is broken', async () => {
  const before = await stack.query(ORDER_QUERY, {}, signedIn);
  expect(before.status).toBe(400);
  expect(before.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');

  copyFileSync(join(REPO_ROOT, 'supergraph.graphql'), supergraphPath);
  await stack.router.waitForLog('that it reloaded the supergraph', (line) => line.msg === 'supergraph reloaded');
  // The log line may come a moment before the new schema answers the next request.
  const after = await waitFor(
    async () => {
      const result = await stack.query(ORDER_QUERY, {}, signedIn);
      return result.status === 200 && result;
    },
    { what: 'the router to answer Query.order from the recomposed supergraph' },
  );
  expect(after.body).toEqual({ data: { order: null } });

  writeFileSync(supergraphPath, 'this is not a supergraph');
  await stack.router.waitForLog(
    'that the new supergraph is broken and it keeps the previous one',
    (line) => line.level === 'error' && String(line.msg).includes('still serving the previous one'),
  );
  const stillServing = await stack.query(ORDER_QUERY, {}, signedIn);
  expect(stillServing.body).toEqual({ data: { order: null } });
  expect(stack.router.child.exitCode).toBeNull();
});
