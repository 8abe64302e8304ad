import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '@supergraph/server-kit/settings';
import {
  buildSchema,
  getArgumentValues,
  getNamedType,
  getNullableType,
  getOperationAST,
  getVariableValues,
  isCompositeType,
  isListType,
  Kind,
  parse,
  print,
  valueFromASTUntyped,
  type DocumentNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  CatalogPageDocument,
  CategoriesDocument,
  CheckoutDocument,
  OrderDetailsDocument,
  OrderHistoryDocument,
  ProductDetailsDocument,
  UserOrdersDocument,
} from '../../operations/__generated__/graphql.js';
import { measureOperation } from '../src/operation-cost.js';

// The subgraphs declare @listSize (demand control, cost spec v0.1) so that Apollo Router and Hive
// Gateway estimate cost as our router does (decision 022). Here a second estimator reads only those
// directives from the committed supergraph, as those routers do, and must agree with operation-cost.ts.

const supergraph = buildSchema(readFileSync(join(REPO_ROOT, 'supergraph.graphql'), 'utf8'), { assumeValidSDL: true });
const api = buildSchema(readFileSync(join(REPO_ROOT, 'api-schema.graphql'), 'utf8'));
/** The list size both routers are configured with for a list without @listSize (our assumedListSize, Hive's listSize). */
const DEFAULT_LIST_SIZE = 10;
/** The weight of a root mutation field, the cost spec's default and operation-cost.ts's MUTATION_COST. */
const MUTATION_WEIGHT = 10;

interface ListSize {
  assumedSize?: number;
  slicingArguments?: string[];
  sizedFields?: string[];
}

function listSizeOf(type: GraphQLCompositeType, field: string): ListSize | undefined {
  const node = 'getFields' in type ? type.getFields()[field]?.astNode : undefined;
  const directive = node?.directives?.find((candidate) => candidate.name.value === 'listSize');
  if (!directive) return undefined;
  return Object.fromEntries(directive.arguments!.map((arg) => [arg.name.value, valueFromASTUntyped(arg.value)]));
}

/** The cost spec's static estimate over the supergraph's directives: objects 1, lists by @listSize. */
function estimate(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown>): number {
  const fragments = new Map(
    document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d]] : [])),
  );
  const selections = (set: SelectionSetNode, parent: GraphQLCompositeType, sized: Map<string, number>): number =>
    set.selections.reduce((sum, selection) => {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition
          ? (schema.getType(selection.typeCondition.name.value) as GraphQLCompositeType)
          : parent;
        return sum + selections(selection.selectionSet, type, sized);
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value)!;
        return (
          sum +
          selections(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value) as GraphQLCompositeType, sized)
        );
      }
      const field = 'getFields' in parent ? parent.getFields()[selection.name.value] : undefined;
      if (!field) return sum;
      const listSize = listSizeOf(parent, field.name);
      const given = (listSize?.slicingArguments ?? []).flatMap((name) => {
        const isGiven = selection.arguments?.some((arg) => arg.name.value === name);
        const value = isGiven ? getArgumentValues(field, selection, variables)[name] : undefined;
        return typeof value === 'number' ? [value] : [];
      });
      const slice = given.length > 0 ? Math.max(...given) : listSize?.slicingArguments ? listSize.assumedSize : undefined;
      const childSizes = new Map((listSize?.sizedFields ?? []).map((name) => [name, slice ?? DEFAULT_LIST_SIZE]));
      const isList = isListType(getNullableType(field.type));
      const count = isList ? (sized.get(field.name) ?? listSize?.assumedSize ?? DEFAULT_LIST_SIZE) : 1;
      const named = getNamedType(field.type);
      const own = (isCompositeType(named) ? 1 : 0) + (parent === schema.getMutationType() ? MUTATION_WEIGHT : 0);
      const children =
        selection.selectionSet && isCompositeType(named) ? selections(selection.selectionSet, named, childSizes) : 0;
      return sum + count * (own + children);
    }, 0);
  const operation = getOperationAST(document)!;
  return selections(operation.selectionSet, schema.getRootType(operation.operation)!, new Map());
}

function bothCosts(text: string, variables: Record<string, unknown> = {}) {
  const document = parse(text);
  const operation = getOperationAST(document)!;
  const { coerced } = getVariableValues(api, operation.variableDefinitions ?? [], variables);
  return {
    router: measureOperation(api, document, operation, coerced!, { maxPageSize: 100 }).cost,
    directives: estimate(supergraph, document, coerced!),
  };
}

describe('@listSize in the supergraph and the router’s cost estimate', () => {
  it.each([
    ['UserOrders', print(UserOrdersDocument), { userId: '1' }],
    ['UserOrders, full pages', print(UserOrdersDocument), { userId: '1', first: 100 }],
    ['CatalogPage', print(CatalogPageDocument), {}],
    ['CatalogPage, full page', print(CatalogPageDocument), { first: 100 }],
    ['Categories', print(CategoriesDocument), {}],
    ['Categories, full pages', print(CategoriesDocument), { productsPerCategory: 100 }],
    ['OrderDetails', print(OrderDetailsDocument), { orderId: '1' }],
    ['OrderHistory', print(OrderHistoryDocument), {}],
    ['ProductDetails', print(ProductDetailsDocument), { id: '1' }],
    ['Checkout', print(CheckoutDocument), { items: [], idempotencyKey: 'k', paymentToken: 't' }],
    ['schema defaults, no page size given', '{ users { nodes { id orders { edges { node { id items { quantity } } } } } } }', {}],
    ['a backward page', '{ products(last: 7) { nodes { id } edges { cursor } } categories { id } }', {}],
    ['nested full pages', '{ users(first: 100) { nodes { orders(first: 100) { nodes { id statusHistory { status } } } } } }', {}],
  ])('agree on %s', (_name, text, variables) => {
    const { router, directives } = bothCosts(text, variables);

    expect(directives).toBe(router);
  });

  it('size every field with `first` and `last` by them, and every other list by DEFAULT_LIST_SIZE, as the router does', () => {
    for (const type of Object.values(api.getTypeMap())) {
      if (type.name.startsWith('__') || !('getFields' in type) || !isCompositeType(type)) continue;
      for (const field of Object.values(type.getFields())) {
        const listSize = listSizeOf(supergraph.getType(type.name) as GraphQLCompositeType, field.name);
        const isConnection = field.args.some((arg) => arg.name === 'first');
        if (isConnection) {
          expect({ field: `${type.name}.${field.name}`, ...listSize }).toEqual({
            field: `${type.name}.${field.name}`,
            slicingArguments: ['first', 'last'],
            sizedFields: ['edges', 'nodes'],
            requireOneSlicingArgument: false,
            assumedSize: field.args.find((arg) => arg.name === 'first')!.defaultValue,
          });
        } else if (isListType(getNullableType(field.type)) && listSize) {
          expect({ field: `${type.name}.${field.name}`, assumedSize: listSize.assumedSize }).toEqual({
            field: `${type.name}.${field.name}`,
            assumedSize: DEFAULT_LIST_SIZE,
          });
        }
      }
    }
  });
});
