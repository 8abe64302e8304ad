import type { DatabaseLocation, Dialect } from '@supergraph/server-kit/db';
import { createScratchDatabase, type ScratchDatabase } from '@supergraph/server-kit/testing';
import { runDatabaseCommand } from './processes.js';
import { SUBGRAPHS, type SubgraphName } from './stack-services.js';

/** Each subgraph's throwaway database (its own temp SQLite file, or its own Postgres database) for one stack. */
export interface StackDatabases {
  /**
   * Creates each subgraph's database, then runs every subgraph's `setup` command (migrate and seed,
   * with `seedArgs`) at once, with the settings `envOf` gives. Resolves to where each database is.
   */
  create(
    dialect: Dialect,
    seedArgs: string[],
    envOf: (name: SubgraphName, location: DatabaseLocation) => Record<string, string>,
  ): Promise<Record<SubgraphName, DatabaseLocation>>;
  /** Drops every database created so far (also after a create() that failed half-way); resolves to how each drop went. */
  drop(): Promise<PromiseSettledResult<void>[]>;
}

export function createStackDatabases(): StackDatabases {
  const scratch: Partial<Record<SubgraphName, ScratchDatabase>> = {};
  return {
    async create(dialect, seedArgs, envOf) {
      // One after the other, so that each one made is in `scratch` for drop() when a later one fails.
      for (const name of SUBGRAPHS) scratch[name] = await createScratchDatabase(name, dialect);
      const locations = Object.fromEntries(SUBGRAPHS.map((name) => [name, scratch[name]!.location])) as Record<
        SubgraphName,
        DatabaseLocation
      >;
      await Promise.all(SUBGRAPHS.map((name) => runDatabaseCommand(name, ['setup', ...seedArgs], envOf(name, locations[name]))));
      return locations;
    },
    drop: () => Promise.allSettled(Object.values(scratch).map((database) => database.drop())),
  };
}
