import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { composeSubgraphSchemas, composeSupergraph, formatCompositionReport, type SubgraphSchema } from '../src/index.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

const federation = (imports: string) =>
  `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: [${imports}])\n`;

describe('composeSupergraph', () => {
  it('composes a valid config into a supergraph that joins both subgraphs', async () => {
    const result = await composeSupergraph(`${fixtures}valid/supergraph.yaml`);

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.hints).toEqual([]);
    expect(result.supergraphSdl).toContain('PRODUCTS @join__graph(name: "products", url: "http://localhost:4102/graphql")');
    expect(result.supergraphSdl).toContain('REVIEWS @join__graph(name: "reviews", url: "http://localhost:4105/graphql")');
    expect(result.supergraphSdl).toContain('reviews: [Review!]! @join__field(graph: REVIEWS)');
  });

  it('reports a field defined in two subgraphs without @shareable with both subgraphs, the coordinate and file positions', async () => {
    const result = await composeSupergraph(`${fixtures}field-sharing/supergraph.yaml`);

    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([
      {
        severity: 'error',
        code: 'INVALID_FIELD_SHARING',
        message: expect.stringContaining('Non-shareable field "Product.name" is resolved from multiple subgraphs'),
        subgraphs: ['products', 'reviews'],
        coordinate: 'Product.name',
        locations: [
          { subgraph: 'products', file: `${fixtures}field-sharing/products.graphql`, line: 10, column: 3 },
          { subgraph: 'reviews', file: `${fixtures}field-sharing/reviews.graphql`, line: 6, column: 3 },
        ],
      },
    ]);
  });
});

describe('formatCompositionReport', () => {
  it('renders one block per error with code, subgraphs, coordinate, file:line:column and message', async () => {
    const result = await composeSupergraph(`${fixtures}field-sharing/supergraph.yaml`);

    expect(formatCompositionReport(result, { cwd: fixtures })).toBe(
      [
        'error INVALID_FIELD_SHARING',
        '  subgraphs:  products, reviews',
        '  coordinate: Product.name',
        '  location:   field-sharing/products.graphql:10:3 (products)',
        '  location:   field-sharing/reviews.graphql:6:3 (reviews)',
        '  Non-shareable field "Product.name" is resolved from multiple subgraphs: it is resolved from subgraphs "products" and "reviews" and defined as non-shareable in all of them',
        '',
        'composition failed: 1 error',
        '',
      ].join('\n'),
    );
  });

  it('renders hints with their code and coordinate', () => {
    const result = composeSubgraphSchemas([
      {
        name: 'a',
        url: 'http://a',
        sdl: `${federation('"@shareable"')}type Query {\n  "Greeting."\n  hello: String @shareable\n}`,
      },
      {
        name: 'b',
        url: 'http://b',
        sdl: `${federation('"@shareable"')}type Query {\n  "A greeting."\n  hello: String @shareable\n}`,
      },
    ]);

    expect(result.ok).toBe(true);
    expect(formatCompositionReport(result)).toMatch(
      /^warning INCONSISTENT_DESCRIPTION\n {2}subgraphs: {2}a, b\n {2}coordinate: Query\.hello\n {2}location: {3}line 3, column 3 \(a\)\n {2}location: {3}line 3, column 3 \(b\)\n {2}Element "Query\.hello" has inconsistent descriptions/,
    );
  });
});

describe('composeSubgraphSchemas', () => {
  it('composes a proposed subgraph schema against the current others, locating errors in the proposal', async () => {
    const current = await readSubgraphSchemasFrom('valid');
    const proposal = current.map((subgraph) =>
      subgraph.name === 'reviews'
        ? {
            ...subgraph,
            sdl: subgraph.sdl.replace('reviews: [Review!]!', 'name: String!\n  reviews: [Review!]!'),
            file: 'proposed/reviews.graphql',
          }
        : subgraph,
    );

    const result = composeSubgraphSchemas(proposal);

    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map(({ code, coordinate, subgraphs }) => ({ code, coordinate, subgraphs }))).toEqual([
      { code: 'INVALID_FIELD_SHARING', coordinate: 'Product.name', subgraphs: ['products', 'reviews'] },
    ]);
    expect(result.errors[0]?.locations).toContainEqual({
      subgraph: 'reviews',
      file: 'proposed/reviews.graphql',
      line: 6,
      column: 3,
    });
  });

  it('reports a syntax error with the subgraph and its position instead of throwing', () => {
    const result = composeSubgraphSchemas([
      {
        name: 'products',
        url: 'http://products',
        sdl: 'type Query {\n  product(id: ID!): \n}\n',
        file: '/repo/products.graphql',
      },
    ]);

    expect(result).toEqual({
      ok: false,
      errors: [
        {
          severity: 'error',
          code: 'INVALID_GRAPHQL',
          message: 'Syntax Error: Expected Name, found "}".',
          subgraphs: ['products'],
          locations: [{ subgraph: 'products', file: '/repo/products.graphql', line: 3, column: 1 }],
        },
      ],
    });
  });

  it('names the field around an unknown type and moves the [subgraph] prefix out of the message', () => {
    const result = composeSubgraphSchemas([
      {
        name: 'products',
        url: 'http://products',
        sdl: `${federation('"@key"')}type Query {\n  product: Product\n}\ntype Product {\n  id: ID!\n  price: Mony\n}`,
      },
    ]);

    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([
      {
        severity: 'error',
        code: 'INVALID_GRAPHQL',
        message: 'Unknown type Mony',
        subgraphs: ['products'],
        coordinate: 'Product.price',
        locations: [{ subgraph: 'products', line: 7, column: 10 }],
      },
    ]);
  });
});

async function readSubgraphSchemasFrom(fixture: string): Promise<SubgraphSchema[]> {
  return Promise.all(
    ['products', 'reviews'].map(async (name) => {
      const file = `${fixtures}${fixture}/${name}.graphql`;
      return { name, url: `http://${name}`, sdl: await readFile(file, 'utf8'), file };
    }),
  );
}
