import { readFile } from 'node:fs/promises';
import { ChangeType } from '@graphql-inspector/core';
import { parseDocument } from 'yaml';
import { formatDisplayPath } from './display-path.js';
import type { SchemaChange } from './schema-changes.js';
import { describeFileError } from './supergraph-config.js';

/** A change accepted on purpose: it matches the change with the same `type` and `path`. */
export interface AcceptedChange {
  /** graphql-inspector's change type, as the report prints it, e.g. `FIELD_REMOVED`. */
  type: string;
  /** graphql-inspector's path, as the report prints it, e.g. `Product.sku`. */
  path: string;
  /** Why breaking clients is acceptable here (who was asked, what replaces it). */
  reason: string;
  /** Who accepted it. */
  acceptedBy: string;
  /** When, as YYYY-MM-DD. */
  date: string;
}

/** The accepted-changes file is not valid; every problem names the file and the entry. */
export class AcceptedChangesError extends Error {
  override readonly name = 'AcceptedChangesError';
}

const KNOWN_CHANGE_TYPES = new Set<string>(Object.values(ChangeType));
const ENTRY_KEYS = ['type', 'path', 'reason', 'acceptedBy', 'date'] as const;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Reads the accepted-changes file; a missing file accepts nothing. */
export async function loadAcceptedChanges(path: string): Promise<AcceptedChange[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new AcceptedChangesError(`${formatDisplayPath(path)}: cannot read the file (${describeFileError(error)})`);
  }
  return parseAcceptedChanges(text, path);
}

/**
 * Validates the YAML of an accepted-changes file: `accepted:` with a list of entries. Every problem
 * is reported at once, like supergraph.yaml's.
 */
export function parseAcceptedChanges(text: string, path: string): AcceptedChange[] {
  const label = formatDisplayPath(path);
  const document = parseDocument(text);
  if (document.errors.length > 0) {
    throw new AcceptedChangesError(document.errors.map((error) => `${label}: ${error.message}`).join('\n'));
  }
  const root: unknown = document.toJS() ?? {};
  if (!isMapping(root) || Object.keys(root).some((key) => key !== 'accepted')) {
    throw new AcceptedChangesError(`${label}: expected a mapping with one key, accepted (a list of changes)`);
  }
  const list = root['accepted'] ?? [];
  if (!Array.isArray(list)) throw new AcceptedChangesError(`${label}: accepted must be a list`);

  const problems: string[] = [];
  const entries = list.flatMap((entry: unknown, index) => {
    const entryProblems = validateEntry(entry);
    problems.push(...entryProblems.map((problem) => `${label}: accepted[${index}]${problem}`));
    return entryProblems.length === 0 ? [entry as AcceptedChange] : [];
  });
  if (problems.length > 0) throw new AcceptedChangesError(problems.join('\n'));
  return entries;
}

function validateEntry(entry: unknown): string[] {
  if (!isMapping(entry)) return [` must be a mapping with ${ENTRY_KEYS.join(', ')}`];
  const problems: string[] = [];
  for (const key of Object.keys(entry)) {
    if (!(ENTRY_KEYS as readonly string[]).includes(key))
      problems.push(`.${key} is not a known key (expected: ${ENTRY_KEYS.join(', ')})`);
  }
  for (const key of ENTRY_KEYS) {
    const value = entry[key];
    if (value === undefined || value === null) problems.push(`.${key} is missing`);
    else if (typeof value !== 'string' || value.trim() === '') problems.push(`.${key} must be a non-empty string`);
  }
  if (typeof entry['type'] === 'string' && entry['type'] !== '' && !KNOWN_CHANGE_TYPES.has(entry['type'])) {
    problems.push(`.type ${JSON.stringify(entry['type'])} is not a graphql-inspector change type such as FIELD_REMOVED`);
  }
  if (typeof entry['date'] === 'string' && entry['date'] !== '' && !DATE.test(entry['date'])) {
    problems.push(`.date must be written YYYY-MM-DD (got ${JSON.stringify(entry['date'])})`);
  }
  return problems;
}

/** Finds the acceptance of a change, if there is one. */
export function findAcceptance(change: SchemaChange, accepted: readonly AcceptedChange[]): AcceptedChange | undefined {
  return accepted.find((entry) => entry.type === change.type && entry.path === change.path);
}

/** Entries that match none of the changes: left over once their change is on the base branch. */
export function findStaleAcceptances(changes: readonly SchemaChange[], accepted: readonly AcceptedChange[]): AcceptedChange[] {
  return accepted.filter((entry) => !changes.some((change) => change.type === entry.type && change.path === entry.path));
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
