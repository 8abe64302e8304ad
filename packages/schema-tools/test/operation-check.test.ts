import { buildSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { validateOperations } from '../src/index.js';

const schema = buildSchema(`#graphql
  type Query {
    products(first: Int, filter: ProductFilter, category: ID!): [Product!]!
  }
  input ProductFilter {
    availability: Availability
    minStock: Int!
  }
  enum Availability {
    IN_STOCK
    BACKORDER
  }
  type Product {
    id: ID!
    name: String!
  }
`);

function validate(text: string) {
  return validateOperations(schema, [{ file: 'operations/Test.graphql', text }]);
}

describe('validateOperations', () => {
  it('names the argument a query does not pass any more', () => {
    const errors = validate('query Catalog {\n  products(filter: { minStock: 1 }) { id }\n}\n');

    expect(errors).toEqual([
      {
        file: 'operations/Test.graphql',
        line: 2,
        column: 3,
        operation: 'Catalog',
        definition: 'query',
        coordinate: 'Query.products(category:)',
        message: 'Field "products" argument "category" of type "ID!" is required, but it was not provided.',
      },
    ]);
  });

  it('names an argument, an enum value and an input field that no longer exist', () => {
    const errors = validate(
      'query Catalog {\n  products(category: "c", after: "x", filter: { availability: DISCONTINUED, minStock: 1, sku: "a" }) { id }\n}\n',
    );

    expect(errors.map((error) => error.coordinate)).toEqual([
      'Query.products(after:)',
      'Availability.DISCONTINUED',
      'ProductFilter.sku',
    ]);
  });

  it('names an input field that became required, and the argument a variable no longer fits', () => {
    const errors = validate('query Catalog($first: String) {\n  products(category: "c", first: $first, filter: {}) { id }\n}\n');

    expect(errors.map((error) => [error.coordinate, error.line, error.column])).toEqual([
      ['ProductFilter.minStock', 2, 50],
      ['Query.products(first:)', 2, 34],
    ]);
  });

  it('names the fragment an error is in, and an unknown type', () => {
    const errors = validate(
      'query Catalog { products(category: "c") { ...Card } }\nfragment Card on Product { sku }\nfragment Old on Variant { id }\n',
    );

    expect(errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ line: 2, column: 28, operation: 'Card', definition: 'fragment', coordinate: 'Product.sku' }),
        expect.objectContaining({ line: 3, column: 17, operation: 'Old', definition: 'fragment', coordinate: 'Variant' }),
      ]),
    );
  });

  it('validates an operation with the fragments it spreads from another file, and reports a fragment error once, where it is written', () => {
    const errors = validateOperations(schema, [
      { file: 'operations/Catalog.graphql', text: 'query Catalog { products(category: "c") { ...Card } }\n' },
      { file: 'operations/Search.graphql', text: 'query Search { products(category: "s") { ...Card name } }\n' },
      {
        file: 'operations/fragments.graphql',
        text: 'fragment Card on Product {\n  id\n  sku\n}\nfragment Spare on Product { id }\n',
      },
    ]);

    expect(errors).toEqual([
      {
        file: 'operations/fragments.graphql',
        line: 3,
        column: 3,
        operation: 'Card',
        definition: 'fragment',
        coordinate: 'Product.sku',
        message: 'Cannot query field "sku" on type "Product".',
      },
    ]);
  });

  it('refuses a spread of a fragment no file defines, and an unused fragment beside an operation', () => {
    const errors = validate('query Catalog { products(category: "c") { ...Missing } }\nfragment Unused on Product { id }\n');

    expect(errors.map((error) => error.message)).toEqual(['Unknown fragment "Missing".', 'Fragment "Unused" is never used.']);
  });

  it('reports a syntax error with its position', () => {
    expect(validate('query Catalog {\n  products(\n}\n')).toEqual([
      {
        file: 'operations/Test.graphql',
        line: 3,
        column: 1,
        operation: null,
        definition: null,
        coordinate: null,
        message: 'Syntax Error: Expected Name, found "}".',
      },
    ]);
  });
});
