import { buildSubgraphSchema } from '@apollo/subgraph';
import { Kind, parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findUnstorableString } from '../src/graphql/string-arguments.js';
import { createGraphQLService, type GraphQLService } from '../src/http/graphql-service.js';
import { createLogger } from '../src/telemetry/logger.js';
import { createMetrics } from '../src/telemetry/metrics.js';

const calls: unknown[] = [];
const record = (_: unknown, args: unknown) => {
  calls.push(args);
  return 'ok';
};
const schema = buildSubgraphSchema([
  {
    typeDefs: parse(`#graphql
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
    scalar JSON
    directive @tag(name: String) on FIELD
    input LineInput { productId: ID! quantity: Int! }
    input OrderInput { note: String, items: [LineInput!]!, meta: JSON }
    type Product @key(fields: "id") { id: ID! name: String }
    type Query { search(text: String, first: Int): String product(id: ID!): Product }
    type Mutation { order(input: OrderInput!): String }
  `),
    resolvers: {
      Query: { search: record, product: (_: unknown, { id }: { id: string }) => ({ id, name: 'p' }) },
      Mutation: { order: record },
      Product: { __resolveReference: ({ id }: { id: string }) => ({ id, name: 'p' }) },
    },
  },
]);

/** findUnstorableString over an operation text, as Apollo Server would call it. */
function find(text: string, variables: Record<string, unknown> = {}, operationName?: string) {
  const document = parse(text);
  const operation = document.definitions.find(
    (definition) =>
      definition.kind === Kind.OPERATION_DEFINITION && (operationName === undefined || definition.name?.value === operationName),
  );
  if (operation?.kind !== Kind.OPERATION_DEFINITION) throw new Error('no such operation');
  return findUnstorableString(schema, document, operation, variables);
}

// In the operation texts below `\\u0000` is GraphQL's own escape: the parsed literal holds U+0000.
describe('findUnstorableString', () => {
  it('finds a NUL in a literal argument', () => {
    expect(find('{ search(text: "shoe\\u0000") }')).toEqual({ argumentName: 'text', problem: 'NUL' });
  });

  it('finds a NUL in a variable, an ID and a list of input objects, naming the path inside the argument', () => {
    expect(find('query ($id: ID!) { product(id: $id) { id } }', { id: 'p\u0000' })).toEqual({
      argumentName: 'id',
      problem: 'NUL',
    });
    const order = 'mutation ($input: OrderInput!) { order(input: $input) }';
    const items = [
      { productId: 'p1', quantity: 1 },
      { productId: 'p2\u0000', quantity: 1 },
    ];
    expect(find(order, { input: { items } })).toEqual({ argumentName: 'input.items[1].productId', problem: 'NUL' });
    expect(find('mutation { order(input: { items: [{ productId: "\\u0000", quantity: 1 }] }) }')).toEqual({
      argumentName: 'input.items[0].productId',
      problem: 'NUL',
    });
  });

  it('finds a NUL inside a custom scalar of any shape, _entities representations included', () => {
    const order = 'mutation ($meta: JSON) { order(input: { items: [], meta: $meta }) }';
    expect(find(order, { meta: { tags: ['a', { label: 'b\u0000' }] } })).toEqual({
      argumentName: 'input.meta.tags[1].label',
      problem: 'NUL',
    });
    const entities = 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Product { name } } }';
    expect(find(entities, { r: [{ __typename: 'Product', id: 'p\u0000' }] })).toEqual({
      argumentName: 'representations[0].id',
      problem: 'NUL',
    });
  });

  it('walks JSON nested deeper than the call stack without overflowing', () => {
    let meta: unknown = 'bottom\u0000';
    for (let depth = 0; depth < 200_000; depth++) meta = [meta];
    const found = find('mutation ($meta: JSON) { order(input: { items: [], meta: $meta }) }', { meta });
    expect(found?.problem).toBe('NUL');
  });

  it('finds a NUL in fragments, variable defaults and directive arguments', () => {
    expect(find('query { ...Q } fragment Q on Query { search(text: "\\u0000") }')).toEqual({
      argumentName: 'text',
      problem: 'NUL',
    });
    expect(find('query ($t: String = "x\\u0000") { ... on Query { search(text: $t) } }')).toEqual({
      argumentName: 'text',
      problem: 'NUL',
    });
    expect(find('{ search @tag(name: "\\u0000") }')).toEqual({ argumentName: 'name', problem: 'NUL' });
  });

  it('finds a lone surrogate, which JSON parsing keeps, and lets a well-formed pair through', () => {
    const search = 'query ($t: String) { search(text: $t) }';
    expect(find(search, { t: JSON.parse('"a\\ud800b"') })).toEqual({ argumentName: 'text', problem: 'LONE_SURROGATE' });
    expect(find(search, { t: 'end\udc00' })).toEqual({ argumentName: 'text', problem: 'LONE_SURROGATE' });
    expect(find(search, { t: 'a \ud83d\udc5f shoe, é, \uFFFD' })).toBeUndefined();
  });

  it('reads only the operation that runs, and leaves variables that do not fit their types to execution', () => {
    const document = 'query Clean { search(text: "ok") } query Dirty { search(text: "\\u0000") }';
    expect(find(document, {}, 'Clean')).toBeUndefined();
    expect(find(document, {}, 'Dirty')).toEqual({ argumentName: 'text', problem: 'NUL' });
    expect(find('query ($n: Int) { search(first: $n) }', { n: 'x\u0000' })).toBeUndefined();
    expect(find('query ($t: String) { search(text: $t, first: 3) }', { t: 'plain' })).toBeUndefined();
  });

  it('judges each request by its own variables when the same parsed document comes again', () => {
    const document = parse('query ($t: String) { search(text: $t) }');
    const [operation] = document.definitions;
    if (operation?.kind !== Kind.OPERATION_DEFINITION) throw new Error('no operation');
    expect(findUnstorableString(schema, document, operation, { t: 'clean' })).toBeUndefined();
    expect(findUnstorableString(schema, document, operation, { t: 'dirty\u0000' })).toEqual({
      argumentName: 'text',
      problem: 'NUL',
    });
    expect(findUnstorableString(schema, document, operation, { t: 'clean again' })).toBeUndefined();
  });

  it("finds a NUL in the schema's own argument defaults", () => {
    const withDefault = buildSubgraphSchema([
      {
        typeDefs: parse(`#graphql
        input Filter { label: String = "x\\u0000" }
        type Query { search(text: String = "y\\u0000"): String, filtered(filter: Filter!): String }
      `),
        resolvers: { Query: { search: record, filtered: record } },
      },
    ]);
    const run = (text: string) => {
      const document = parse(text);
      const [operation] = document.definitions;
      if (operation?.kind !== Kind.OPERATION_DEFINITION) throw new Error('no operation');
      return findUnstorableString(withDefault, document, operation, {});
    };
    expect(run('{ search }')).toEqual({ argumentName: 'text', problem: 'NUL' });
    expect(run('{ filtered(filter: {}) }')).toEqual({ argumentName: 'filter.label', problem: 'NUL' });
    expect(run('{ search(text: "fine") }')).toBeUndefined();
  });
});

describe('every service built on createGraphQLService', () => {
  let service: GraphQLService;
  let url: string;
  beforeAll(async () => {
    service = await createGraphQLService({
      name: 'kit-strings',
      logger: createLogger({ service: 'kit-strings', level: 'silent' }),
      metrics: createMetrics('kit-strings'),
      isProduction: true,
      graphql: { schema },
      context: async () => ({}),
    });
    url = await service.listen(0, '127.0.0.1');
  });
  afterAll(() => service.close());

  const post = async (query: string, variables: Record<string, unknown> = {}) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, body: await response.json() };
  };

  it('answers 400 BAD_USER_INPUT naming the argument, and no resolver runs', async () => {
    const before = calls.length;
    const variables = { input: { note: 'gift\u0000', items: [] } };
    expect(await post('mutation ($input: OrderInput!) { order(input: $input) }', variables)).toEqual({
      status: 400,
      body: {
        errors: [
          {
            message: 'input.note must not contain the NUL character (U+0000).',
            extensions: { code: 'BAD_USER_INPUT', argumentName: 'input.note' },
          },
        ],
      },
    });
    const literal = await post('{ search(text: "\\ud800") }');
    expect(literal.status).toBe(400);
    expect(literal.body).toMatchObject({ errors: [{ extensions: { code: 'GRAPHQL_PARSE_FAILED' } }] });
    const variable = await post('query ($t: String) { search(text: $t) }', { t: 'x\ud800' });
    expect(variable).toMatchObject({
      status: 400,
      body: { errors: [{ extensions: { code: 'BAD_USER_INPUT', argumentName: 'text' } }] },
    });
    expect(calls.length).toBe(before);
  });

  it('serves clean input as before', async () => {
    expect(await post('{ search(text: "shoe \\ud83d\\udc5f") }')).toEqual({ status: 200, body: { data: { search: 'ok' } } });
  });
});
