import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { parse, print, stripIgnoredCharacters, type DefinitionNode, type DocumentNode } from 'graphql';
import { z } from 'zod';
import type { Logger } from '@supergraph/server-kit/telemetry';

/**
 * The operations a safelisting router runs: a persisted query list in Apollo's manifest format
 * (`operations/__generated__/persisted-query-manifest.json`, written by `npm run codegen` with
 * `@apollo/generate-persisted-query-manifest` from the documents exactly as Apollo Client sends them,
 * `__typename` included). Each operation's id is the sha256 of its body, which is what Apollo
 * Client's persisted-query links send.
 */
export interface PersistedOperationsManifest {
  /** Where it was read from, for logs. */
  path: string;
  /** How many operations it lists. */
  size: number;
  /** The names of the operations it lists: the operation labels of the router's metrics (operation-label.ts). */
  operationNames: ReadonlySet<string>;
  /** The body of a listed operation, by the id a client sends in `extensions.persistedQuery.sha256Hash`. */
  findByHash(sha256Hash: string): string | undefined;
  /**
   * Whether a full operation text is listed: byte for byte, or differing only in what GraphQL
   * ignores (whitespace, commas, comments), so a client that reformats the manifest's body is not
   * refused. Any other difference, field order or a missing `__typename` included, is a different operation.
   */
  isListedText(text: string): boolean;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

const manifestSchema = z.object({
  format: z.literal('apollo-persisted-query-manifest', {
    error: 'must be "apollo-persisted-query-manifest" (write it with npm run codegen)',
  }),
  version: z.literal(1, { error: 'must be 1' }),
  operations: z.array(
    z.object({
      id: z.string().regex(SHA256_HEX, 'must be the lowercase hex sha256 of the body'),
      name: z.string().min(1),
      type: z.enum(['query', 'mutation', 'subscription']),
      body: z.string().min(1),
    }),
  ),
});

/** The manifest cannot be used; the message says what to fix. */
export class PersistedOperationsManifestError extends Error {
  override readonly name = 'PersistedOperationsManifestError';
}

/** Reads and verifies a manifest: every id must be the sha256 of its body, or clients' hashes would not match. */
export async function loadPersistedOperationsManifest(path: string): Promise<PersistedOperationsManifest> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new PersistedOperationsManifestError(
      `cannot read ${path} (${code === 'ENOENT' ? 'file not found: run npm run codegen' : code})`,
    );
  }
  return parsePersistedOperationsManifest(text, path);
}

export function parsePersistedOperationsManifest(json: string, path: string): PersistedOperationsManifest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw new PersistedOperationsManifestError(
      `${path} is not valid JSON (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  const result = manifestSchema.safeParse(parsed);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(the file)'} ${issue.message}`);
    throw new PersistedOperationsManifestError(`${path} is not a persisted query manifest: ${problems.join('; ')}`);
  }
  const byHash = new Map<string, string>();
  for (const { id, name, body } of result.data.operations) {
    if (sha256(body) !== id) {
      throw new PersistedOperationsManifestError(
        `${path}: the body of ${name} does not hash to its id ${id}; regenerate it with npm run codegen`,
      );
    }
    byHash.set(id, body);
  }
  const compactTexts = new Set([...byHash.values()].flatMap((operation) => compact(operation) ?? []));
  return {
    path,
    size: byHash.size,
    operationNames: new Set(result.data.operations.map((operation) => operation.name)),
    findByHash: (sha256Hash) => byHash.get(sha256Hash),
    isListedText(text) {
      if (byHash.has(sha256(text))) return true;
      const compacted = compact(text);
      return compacted !== undefined && compactTexts.has(compacted);
    },
  };
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * The text without what GraphQL ignores, its operation and fragments in one order (Apollo's
 * generator sorts them; a client prints them as written); undefined when it does not parse.
 */
function compact(text: string): string | undefined {
  let document: DocumentNode;
  try {
    document = parse(text, { noLocation: true });
  } catch {
    return undefined;
  }
  const nameOf = (definition: DefinitionNode) => ('name' in definition && definition.name ? definition.name.value : '');
  const definitions = [...document.definitions].sort(
    (a, b) => a.kind.localeCompare(b.kind) || nameOf(a).localeCompare(nameOf(b)),
  );
  return stripIgnoredCharacters(print({ ...document, definitions }));
}

/**
 * For the entry point: the persisted query list the router serves ids from. With
 * PERSISTED_OPERATIONS=safelist it must load (it is then the only operations that run); otherwise it
 * is read when present, so a client's persisted-query link that sends ids alone works against any
 * router, and a router without the file simply has none. What is wrong with a file that is there is
 * printed, naming the variable, and stops the process.
 */
export async function loadPersistedQueriesOrExit(
  { mode, manifestPath }: { mode: 'off' | 'safelist'; manifestPath: string },
  logger: Logger,
): Promise<PersistedOperationsManifest | undefined> {
  if (mode === 'off' && !existsSync(manifestPath)) {
    logger.info({ manifest: manifestPath }, 'no persisted query list: ids are served from automatic persisted queries only');
    return undefined;
  }
  try {
    const manifest = await loadPersistedOperationsManifest(manifestPath);
    const what = mode === 'safelist' ? 'persisted-operations safelist on' : 'persisted query list loaded (not enforced)';
    logger.info({ manifest: manifestPath, operations: manifest.size, mode }, `${what}: ${manifest.size} operations`);
    return manifest;
  } catch (error) {
    if (!(error instanceof PersistedOperationsManifestError)) throw error;
    process.stderr.write(`Invalid settings:\n  - PERSISTED_OPERATIONS_MANIFEST: ${error.message}\n`);
    process.exit(1);
  }
}
