// @supergraph/server-kit/testing: Test harnesses for operation tests (imports vitest: tests only).
export {
  testDialects,
  createScratchDatabase,
  createSubgraphHarness,
  createTestKeys,
  dataOf,
  type ScratchDatabase,
  type ExecuteResult,
  type SubgraphHarnessOptions,
} from './subgraph-harness.js';
export { findFieldsWithoutRule, describeRuleTree } from './rule-tree.js';
export { resolveReferences, type ReferenceResolver } from './entity-references.js';
export { createDialectDescribe, type ClosableHarness, type DefineDialectSuite } from './dialect-suite.js';
export {
  selectConnectionPage,
  readAllPages,
  testPageArgumentRefusals,
  type ConnectionPageResult,
  type PageArguments,
  type ForwardPageArguments,
  type BackwardPageArguments,
  type PageVariables,
} from './connection-pages.js';
