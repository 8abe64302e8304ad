import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';

export const SUBGRAPHS = ['users', 'products', 'orders'] as const;
export type SubgraphName = (typeof SUBGRAPHS)[number];
export type Dialect = 'sqlite' | 'postgres';

/** The Postgres server the benchmark creates its databases on (user postgres, trust auth, as the dev setup). */
const POSTGRES_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/** Each subgraph's throwaway database: SQLite files in the run's temp dir, or `<prefix>_<service>` on Postgres (prefix supergraph_bench). */
export interface BenchDatabases {
  dialect: Dialect;
  /** The settings that point a subgraph (and its cli) at its database. */
  envOf(name: SubgraphName): Record<string, string>;
  /** Runs one statement on a subgraph's database, `?` placeholders for both dialects; resolves to its rows. */
  query<Row>(name: SubgraphName, sql: string, params?: unknown[]): Promise<Row[]>;
  /** Removes the databases (the temp dir itself is removed by the caller). */
  drop(): Promise<void>;
}

/** The Postgres databases' names start with this: `supergraph_bench_users` and so on. */
export const DATABASE_PREFIX = 'supergraph_bench';

function postgresUrl(database: string): string {
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

/** The drop of every Postgres set created (each runs once, however often called), for a stop on Ctrl-C. */
const drops = new Set<() => Promise<void>>();

/** Drops every database a run created, and waits for a drop already under way. */
export async function dropCreatedDatabases(): Promise<void> {
  for (const drop of [...drops]) await drop();
}

async function withAdmin(work: (client: pg.Client) => Promise<void>): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}

/** Empty databases for a run: a fresh folder for SQLite, or each Postgres database dropped and created again. */
export async function createBenchDatabases(dialect: Dialect, dataDir: string, prefix = DATABASE_PREFIX): Promise<BenchDatabases> {
  mkdirSync(dataDir, { recursive: true });
  const databaseName = (name: SubgraphName) => `${prefix}_${name}`;
  if (dialect === 'sqlite') {
    const query = async <Row>(name: SubgraphName, sql: string, params: unknown[] = []) => {
      const db = new Database(join(dataDir, `${name}.sqlite`));
      try {
        const statement = db.prepare(sql);
        return (statement.reader ? statement.all(...params) : (statement.run(...params), [])) as Row[];
      } finally {
        db.close();
      }
    };
    return { dialect, envOf: () => ({ DATA_DIR: dataDir }), query, drop: async () => {} };
  }
  const recreate = () =>
    withAdmin(async (client) => {
      for (const name of SUBGRAPHS) {
        await client.query(`drop database if exists "${databaseName(name)}" with (force)`);
        await client.query(`create database "${databaseName(name)}"`);
      }
    });
  await recreate();
  let dropping: Promise<void> | undefined;
  const drop = () =>
    (dropping ??= withAdmin(async (client) => {
      for (const name of SUBGRAPHS) await client.query(`drop database if exists "${databaseName(name)}" with (force)`);
    }));
  drops.add(drop);
  return {
    dialect,
    envOf: (name) => ({ [`${name.toUpperCase()}_DATABASE_URL`]: postgresUrl(databaseName(name)) }),
    async query<Row>(name: SubgraphName, sql: string, params: unknown[] = []) {
      const client = new pg.Client({ connectionString: postgresUrl(databaseName(name)) });
      await client.connect();
      try {
        let index = 0;
        const result = await client.query(
          sql.replace(/\?/g, () => `$${++index}`),
          params,
        );
        return result.rows as Row[];
      } finally {
        await client.end();
      }
    },
    drop,
  };
}
