// @supergraph/server-kit/testing: Test harnesses for operation tests (imports vitest: tests only).
export {
  testDialects,
  createScratchDatabase,
  createSubgraphHarness,
  createTestKeys,
  dataOf,
  findFieldsWithoutRule,
  describeRuleTree,
  type ScratchDatabase,
  type ExecuteResult,
  type SubgraphHarnessOptions,
} from './subgraph-harness.js';
