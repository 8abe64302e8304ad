import { printSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { composeSubgraphSchemas, createSupergraphView } from '../src/index.js';

const link = (imports: string) => `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: [${imports}])\n`;

function composeView() {
  const result = composeSubgraphSchemas([
    {
      name: 'products',
      url: 'http://localhost:4102/graphql',
      sdl: `${link('"@key", "@inaccessible"')}
        type Query { product(id: ID!, locale: String): Product }
        type Product @key(fields: "id") { id: ID! name: String! costPrice: Int @inaccessible availability: Availability! }
        enum Availability { IN_STOCK DISCONTINUED }`,
    },
    {
      name: 'reviews',
      url: 'http://localhost:4105/graphql',
      sdl: `${link('"@key", "@external", "@requires"')}
        type Product @key(fields: "id") { id: ID! name: String! @external reviews: [String!]! @requires(fields: "name") }`,
    },
  ]);
  if (!result.ok) throw new Error(result.errors.map((error) => error.message).join('\n'));
  return createSupergraphView(result.supergraphSdl);
}

describe('createSupergraphView', () => {
  it('gives the API schema clients see: no join or link machinery, no @inaccessible fields', () => {
    const printed = printSchema(composeView().apiSchema);

    expect(printed).toContain(
      'type Product {\n  id: ID!\n  name: String!\n  availability: Availability!\n  reviews: [String!]!\n}',
    );
    expect(printed).not.toMatch(/join__|link__|costPrice/);
  });

  it('finds the subgraphs that define a type, field, argument or enum value, not those that only reference it', () => {
    const view = composeView();

    expect(view.findOwners('Product')).toEqual(['products', 'reviews']);
    expect(view.findOwners('Product.id')).toEqual(['products', 'reviews']);
    expect(view.findOwners('Product.name')).toEqual(['products']);
    expect(view.findOwners('Product.reviews')).toEqual(['reviews']);
    expect(view.findOwners('Query.product.locale')).toEqual(['products']);
    expect(view.findOwners('Availability.DISCONTINUED')).toEqual(['products']);
    expect(view.findOwners('Product.weight')).toEqual([]);
  });
});
