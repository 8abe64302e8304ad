// @supergraph/server-kit/graphql: GraphQL building blocks: error classes and the error formatter, money, connections, batching, scalars.
export { alignByKey, createPageLoader, tracedBatch, type PageKey, type FetchPages } from './batching.js';
export {
  AppError,
  BadUserInputError,
  NotFoundError,
  UnauthenticatedError,
  ForbiddenError,
  OverloadedError,
  createErrorFormatter,
  GENERIC_ERROR_CODES,
  type GenericErrorCode,
} from './errors.js';
export { getMinorUnitDigits, formatMoney, type StoredMoney, type MoneyValue } from './money.js';
export {
  MAX_PAGE_SIZE,
  readPageWindow,
  omitDefaultFirst,
  isArgumentGiven,
  encodeCursor,
  decodeCursor,
  toConnectionPage,
  type PageInfo,
  type PageWindow,
  type ConnectionArguments,
  type ArgumentSource,
  type ConnectionPage,
  type Connection,
} from './pagination.js';
export { scalarResolvers } from './scalars.js';
export { buildSubgraphSchemaFromFile } from './subgraph-schema.js';
