import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import { composeServices } from '@apollo/composition';
import { GraphQLError, parse, Source } from 'graphql';
import {
  describeCompositionError,
  describeCompositionHint,
  describeSyntaxError,
  type CompositionDiagnostic,
  type ParsedSubgraph,
} from './composition-diagnostics.js';
import { formatDisplayPath } from './display-path.js';
import { describeFileError, loadSupergraphConfig, SupergraphConfigError, type SupergraphConfig } from './supergraph-config.js';

/** One subgraph's schema, already loaded: what composition needs, wherever it came from. */
export interface SubgraphSchema {
  name: string;
  /** The routing URL recorded in the supergraph for this subgraph. */
  url: string;
  /** The subgraph's SDL (a Federation 2 schema with `@link`). */
  sdl: string;
  /**
   * Where the SDL came from, used for `file:line:column` in diagnostics. Default: none, and locations
   * then carry only the subgraph name, line and column.
   */
  file?: string;
}

export type CompositionResult =
  { ok: true; supergraphSdl: string; hints: CompositionDiagnostic[] } | { ok: false; errors: CompositionDiagnostic[] };

/** The outcome of composing a supergraph.yaml, with the config it was read from. */
export type SupergraphCompositionResult = CompositionResult & { config: SupergraphConfig };

/**
 * Composes subgraph schemas into a supergraph. Takes SDL strings rather than files so a schema check
 * can compose a proposed subgraph schema against the others without writing anything.
 * Subgraphs are composed in the order given, which keeps the output stable.
 */
export function composeSubgraphSchemas(subgraphs: readonly SubgraphSchema[]): CompositionResult {
  const parsed: (ParsedSubgraph & { url: string })[] = [];
  const syntaxErrors: CompositionDiagnostic[] = [];
  for (const subgraph of subgraphs) {
    // The Source object is how diagnostics map an AST node back to its subgraph and file.
    const source = new Source(subgraph.sdl, subgraph.file ?? subgraph.name);
    const file = subgraph.file === undefined ? {} : { file: subgraph.file };
    try {
      parsed.push({ name: subgraph.name, url: subgraph.url, ...file, source, document: parse(source) });
    } catch (error) {
      if (!(error instanceof GraphQLError)) throw error;
      syntaxErrors.push(describeSyntaxError(error, { name: subgraph.name, ...file }));
    }
  }
  if (syntaxErrors.length > 0) return { ok: false, errors: syntaxErrors };

  const result = composeServices(parsed.map(({ name, url, document }) => ({ name, url, typeDefs: document })));
  if (result.errors) {
    return { ok: false, errors: result.errors.map((error) => describeCompositionError(error, parsed)) };
  }
  return {
    ok: true,
    supergraphSdl: result.supergraphSdl,
    hints: result.hints.map((hint) => describeCompositionHint(hint, parsed)),
  };
}

/** A subgraph schema to compose instead of the file the config lists for it. */
export interface SchemaOverride {
  sdl: string;
  /** Where the SDL came from, for `file:line:column` in diagnostics. Default: none. */
  file?: string;
}

export interface ComposeSupergraphOptions {
  /**
   * Schemas that replace the files the config lists, by subgraph name: a proposed schema in a schema
   * check. Every name must be a subgraph of the config. Default: none, every schema file is read.
   */
  schemaOverrides?: ReadonlyMap<string, SchemaOverride>;
}

/**
 * Reads supergraph.yaml and every schema file it lists, and composes them.
 * Throws `SupergraphConfigError` when the config is invalid or a schema file cannot be read;
 * composition problems are returned, not thrown.
 */
export async function composeSupergraph(
  configPath: string,
  options: ComposeSupergraphOptions = {},
): Promise<SupergraphCompositionResult> {
  return composeSupergraphConfig(await loadSupergraphConfig(configPath), options);
}

/** Like `composeSupergraph`, for a config that is already loaded. */
export async function composeSupergraphConfig(
  config: SupergraphConfig,
  options: ComposeSupergraphOptions = {},
): Promise<SupergraphCompositionResult> {
  checkFederationVersion(config);
  const schemas = await readSubgraphSchemas(config, options.schemaOverrides);
  return { ...composeSubgraphSchemas(schemas), config };
}

/**
 * Reads the schema file of every subgraph in the config, except those given in `overrides`, which
 * are used as they are; names every file that cannot be read.
 */
export async function readSubgraphSchemas(
  config: SupergraphConfig,
  overrides: ReadonlyMap<string, SchemaOverride> = new Map(),
): Promise<SubgraphSchema[]> {
  const label = formatDisplayPath(config.configPath);
  const unknown = [...overrides.keys()].filter((name) => !config.subgraphs.some((subgraph) => subgraph.name === name));
  if (unknown.length > 0) {
    throw new SupergraphConfigError(unknown.map((name) => `${label}: there is no subgraph named ${JSON.stringify(name)}`));
  }
  const problems: string[] = [];
  const schemas = await Promise.all(
    config.subgraphs.map(async (subgraph) => {
      const override = overrides.get(subgraph.name);
      if (override) return { name: subgraph.name, url: subgraph.routingUrl, ...override };
      try {
        const sdl = await readFile(subgraph.schemaPath, 'utf8');
        return { name: subgraph.name, url: subgraph.routingUrl, sdl, file: subgraph.schemaPath };
      } catch (error) {
        problems.push(
          `${label}: subgraphs.${subgraph.name}.schema.file: cannot read ${formatDisplayPath(subgraph.schemaPath)} (${describeFileError(error)})`,
        );
        return undefined;
      }
    }),
  );
  if (problems.length > 0) throw new SupergraphConfigError(problems);
  return schemas.filter((schema) => schema !== undefined);
}

// An exact pin (`=2.14.4`) promises which composition produced supergraph.graphql; composing with a
// different installed version would silently break that promise, so it is an error.
function checkFederationVersion(config: SupergraphConfig): void {
  if (!config.federationVersion.startsWith('=')) return;
  const pinned = config.federationVersion.slice(1);
  const installed = readInstalledCompositionVersion();
  if (installed !== pinned && !installed.startsWith(`${pinned}.`)) {
    throw new SupergraphConfigError([
      `${formatDisplayPath(config.configPath)}: federation_version ${config.federationVersion} does not match the installed @apollo/composition ${installed}`,
    ]);
  }
}

function readInstalledCompositionVersion(): string {
  const manifest: unknown = createRequire(import.meta.url)('@apollo/composition/package.json');
  return (manifest as { version: string }).version;
}
