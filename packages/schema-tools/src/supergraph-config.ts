import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { formatDisplayPath } from './display-path.js';

/** One entry of `subgraphs` in supergraph.yaml. */
export interface SubgraphConfig {
  name: string;
  /** `routing_url`: where the router sends this subgraph's share of a query. */
  routingUrl: string;
  /** `schema.file` as written in the config (relative to the config file). */
  schemaFile: string;
  /** `schema.file` resolved against the directory of the config file. */
  schemaPath: string;
}

/** supergraph.yaml, validated: rover's format, restricted to what static composition needs. */
export interface SupergraphConfig {
  /** Absolute path of the config file. */
  configPath: string;
  /** `federation_version` as written, e.g. `=2.14.4` or `2`. */
  federationVersion: string;
  /** In the order the config lists them, which keeps the composed output stable. */
  subgraphs: SubgraphConfig[];
}

/** supergraph.yaml is missing, is not valid YAML, or does not have the expected shape. */
export class SupergraphConfigError extends Error {
  override readonly name = 'SupergraphConfigError';

  /** Each problem on its own, already prefixed with the config file's path. */
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(problems.join('\n'));
    this.problems = problems;
  }
}

// Rover also accepts `subgraph_url`, `graphref` and `sdl` here. Composition in this repo is static
// (DESIGN.md: the router never introspects subgraphs), so only checked-in schema files are allowed.
const UNSUPPORTED_SCHEMA_SOURCES = ['subgraph_url', 'graphref', 'subgraph', 'sdl'];

/** Reads and validates a supergraph.yaml; every problem found is reported at once. */
export async function loadSupergraphConfig(configPath: string): Promise<SupergraphConfig> {
  const absolutePath = resolve(configPath);
  let text: string;
  try {
    text = await readFile(absolutePath, 'utf8');
  } catch (error) {
    throw new SupergraphConfigError([
      `${formatDisplayPath(absolutePath)}: cannot read the config file (${describeFileError(error)})`,
    ]);
  }
  return parseSupergraphConfig(text, absolutePath);
}

/**
 * Validates the text of a supergraph.yaml. `configPath` names the file in messages and is the base
 * that `schema.file` paths are resolved against.
 */
export function parseSupergraphConfig(text: string, configPath: string): SupergraphConfig {
  const absolutePath = resolve(configPath);
  const label = formatDisplayPath(absolutePath);
  const document = parseDocument(text);
  if (document.errors.length > 0) {
    throw new SupergraphConfigError(document.errors.map((error) => `${label}: invalid YAML: ${error.message}`));
  }

  const problems: string[] = [];
  const root: unknown = document.toJS();
  if (!isMapping(root)) {
    throw new SupergraphConfigError([`${label}: expected a mapping with federation_version and subgraphs`]);
  }
  reportUnknownKeys(root, ['federation_version', 'subgraphs'], '', problems);

  const federationVersion = validateFederationVersion(root['federation_version'], problems);
  const subgraphs = validateSubgraphs(root['subgraphs'], dirname(absolutePath), problems);

  if (problems.length > 0) {
    throw new SupergraphConfigError(problems.map((problem) => `${label}: ${problem}`));
  }
  return { configPath: absolutePath, federationVersion, subgraphs };
}

/** Turns a failed read into a short reason a person can act on. */
export function describeFileError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'file not found';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory';
  return error instanceof Error ? error.message : String(error);
}

function validateFederationVersion(value: unknown, problems: string[]): string {
  if (value === undefined || value === null) {
    problems.push('federation_version is missing (for example: federation_version: =2.14.4)');
    return '';
  }
  // YAML reads `federation_version: 2` as a number.
  const version = typeof value === 'number' ? String(value) : value;
  if (typeof version !== 'string' || !/^=?2(\.\d+){0,2}$/.test(version)) {
    problems.push(`federation_version must be a Federation 2 version such as =2.14.4 or 2 (got ${JSON.stringify(value)})`);
    return '';
  }
  return version;
}

function validateSubgraphs(value: unknown, baseDir: string, problems: string[]): SubgraphConfig[] {
  if (value === undefined || value === null) {
    problems.push('subgraphs is missing');
    return [];
  }
  if (!isMapping(value)) {
    problems.push('subgraphs must be a mapping of subgraph name to { routing_url, schema: { file } }');
    return [];
  }
  const entries = Object.entries(value);
  if (entries.length === 0) {
    problems.push('subgraphs is empty: list at least one subgraph');
  }
  const subgraphs: SubgraphConfig[] = [];
  for (const [name, entry] of entries) {
    const subgraph = validateSubgraph(name, entry, baseDir, problems);
    if (subgraph) subgraphs.push(subgraph);
  }
  return subgraphs;
}

function validateSubgraph(name: string, value: unknown, baseDir: string, problems: string[]): SubgraphConfig | undefined {
  const key = `subgraphs.${name}`;
  if (!isMapping(value)) {
    problems.push(`${key} must be a mapping with routing_url and schema`);
    return undefined;
  }
  reportUnknownKeys(value, ['routing_url', 'schema'], key, problems);

  const routingUrl = value['routing_url'];
  let isValid = true;
  if (routingUrl === undefined || routingUrl === null) {
    problems.push(`${key}.routing_url is missing`);
    isValid = false;
  } else if (typeof routingUrl !== 'string' || !URL.canParse(routingUrl)) {
    problems.push(
      `${key}.routing_url must be an absolute URL such as http://localhost:4001/graphql (got ${JSON.stringify(routingUrl)})`,
    );
    isValid = false;
  }

  const schemaFile = validateSchemaFile(value['schema'], `${key}.schema`, problems);
  if (!isValid || schemaFile === undefined) return undefined;
  return { name, routingUrl: routingUrl as string, schemaFile, schemaPath: resolve(baseDir, schemaFile) };
}

function validateSchemaFile(value: unknown, key: string, problems: string[]): string | undefined {
  if (value === undefined || value === null) {
    problems.push(`${key} is missing`);
    return undefined;
  }
  if (!isMapping(value)) {
    problems.push(`${key} must be a mapping with file`);
    return undefined;
  }
  const unsupported = UNSUPPORTED_SCHEMA_SOURCES.filter((source) => source in value);
  for (const source of unsupported) {
    problems.push(`${key}.${source} is not supported: composition is static, point ${key}.file at the subgraph's schema file`);
  }
  reportUnknownKeys(value, ['file', ...UNSUPPORTED_SCHEMA_SOURCES], key, problems);

  const file = value['file'];
  if (file === undefined || file === null) {
    if (unsupported.length === 0) problems.push(`${key}.file is missing`);
    return undefined;
  }
  if (typeof file !== 'string' || file.trim() === '') {
    problems.push(`${key}.file must be a path to a .graphql file (got ${JSON.stringify(file)})`);
    return undefined;
  }
  return file;
}

// Unknown keys are almost always typos (`routing_ur`), which would otherwise be silently ignored.
function reportUnknownKeys(
  value: Record<string, unknown>,
  knownKeys: readonly string[],
  parentKey: string,
  problems: string[],
): void {
  for (const key of Object.keys(value)) {
    if (!knownKeys.includes(key)) {
      const fullKey = parentKey === '' ? key : `${parentKey}.${key}`;
      const expected = knownKeys.filter((known) => !UNSUPPORTED_SCHEMA_SOURCES.includes(known)).join(', ');
      problems.push(`${fullKey} is not a known key (expected: ${expected})`);
    }
  }
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
