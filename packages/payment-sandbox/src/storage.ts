import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

export type ChargeStatus = 'succeeded' | 'failed';

/** A charge as the sandbox keeps it. Amounts are integer minor units; times are ms since the epoch. */
export interface ChargeRecord {
  id: string;
  amount: number;
  amountRefunded: number;
  /** Lower-case ISO 4217, as Stripe writes it. */
  currency: string;
  status: ChargeStatus;
  description: string | null;
  metadata: Record<string, string>;
  failureCode: string | null;
  failureMessage: string | null;
  createdAt: number;
}

export interface RefundRecord {
  id: string;
  chargeId: string;
  amount: number;
  currency: string;
  metadata: Record<string, string>;
  createdAt: number;
}

/** The first answer given to an idempotency key, replayed to every retry with that key. */
export interface StoredResponse {
  key: string;
  /** Hash of the method, path and parameters of the request that first used the key. */
  fingerprint: string;
  status: number;
  body: unknown;
  createdAt: number;
}

export interface SandboxStorage {
  insertCharge(charge: ChargeRecord): void;
  findCharge(id: string): ChargeRecord | undefined;
  /** Newest first; with `orderId`, only charges whose metadata.orderId is that id. */
  listCharges(filter: { orderId?: string; limit: number }): ChargeRecord[];
  /** Records a refund and adds its amount to the charge's amount_refunded. */
  insertRefund(refund: RefundRecord): void;
  /** The response stored for `key`, unless it was stored before `notBefore` (expired). */
  findStoredResponse(key: string, notBefore: number): StoredResponse | undefined;
  saveStoredResponse(response: StoredResponse): void;
  /** Deletes stored responses older than `before`; returns how many. */
  pruneStoredResponses(before: number): number;
  /** Runs `work` in one SQLite transaction: a charge and the response that reports it are written together. */
  transaction<T>(work: () => T): T;
  close(): void;
}

const SCHEMA_VERSION = 1;

// The sandbox stands in for a third party's storage: three tables, written by this file only, no
// second dialect, so a versioned CREATE script replaces drizzle and migrations (see decision record).
const SCHEMA = `
  create table charges (
    id text primary key,
    amount integer not null check (amount > 0),
    amount_refunded integer not null default 0 check (amount_refunded between 0 and amount),
    currency text not null,
    status text not null check (status in ('succeeded', 'failed')),
    description text,
    metadata text not null,
    order_id text generated always as (json_extract(metadata, '$.orderId')) virtual,
    failure_code text,
    failure_message text,
    created_at integer not null
  );
  create index charges_order_id on charges (order_id, created_at);
  create index charges_created_at on charges (created_at);
  create table refunds (
    id text primary key,
    charge_id text not null references charges (id),
    amount integer not null check (amount > 0),
    currency text not null,
    metadata text not null,
    created_at integer not null
  );
  create index refunds_charge_id on refunds (charge_id);
  create table idempotency_keys (
    key text primary key,
    fingerprint text not null,
    status integer not null,
    body text not null,
    created_at integer not null
  );
  create index idempotency_keys_created_at on idempotency_keys (created_at);
`;

interface ChargeRow {
  id: string;
  amount: number;
  amount_refunded: number;
  currency: string;
  status: ChargeStatus;
  description: string | null;
  metadata: string;
  failure_code: string | null;
  failure_message: string | null;
  created_at: number;
}

interface StoredResponseRow {
  key: string;
  fingerprint: string;
  status: number;
  body: string;
  created_at: number;
}

const toCharge = (row: ChargeRow): ChargeRecord => ({
  id: row.id,
  amount: row.amount,
  amountRefunded: row.amount_refunded,
  currency: row.currency,
  status: row.status,
  description: row.description,
  metadata: JSON.parse(row.metadata) as Record<string, string>,
  failureCode: row.failure_code,
  failureMessage: row.failure_message,
  createdAt: row.created_at,
});

/**
 * Opens (creating when missing) the sandbox's SQLite file, or an in-memory database for `:memory:`.
 * WAL and foreign keys on, every statement prepared once. One connection: better-sqlite3 is
 * synchronous and the sandbox never awaits inside a transaction, so writes cannot interleave.
 */
export function openSandboxStorage(file: string): SandboxStorage {
  const db = openSandboxDatabase(file);
  const statements = prepareStatements(db);
  return {
    insertCharge: (charge) => {
      statements.insertCharge.run({ ...charge, metadata: JSON.stringify(charge.metadata) });
    },
    findCharge: (id) => {
      const row = statements.findCharge.get(id);
      return row && toCharge(row);
    },
    listCharges: ({ orderId, limit }) =>
      (orderId === undefined ? statements.listCharges.all(limit) : statements.listChargesForOrder.all(orderId, limit)).map(
        toCharge,
      ),
    insertRefund: (refund) => {
      statements.insertRefund.run({ ...refund, metadata: JSON.stringify(refund.metadata) });
      statements.addRefundedAmount.run(refund.amount, refund.chargeId);
    },
    findStoredResponse: (key, notBefore) => {
      const row = statements.findStoredResponse.get(key, notBefore);
      return (
        row && {
          key: row.key,
          fingerprint: row.fingerprint,
          status: row.status,
          body: JSON.parse(row.body),
          createdAt: row.created_at,
        }
      );
    },
    saveStoredResponse: (response) => {
      statements.saveStoredResponse.run({ ...response, body: JSON.stringify(response.body) });
    },
    pruneStoredResponses: (before) => statements.pruneStoredResponses.run(before).changes,
    transaction: (work) => db.transaction(work)(),
    close: () => db.close(),
  };
}

function openSandboxDatabase(file: string): Database.Database {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version === 0) {
    db.transaction(() => {
      db.exec(SCHEMA);
      db.pragma(`user_version = ${SCHEMA_VERSION}`);
    })();
  } else if (version !== SCHEMA_VERSION) {
    db.close();
    throw new Error(
      `${file} holds payment sandbox data of schema version ${version}; this sandbox reads version ${SCHEMA_VERSION}`,
    );
  }

  return db;
}

/** Every statement the sandbox runs, prepared once. */
function prepareStatements(db: Database.Database) {
  return {
    insertCharge: db.prepare(
      `insert into charges (id, amount, amount_refunded, currency, status, description, metadata, failure_code, failure_message, created_at)
       values (@id, @amount, @amountRefunded, @currency, @status, @description, @metadata, @failureCode, @failureMessage, @createdAt)`,
    ),
    findCharge: db.prepare<[string], ChargeRow>('select * from charges where id = ?'),
    listCharges: db.prepare<[number], ChargeRow>('select * from charges order by created_at desc, rowid desc limit ?'),
    listChargesForOrder: db.prepare<[string, number], ChargeRow>(
      'select * from charges where order_id = ? order by created_at desc, rowid desc limit ?',
    ),
    insertRefund: db.prepare(
      `insert into refunds (id, charge_id, amount, currency, metadata, created_at)
       values (@id, @chargeId, @amount, @currency, @metadata, @createdAt)`,
    ),
    addRefundedAmount: db.prepare<[number, string]>('update charges set amount_refunded = amount_refunded + ? where id = ?'),
    findStoredResponse: db.prepare<[string, number], StoredResponseRow>(
      'select * from idempotency_keys where key = ? and created_at >= ?',
    ),
    saveStoredResponse: db.prepare(
      `insert into idempotency_keys (key, fingerprint, status, body, created_at) values (@key, @fingerprint, @status, @body, @createdAt)
       on conflict (key) do update set fingerprint = excluded.fingerprint, status = excluded.status, body = excluded.body,
         created_at = excluded.created_at`,
    ),
    pruneStoredResponses: db.prepare<[number]>('delete from idempotency_keys where created_at < ?'),
  };
}
