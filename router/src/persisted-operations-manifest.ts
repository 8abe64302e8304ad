import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { stripIgnoredCharacters } from 'graphql';
import type { Logger } from '@supergraph/server-kit/telemetry';

/**
 * The operations a safelisting router runs: `operations/__generated__/persisted-documents.json`,
 * written by `npm run codegen` as `{ "<sha256 hex of the text>": "<operation text>" }`.
 */
export interface PersistedOperationsManifest {
  /** Where it was read from, for logs. */
  path: string;
  /** How many operations it lists. */
  size: number;
  /** The text of a listed operation, by the hash a client sends in `extensions.persistedQuery.sha256Hash`. */
  findByHash(sha256Hash: string): string | undefined;
  /**
   * Whether a full operation text is listed: byte for byte, or differing only in what GraphQL
   * ignores (whitespace, commas, comments), so a client that reformats the manifest's text is not
   * refused. Any other difference, field order included, is a different operation.
   */
  isListedText(text: string): boolean;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** The manifest cannot be used; the message says what to fix. */
export class PersistedOperationsManifestError extends Error {
  override readonly name = 'PersistedOperationsManifestError';
}

/** Reads and verifies a manifest: every key must be the sha256 of its text, or clients' hashes would not match. */
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
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new PersistedOperationsManifestError(`${path} must be a JSON object of operation texts by their sha256 hash`);
  }
  const byHash = new Map<string, string>();
  for (const [hash, operation] of Object.entries(parsed)) {
    if (!SHA256_HEX.test(hash) || typeof operation !== 'string') {
      throw new PersistedOperationsManifestError(
        `${path}: ${JSON.stringify(hash)} must be a lowercase hex sha256 mapped to an operation text`,
      );
    }
    if (sha256(operation) !== hash) {
      throw new PersistedOperationsManifestError(
        `${path}: the operation under ${hash} does not hash to it; regenerate it with npm run codegen`,
      );
    }
    byHash.set(hash, operation);
  }
  const compactTexts = new Set([...byHash.values()].flatMap((operation) => compact(operation) ?? []));
  return {
    path,
    size: byHash.size,
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

/** The text without what GraphQL ignores; undefined when it does not even lex. */
function compact(text: string): string | undefined {
  try {
    return stripIgnoredCharacters(text);
  } catch {
    return undefined;
  }
}

/**
 * For the entry point: loads the manifest PERSISTED_OPERATIONS=safelist asks for and logs how many
 * operations it allows, or prints what is wrong, naming the variable, and stops the process.
 */
export async function loadSafelistOrExit(path: string, logger: Logger): Promise<PersistedOperationsManifest> {
  try {
    const manifest = await loadPersistedOperationsManifest(path);
    logger.info({ manifest: path, operations: manifest.size }, `persisted-operations safelist on: ${manifest.size} operations`);
    return manifest;
  } catch (error) {
    if (!(error instanceof PersistedOperationsManifestError)) throw error;
    process.stderr.write(`Invalid settings:\n  - PERSISTED_OPERATIONS_MANIFEST: ${error.message}\n`);
    process.exit(1);
  }
}
