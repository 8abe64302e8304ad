import { pino } from 'pino';

/**
 * A log line's `err`, as every logger of ours writes it: pino's own form, except for an error that
 * is or wraps a database error. drizzle's query error carries the statement's parameter values in
 * its `params` and its message (and so its stack), and Postgres puts row values in `detail` and
 * `where` ("Key (email)=(...) already exists"): a failed insert would log a password hash or an
 * email. For those, the line keeps what an operator needs (the SQL text, the operation, the driver's
 * code and message, the constraint) and never a value.
 */
export function serializeError(error: unknown): unknown {
  // pino-http hands its error serializer pino's serialized form, with the error itself as `raw`.
  const raw = (error as { raw?: unknown } | null)?.raw;
  if (!(error instanceof Error) && raw instanceof Error) return serializeError(raw);
  const chain = causeChain(error);
  if (!chain.some(isDatabaseError)) return pino.stdSerializers.err(error as Error);
  const redact = createRedactor(chain.filter(isDrizzleQueryError).map((link) => link.params));
  const links = chain.map((link) => describeLink(link, redact));
  const [top] = links;
  for (let index = links.length - 1; index > 0; index--) links[index - 1]!.cause = links[index];
  return { ...top, stack: stackFrames(chain[0]!) };
}

/**
 * An error's message safe to log: for a database error, or an error wrapping one, without the
 * statement's parameter values; for anything else, as it is.
 */
export function describeErrorSafely(error: unknown): string {
  const serialized = serializeError(error);
  if (typeof serialized === 'object' && serialized !== null && 'message' in serialized) return String(serialized.message);
  return String(error);
}

type ErrorLike = Error & Record<string, unknown>;

/**
 * The error and its causes, outermost first: `cause`, or a GraphQLError's `originalError` (at most
 * 10: a cause may point back at its error).
 */
function causeChain(error: unknown): ErrorLike[] {
  const chain: ErrorLike[] = [];
  for (let link = error; link instanceof Error && chain.length < 10 && !chain.includes(link as ErrorLike);) {
    chain.push(link as ErrorLike);
    link = link.cause ?? (link as { originalError?: unknown }).originalError;
  }
  return chain;
}

/** drizzle's DrizzleQueryError (checked by shape: the class may come from another copy of drizzle). */
function isDrizzleQueryError(error: ErrorLike): error is ErrorLike & { query: string; params: unknown[] } {
  return typeof error.query === 'string' && Array.isArray(error.params);
}

/** node-postgres' DatabaseError: a five-character SQLSTATE code and the server's severity. */
function isPostgresError(error: ErrorLike): boolean {
  return typeof error.code === 'string' && /^[0-9A-Z]{5}$/.test(error.code) && typeof error.severity === 'string';
}

/** better-sqlite3's SqliteError: SQLITE_* codes. */
function isSqliteError(error: ErrorLike): boolean {
  return error.name === 'SqliteError' || (typeof error.code === 'string' && error.code.startsWith('SQLITE_'));
}

function isDatabaseError(error: ErrorLike): boolean {
  return isDrizzleQueryError(error) || isPostgresError(error) || isSqliteError(error);
}

/** Postgres' fields that name things in the schema, never a row's values (unlike `detail` and `where`). */
const POSTGRES_FIELDS = ['code', 'severity', 'schema', 'table', 'column', 'constraint', 'dataType', 'routine'] as const;

/**
 * Removes parameter values from a message: drizzle's `params: ...` line, which an error of ours
 * around it may have copied, and each string value a driver quoted ("invalid input syntax for type
 * uuid: ..."). Strings shorter than 4 characters stay: they would match words of the message itself.
 */
function createRedactor(paramLists: unknown[][]): (message: string) => string {
  const texts = paramLists.map((params) => `params: ${String(params)}`);
  const values = paramLists.flat().filter((value): value is string => typeof value === 'string' && value.length >= 4);
  return (message) =>
    values.reduce(
      (redacted, value) => redacted.replaceAll(value, '[redacted]'),
      texts.reduce((redacted, text) => redacted.replaceAll(text, 'params: [redacted]'), message),
    );
}

function describeLink(link: ErrorLike, redact: (message: string) => string): Record<string, unknown> {
  const type = link.constructor.name || link.name;
  if (isDrizzleQueryError(link)) {
    return { type, message: `Failed query: ${link.query}`, query: link.query, operation: operationOf(link.query) };
  }
  if (isPostgresError(link)) {
    const fields = POSTGRES_FIELDS.filter((field) => link[field] !== undefined).map((field): [string, unknown] => [
      field,
      link[field],
    ]);
    return { type, message: redact(link.message), ...Object.fromEntries(fields) };
  }
  if (isSqliteError(link)) {
    // openSqliteDatabase gives better-sqlite3's errors the statement's text.
    const query = typeof link.query === 'string' ? { query: link.query, operation: operationOf(link.query) } : {};
    return { type, message: redact(link.message), code: link.code, ...query };
  }
  return { type, message: redact(link.message) };
}

/** `insert`, `select`, ...: the statement's first keyword, as OpenTelemetry's db.operation.name. */
function operationOf(query: string): string | undefined {
  return /^\s*\(?\s*([A-Za-z]+)/.exec(query)?.[1]?.toLowerCase();
}

/** The stack's frames without its first line, which repeats the message (and so drizzle's parameters). */
function stackFrames(error: Error): string | undefined {
  return error.stack
    ?.split('\n')
    .filter((line) => /^\s+at /.test(line))
    .join('\n');
}
