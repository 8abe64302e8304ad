import { parse, print } from 'graphql';
import { describe, expect, it } from 'vitest';
import { resolveReferences, type ReferenceResolver } from '../src/testing/entity-references.js';
import type { ExecuteResult } from '../src/testing/subgraph-harness.js';

/** A harness that answers every request with `result`, runs `statementsPerRequest` statements, and keeps what it was sent. */
function createRecordingHarness(result: ExecuteResult, statementsPerRequest = 1) {
  const sent: { query: string; variables?: Record<string, unknown>; as?: object }[] = [];
  let statements = 0;
  const harness: ReferenceResolver = {
    async execute(query, variables, as) {
      sent.push({ query, variables, as });
      statements += statementsPerRequest;
      return result;
    },
    async countStatements(run) {
      const before = statements;
      await run();
      return statements - before;
    },
  };
  return { harness, sent };
}

describe('resolveReferences', () => {
  it('asks for every id as a reference in one _entities request and returns the entities with the statements run', async () => {
    const { harness, sent } = createRecordingHarness({ data: { _entities: [{ id: 'a' }, null] } }, 2);
    const viewer = { id: 'admin', role: 'ADMIN' } as const;

    expect(await resolveReferences(harness, 'Product', ['a', 'missing'], { viewer })).toEqual({
      entities: [{ id: 'a' }, null],
      statements: 2,
    });
    expect(sent).toHaveLength(1);
    expect(print(parse(sent[0]!.query))).toBe(
      print(
        parse('query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Product { id } } }'),
      ),
    );
    expect(sent[0]!.variables).toEqual({
      representations: [
        { __typename: 'Product', id: 'a' },
        { __typename: 'Product', id: 'missing' },
      ],
    });
    expect(sent[0]!.as).toEqual({ viewer });
  });

  it('fails when the answer has errors, showing them', async () => {
    const { harness } = createRecordingHarness({ data: { _entities: [null] }, errors: [{ message: 'no access' }] });
    await expect(resolveReferences(harness, 'User', ['b'])).rejects.toThrow(/no access/);
  });
});
