export {
  findAcceptance,
  findStaleAcceptances,
  loadAcceptedChanges,
  parseAcceptedChanges,
  AcceptedChangesError,
} from './accepted-changes.js';
export type { AcceptedChange } from './accepted-changes.js';
export { renderApiSchemaFile } from './api-schema.js';
export { defaultBaseSpec, readBaseSupergraph } from './base-supergraph.js';
export type { BaseSpec, BaseSupergraph } from './base-supergraph.js';
export { composeSubgraphSchemas, composeSupergraph, composeSupergraphConfig, readSubgraphSchemas } from './compose.js';
export type {
  ComposeSupergraphOptions,
  CompositionResult,
  SchemaOverride,
  SubgraphSchema,
  SupergraphCompositionResult,
} from './compose.js';
export type { CompositionDiagnostic, DiagnosticLocation } from './composition-diagnostics.js';
export { formatCompositionReport } from './composition-report.js';
export type { CompositionReportOptions } from './composition-report.js';
export { readOperationFiles, validateOperations } from './operation-check.js';
export type { OperationError, OperationFile } from './operation-check.js';
export { findSchemaChanges } from './schema-changes.js';
export type { Criticality, SchemaChange } from './schema-changes.js';
export { runSchemaCheck, SchemaCheckInputError } from './schema-check.js';
export type { CheckedChange, ElementUse, SchemaCheckOptions, SchemaCheckReport } from './schema-check.js';
export { formatSchemaCheckReport } from './schema-check-report.js';
export { loadSupergraphConfig, parseSupergraphConfig, SupergraphConfigError } from './supergraph-config.js';
export type { SubgraphConfig, SupergraphConfig } from './supergraph-config.js';
export { readSupergraphFile, renderSupergraphFile, writeSupergraphFileIfChanged } from './supergraph-file.js';
export { createSupergraphView } from './supergraph-view.js';
export type { SupergraphView } from './supergraph-view.js';
export { watchFiles } from './watch-files.js';
export type { FileWatcher, WatchFilesOptions } from './watch-files.js';
