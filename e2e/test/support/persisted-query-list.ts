import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './processes.js';

/** The persisted query list `npm run codegen` writes from operations/ (Apollo's manifest format). */
export const PERSISTED_QUERY_LIST_PATH = join(REPO_ROOT, 'operations/__generated__/persisted-query-manifest.json');

export interface PersistedQueryList {
  format: 'apollo-persisted-query-manifest';
  version: 1;
  operations: { id: string; name: string; type: 'query' | 'mutation' | 'subscription'; body: string }[];
}

export const persistedQueryList = JSON.parse(readFileSync(PERSISTED_QUERY_LIST_PATH, 'utf8')) as PersistedQueryList;

/** The listed operation of that name: its id (the sha256 of its body) and its body. */
export function listedOperation(name: string): PersistedQueryList['operations'][number] {
  const operation = persistedQueryList.operations.find((candidate) => candidate.name === name);
  if (!operation) throw new Error(`${name} is not in ${PERSISTED_QUERY_LIST_PATH}: run npm run codegen`);
  return operation;
}
