import { readFile } from 'node:fs/promises';
import { composeSupergraphConfig, type SchemaOverride } from './compose.js';
import { findAcceptance, findStaleAcceptances, loadAcceptedChanges, type AcceptedChange } from './accepted-changes.js';
import { readBaseSupergraph, type BaseSpec, type BaseSupergraph } from './base-supergraph.js';
import type { CompositionDiagnostic } from './composition-diagnostics.js';
import { formatDisplayPath } from './display-path.js';
import { readOperationFiles, validateOperations, type OperationError } from './operation-check.js';
import { findSchemaChanges, type SchemaChange } from './schema-changes.js';
import { describeFileError, loadSupergraphConfig } from './supergraph-config.js';
import { createSupergraphView, type SupergraphView } from './supergraph-view.js';

export interface SchemaCheckOptions {
  /** supergraph.yaml. */
  configPath: string;
  /** What to compare against. */
  base: BaseSpec;
  /** The directory whose `*.graphql` operations must keep validating. */
  operationsDirectory: string;
  /** The file that lists breaking changes accepted on purpose (it may not exist). */
  acceptedChangesPath: string;
  /** Check one proposed subgraph schema instead of the working tree's file for that subgraph. Default none. */
  proposed?: { subgraph: string; schemaPath: string };
  /** Directory that paths in the report are relative to. Default `process.cwd()`. */
  cwd?: string;
}

/** Where an operation uses a schema element. */
export interface ElementUse {
  file: string;
  line: number;
  column: number;
  operation: string | null;
}

/** A change as the check judged it. */
export interface CheckedChange extends SchemaChange {
  /** The acceptance that lets this change through, or null. */
  accepted: Omit<AcceptedChange, 'type' | 'path'> | null;
  /** Operations in operations/ that the change breaks (they use the element and no longer validate). */
  usedBy: ElementUse[];
}

/** Everything a schema check found; `--json` prints it as it is. */
export interface SchemaCheckReport {
  /** `fail` when composition fails, a breaking change is not accepted, or an operation no longer validates. */
  verdict: 'pass' | 'fail';
  base: {
    /** What the check compared against, e.g. `main:supergraph.graphql`. */
    label: string;
    /** False when composition failed or the base could not be read; `changes` is then empty. */
    isCompared: boolean;
    /** Why the base could not be read. */
    unavailableReason?: string;
  };
  /** In `--subgraph` mode, the subgraph whose proposed schema was checked. */
  proposed: { subgraph: string; schemaFile: string } | null;
  composition: {
    ok: boolean;
    /** Subgraph names, in supergraph.yaml's order. */
    subgraphs: string[];
    errors: CompositionDiagnostic[];
    hints: CompositionDiagnostic[];
  };
  changes: CheckedChange[];
  operations: {
    /** False when composition failed: there is no schema to validate against. */
    isChecked: boolean;
    files: string[];
    errors: OperationError[];
  };
  acceptedChanges: {
    file: string;
    /** Entries that match no change (only judged when the base was compared). */
    stale: AcceptedChange[];
  };
  summary: {
    compositionErrors: number;
    breaking: number;
    acceptedBreaking: number;
    dangerous: number;
    nonBreaking: number;
    operationErrors: number;
    staleAcceptances: number;
  };
}

/** A command-line input (the proposed subgraph or schema file, the base) that makes the check impossible. */
export class SchemaCheckInputError extends Error {
  override readonly name = 'SchemaCheckInputError';
}

/**
 * Composes the supergraph from the working tree (or with one proposed subgraph schema), compares its
 * API schema with the base's, and validates every example operation against it. Throws
 * `SupergraphConfigError`, `AcceptedChangesError` or `SchemaCheckInputError` when it cannot run.
 */
export async function runSchemaCheck(options: SchemaCheckOptions): Promise<SchemaCheckReport> {
  const cwd = options.cwd ?? process.cwd();
  const display = (path: string) => formatDisplayPath(path, cwd);
  const { subgraphs, composition, base, accepted, operationFiles } = await readCheckInputs(options, cwd, display);
  const findings = composition.ok ? await checkSupergraph(composition.supergraphSdl, base, accepted, operationFiles) : null;
  const compared = findings?.compared;

  const withDisplayPaths = (diagnostic: CompositionDiagnostic): CompositionDiagnostic => ({
    ...diagnostic,
    locations: diagnostic.locations.map((location) =>
      location.file === undefined ? location : { ...location, file: display(location.file) },
    ),
  });
  const findingsReport: Omit<SchemaCheckReport, 'verdict' | 'summary'> = {
    base: { label: base.label, isCompared: compared !== undefined, ...(base.ok ? {} : { unavailableReason: base.reason }) },
    proposed: options.proposed ? { subgraph: options.proposed.subgraph, schemaFile: display(options.proposed.schemaPath) } : null,
    composition: {
      ok: composition.ok,
      subgraphs,
      errors: composition.ok ? [] : composition.errors.map(withDisplayPaths),
      hints: composition.ok ? composition.hints.map(withDisplayPaths) : [],
    },
    changes: compared?.changes ?? [],
    operations: {
      isChecked: findings !== null,
      files: operationFiles.map((file) => file.file),
      errors: findings?.operationErrors ?? [],
    },
    acceptedChanges: { file: display(options.acceptedChangesPath), stale: compared?.stale ?? [] },
  };
  const summary = summarize(findingsReport);
  const verdict = summary.compositionErrors + summary.breaking + summary.operationErrors > 0 ? 'fail' : 'pass';
  return { verdict, ...findingsReport, summary };
}

/** Everything the check reads before it judges anything; a missing or unreadable input stops it here. */
async function readCheckInputs(options: SchemaCheckOptions, cwd: string, display: (path: string) => string) {
  const config = await loadSupergraphConfig(options.configPath);
  const subgraphs = config.subgraphs.map((subgraph) => subgraph.name);
  const overrides = await readProposedSchema(options.proposed, subgraphs, display);
  const accepted = await loadAcceptedChanges(options.acceptedChangesPath);
  const operationFiles = await readOperationFiles(options.operationsDirectory, display(options.operationsDirectory));
  const composition = await composeSupergraphConfig(config, { schemaOverrides: overrides });
  const base = await readBaseSupergraph(options.base, cwd);
  if (!base.ok && options.base.kind === 'git' && options.base.isExplicit)
    throw new SchemaCheckInputError(`--base: ${base.reason}`);
  if (!base.ok && options.base.kind === 'file') throw new SchemaCheckInputError(`--base-file: ${base.reason}`);
  return { subgraphs, composition, base, accepted, operationFiles };
}

/**
 * What a composed supergraph breaks: the operations that no longer validate against its API schema,
 * and, when the base could be read, its changes against the base (`compared`, else undefined).
 */
async function checkSupergraph(
  supergraphSdl: string,
  base: BaseSupergraph,
  accepted: readonly AcceptedChange[],
  operationFiles: Awaited<ReturnType<typeof readOperationFiles>>,
) {
  const proposed = createSupergraphView(supergraphSdl);
  const operationErrors = validateOperations(proposed.apiSchema, operationFiles);
  if (!base.ok) return { operationErrors, compared: undefined };
  const changes = await findSchemaChanges(readBaseView(base.sdl, base.label), proposed);
  const compared = {
    changes: changes.map((change) => checkChange(change, accepted, operationErrors)),
    stale: findStaleAcceptances(changes, accepted),
  };
  return { operationErrors, compared };
}

async function readProposedSchema(
  proposed: SchemaCheckOptions['proposed'],
  knownSubgraphs: readonly string[],
  display: (path: string) => string,
): Promise<Map<string, SchemaOverride>> {
  if (!proposed) return new Map();
  if (!knownSubgraphs.includes(proposed.subgraph)) {
    throw new SchemaCheckInputError(
      `--subgraph: there is no subgraph named ${JSON.stringify(proposed.subgraph)}; supergraph.yaml lists ${knownSubgraphs.join(', ')}`,
    );
  }
  try {
    return new Map([[proposed.subgraph, { sdl: await readFile(proposed.schemaPath, 'utf8'), file: proposed.schemaPath }]]);
  } catch (error) {
    throw new SchemaCheckInputError(`--schema: cannot read ${display(proposed.schemaPath)} (${describeFileError(error)})`);
  }
}

function readBaseView(sdl: string, label: string): SupergraphView {
  try {
    return createSupergraphView(sdl);
  } catch (error) {
    throw new SchemaCheckInputError(
      `the base ${label} is not a valid supergraph: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

function checkChange(
  change: SchemaChange,
  accepted: readonly AcceptedChange[],
  operationErrors: readonly OperationError[],
): CheckedChange {
  const acceptance = findAcceptance(change, accepted);
  return {
    ...change,
    accepted: acceptance ? { reason: acceptance.reason, acceptedBy: acceptance.acceptedBy, date: acceptance.date } : null,
    usedBy: operationErrors
      .filter((error) => error.coordinate === change.coordinate)
      .map(({ file, line, column, operation }) => ({ file, line, column, operation })),
  };
}

function summarize(report: Omit<SchemaCheckReport, 'verdict' | 'summary'>): SchemaCheckReport['summary'] {
  const count = (predicate: (change: CheckedChange) => boolean) => report.changes.filter(predicate).length;
  return {
    compositionErrors: report.composition.errors.length,
    breaking: count((change) => change.criticality === 'BREAKING' && change.accepted === null),
    acceptedBreaking: count((change) => change.criticality === 'BREAKING' && change.accepted !== null),
    dangerous: count((change) => change.criticality === 'DANGEROUS'),
    nonBreaking: count((change) => change.criticality === 'NON_BREAKING'),
    operationErrors: report.operations.errors.length,
    staleAcceptances: report.acceptedChanges.stale.length,
  };
}
