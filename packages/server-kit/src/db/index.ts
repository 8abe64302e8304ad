// @supergraph/server-kit/db: Databases: SQLite and Postgres through drizzle, one query layer, migrations, the database CLI.
export {
  DatabaseCliRefusal,
  runDatabaseCli,
  runSubgraphDatabaseCli,
  type DatabaseCliOptions,
  type SubgraphDatabaseCliOptions,
} from './database-cli.js';
export {
  DatabaseUnavailableError,
  redactDatabaseUrl,
  openOrExit,
  queryRows,
  executeStatement,
  type Dialect,
  type QueryDb,
  type DatabaseHandle,
  type ServiceDatabase,
  type DatabaseLocation,
} from './database.js';
export {
  openServiceDatabase,
  defineServiceDatabase,
  type DialectSchema,
  type OpenServiceDatabaseOptions,
} from './open-database.js';
export { openPostgresDatabase, type PostgresOptions } from './postgres.js';
export { openSqliteDatabase, type SqliteOptions } from './sqlite.js';
export {
  summarizeStatement,
  runUncounted,
  type ExecutedStatement,
  type StatementOperation,
  type StatementListener,
} from './sql-telemetry.js';
export { preparedByKeys, PREPARED_KEY_COUNT_LIMIT } from './prepared.js';
export { readKeysetPage, type SortKey, type KeysetPage } from './keyset.js';
