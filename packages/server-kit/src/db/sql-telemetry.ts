import { AsyncLocalStorage } from 'node:async_hooks';
import { SpanKind, trace, type Attributes } from '@opentelemetry/api';
import { markSpanFailed, startChildSpan } from '../tracing/spans.js';
import { isTracingEnabled } from '../tracing/state.js';

/** The kind of a SQL statement, as the `operation` label of db_statement_duration_seconds: a closed set. */
export type StatementOperation = 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE' | 'OTHER';

/** One SQL statement the database executed (or refused): its kind and how long it took. */
export interface ExecutedStatement {
  operation: StatementOperation;
  seconds: number;
}

/** Called once per SQL statement executed, failed ones included (metrics, statement-count tests). */
export type StatementListener = (statement: ExecutedStatement) => void;

/** Where statements run, for their spans: never a URL or anything with credentials in it. */
export interface StatementTarget {
  system: 'sqlite' | 'postgresql';
  /** The database name, or the SQLite file's name. */
  namespace: string;
  serverAddress?: string;
  serverPort?: number;
}

/**
 * Times statements at the driver, reports each to the listener and, while tracing is on, records
 * each as a CLIENT span (`SELECT products`) under the active span, when there is one. With neither a listener nor
 * tracing, it only runs the statement.
 */
export interface StatementObserver {
  /** Runs a statement that completes synchronously (better-sqlite3). */
  observe<T>(sqlText: string, run: () => T): T;
  /** Runs a statement that completes with a promise (node-postgres). */
  observeAsync<T>(sqlText: string, run: () => Promise<T>): Promise<T>;
  /** Runs an iteration over a statement's rows (better-sqlite3's iterate): timed from the first row asked for to the last. */
  observeIteration<T>(sqlText: string, iterate: () => Iterator<T>): Generator<T, void, undefined>;
}

/** Set while statements run that are not the service's own work (see runUncounted). */
const uncounted = new AsyncLocalStorage<true>();

/**
 * Runs `work` with its statements neither counted nor traced: reads a /metrics scrape makes for its
 * gauges (a saga backlog, an expiry backlog), which are monitoring, not the service's work. Without
 * this a scrape's own reads would land in db_statements_total, and statement-count tests reading it
 * would see one scrape's reads more than the request ran.
 */
export function runUncounted<T>(work: () => Promise<T>): Promise<T> {
  return uncounted.run(true, work);
}

export function createStatementObserver(target: StatementTarget, onStatement?: StatementListener): StatementObserver {
  const targetAttributes: Attributes = {
    'db.system.name': target.system,
    'db.namespace': target.namespace,
    ...(target.serverAddress ? { 'server.address': target.serverAddress } : {}),
    ...(target.serverPort ? { 'server.port': target.serverPort } : {}),
  };
  const isObserved = () => (onStatement !== undefined || isTracingEnabled()) && uncounted.getStore() === undefined;

  /** Starts the clock (and the span); the returned function stops both and reports the statement. */
  const begin = (sqlText: string): ((error?: unknown) => void) => {
    const summary = summarizeStatement(sqlText);
    // Only inside a trace (a request, a saga step, a recovery): a background poll's statements would
    // otherwise each be a trace of one span, every few seconds.
    const span =
      isTracingEnabled() && trace.getActiveSpan() !== undefined
        ? startChildSpan(summary.table ? `${summary.verb} ${summary.table}` : summary.verb, {
            kind: SpanKind.CLIENT,
            attributes: {
              ...targetAttributes,
              'db.operation.name': summary.verb,
              ...(summary.table ? { 'db.collection.name': summary.table } : {}),
              // The text with its placeholders: drizzle binds every value as a parameter, never inlined.
              'db.query.text': sqlText,
            },
          })
        : undefined;
    const started = performance.now();
    let isFinished = false;
    return (error?: unknown) => {
      if (isFinished) return;
      isFinished = true;
      const seconds = (performance.now() - started) / 1000;
      if (span) {
        if (error !== undefined) markSpanFailed(span, error);
        span.end();
      }
      onStatement?.({ operation: summary.operation, seconds });
    };
  };

  return {
    observe(sqlText, run) {
      if (!isObserved()) return run();
      const finish = begin(sqlText);
      try {
        const result = run();
        finish();
        return result;
      } catch (error) {
        finish(error);
        throw error;
      }
    },
    observeAsync(sqlText, run) {
      if (!isObserved()) return run();
      const finish = begin(sqlText);
      let pending: ReturnType<typeof run>;
      try {
        pending = run();
      } catch (error) {
        finish(error);
        throw error;
      }
      return pending.then(
        (result) => {
          finish();
          return result;
        },
        (error: unknown) => {
          finish(error);
          throw error;
        },
      );
    },
    *observeIteration(sqlText, iterate) {
      if (!isObserved()) {
        yield* { [Symbol.iterator]: iterate };
        return;
      }
      const finish = begin(sqlText);
      try {
        yield* { [Symbol.iterator]: iterate };
        finish();
      } catch (error) {
        finish(error);
        throw error;
      } finally {
        // The caller stopped early (break): the statement is over.
        finish();
      }
    },
  };
}

interface StatementSummary {
  operation: StatementOperation;
  /** The statement's first keyword (its main one for WITH), upper case: BEGIN, SELECT, CREATE… */
  verb: string;
  /** The table it reads or writes, when one is named plainly. */
  table: string | undefined;
}

const OPERATIONS = new Set<StatementOperation>(['SELECT', 'INSERT', 'UPDATE', 'DELETE']);
/** A table name, plain or quoted, optionally schema-qualified: the last part is the table. */
const IDENTIFIER = String.raw`(?:"(?:[^"]|"")+"|\`[^\`]+\`|[A-Za-z_][\w$]*)`;
const TABLE_AFTER: Record<string, RegExp> = {
  SELECT: new RegExp(String.raw`\bfrom\s+((?:${IDENTIFIER}\s*\.\s*)?${IDENTIFIER})`, 'i'),
  INSERT: new RegExp(String.raw`\binsert\s+(?:or\s+\w+\s+)?into\s+((?:${IDENTIFIER}\s*\.\s*)?${IDENTIFIER})`, 'i'),
  UPDATE: new RegExp(String.raw`\bupdate\s+(?:or\s+\w+\s+)?((?:${IDENTIFIER}\s*\.\s*)?${IDENTIFIER})`, 'i'),
  DELETE: new RegExp(String.raw`\bdelete\s+from\s+((?:${IDENTIFIER}\s*\.\s*)?${IDENTIFIER})`, 'i'),
};

/**
 * Summaries by SQL text. A service's statements are the texts its code builds, a bounded set, so this
 * stays small; cleared when it grows past the bound anyway (texts built with sql.raw).
 */
const summaries = new Map<string, StatementSummary>();
const SUMMARY_CACHE_SIZE = 1_000;

/** The kind, keyword and table of a SQL text, for the statement's metric label and span name. */
export function summarizeStatement(sqlText: string): StatementSummary {
  const cached = summaries.get(sqlText);
  if (cached) return cached;
  const summary = readSummary(sqlText);
  if (summaries.size >= SUMMARY_CACHE_SIZE) summaries.clear();
  summaries.set(sqlText, summary);
  return summary;
}

function readSummary(sqlText: string): StatementSummary {
  const text = sqlText.replace(/^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)+/, '');
  let verb = /^[A-Za-z]+/.exec(text)?.[0]?.toUpperCase() ?? 'OTHER';
  let body = text;
  if (verb === 'WITH') {
    const main = findMainStatement(text);
    if (main) {
      verb = main.verb;
      body = text.slice(main.index);
    }
  }
  const operation = OPERATIONS.has(verb as StatementOperation) ? (verb as StatementOperation) : 'OTHER';
  const pattern = TABLE_AFTER[verb];
  const match = pattern ? pattern.exec(body) : null;
  return { operation, verb, table: match?.[1] ? tableName(match[1]) : undefined };
}

/** The statement after a WITH's common table expressions: the first keyword outside parentheses and quotes. */
function findMainStatement(text: string): { verb: string; index: number } | undefined {
  let depth = 0;
  const keyword = /^(select|insert|update|delete)\b/i;
  for (let index = 4; index < text.length; index += 1) {
    const char = text[index];
    if (char === "'" || char === '"') {
      const close = text.indexOf(char, index + 1);
      if (close === -1) return undefined;
      index = close;
    } else if (char === '(') depth += 1;
    else if (char === ')') depth -= 1;
    else if (depth === 0 && /\s/.test(text[index - 1] ?? '')) {
      const match = keyword.exec(text.slice(index, index + 7));
      if (match?.[1]) return { verb: match[1].toUpperCase(), index };
    }
  }
  return undefined;
}

/** `"public"."order_items"` -> `order_items`. */
function tableName(reference: string): string {
  const parts = reference.split(/\s*\.\s*(?=(?:"|`|[A-Za-z_]))/);
  const last = parts[parts.length - 1] ?? reference;
  return /^["`]/.test(last) ? last.slice(1, -1).replace(/""/g, '"') : last;
}
