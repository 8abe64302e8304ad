import {
  getArgumentValues,
  getNamedType,
  getNullableType,
  isCompositeType,
  isListType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { omitDefaultFirst } from '@supergraph/server-kit/graphql';

export interface CostOptions {
  /** The page a connection serves when neither `first` nor `last` is given and `first` has no default in the schema. */
  maxPageSize: number;
  /** How many items a list without page arguments (`Order.items`, `categories`) is assumed to hold. Default 10. */
  assumedListSize?: number;
}

/** A page size an operation asks for: the argument (`first` or `last`), its value, and the path of its field. */
export interface PageRequest {
  argument: 'first' | 'last';
  size: number;
  path: string;
}

/** What an operation asks for, with its variables applied. */
export interface OperationMeasure {
  /** Estimated objects resolved, times page and list sizes (see measureOperation). */
  cost: number;
  /** The largest `first` or `last` the operation passes, with the path of the field that passes it; null when none does. */
  largestPage: PageRequest | null;
}

/** Cost of a root mutation field on top of its result, as in the IBM cost spec and Apollo Router's demand control. */
const MUTATION_COST = 10;

/**
 * Estimates what an operation costs to serve, before it is planned, the way Apollo Router's demand
 * control does (after the IBM GraphQL cost directive spec), so that limits carry over to it:
 *
 * - every object (or interface or union) a field returns costs 1, scalars and enums 0, and a root
 *   mutation field 10 more;
 * - a list multiplies what it holds by its size. A field with a `first` or `last` argument is a
 *   connection slice: the `first` or `last` it is given (a literal, a variable, the variable's
 *   default, or the schema's default of `first`, in that order, exactly as execution would resolve
 *   it; the default of `first` gives way to a `last`, as in the subgraphs) sizes the lists directly
 *   inside it (`nodes`, `edges`), or itself when it returns a list; given both, which the subgraph
 *   refuses, the larger. Other lists count `assumedListSize`.
 * - fragments are expanded where they are spread (each distinct fragment is costed once per page
 *   size, so fragments spread many times cost no exponential work); `@skip`/`@include` are ignored,
 *   so the estimate is the most the operation can ask for.
 *
 * `users(first: 100) { nodes { orders(first: 100) { nodes { id } } } }` costs
 * 1 + 100 × (1 + 1 + 100 × 1) = 10,201.
 *
 * `variables` must be coerced already (graphql's getVariableValues), and the document valid.
 */
export function measureOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  { maxPageSize, assumedListSize = 10 }: CostOptions,
): OperationMeasure {
  const rootType = schema.getRootType(operation.operation);
  if (!rootType) return NOTHING;
  const meter = new CostMeter(schema, document, variables, maxPageSize, assumedListSize);
  return meter.measureSelections(operation.selectionSet, rootType, null, '');
}

const NOTHING: OperationMeasure = { cost: 0, largestPage: null };

function larger(a: PageRequest | null, b: PageRequest | null): PageRequest | null {
  return b && (!a || b.size > a.size) ? b : a;
}

/** One operation's measurement: its fragments by name, and each fragment's measure per page size. */
class CostMeter {
  private readonly fragments = new Map<string, FragmentDefinitionNode>();
  private readonly fragmentMeasures = new Map<string, OperationMeasure>();
  private readonly mutationType: GraphQLCompositeType | null | undefined;

  constructor(
    private readonly schema: GraphQLSchema,
    document: DocumentNode,
    private readonly variables: Record<string, unknown>,
    private readonly maxPageSize: number,
    private readonly assumedListSize: number,
  ) {
    for (const definition of document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) this.fragments.set(definition.name.value, definition);
    }
    this.mutationType = schema.getMutationType();
  }

  /**
   * The cost of a selection set resolved once; a caller multiplies by how many times it is resolved.
   * `sliceSize` is the page size of the connection this selection set belongs to, if any.
   */
  measureSelections(
    selectionSet: SelectionSetNode,
    parentType: GraphQLCompositeType,
    sliceSize: number | null,
    path: string,
  ): OperationMeasure {
    let cost = 0;
    let largestPage: OperationMeasure['largestPage'] = null;
    for (const selection of selectionSet.selections) {
      let measure: OperationMeasure;
      if (selection.kind === Kind.FIELD) {
        const field = fieldOf(parentType, selection.name.value);
        if (!field) continue; // __typename and introspection
        const fieldPath = path ? `${path}.${selection.name.value}` : selection.name.value;
        measure = this.measureField(field, selection, parentType, sliceSize, fieldPath);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? this.schema.getType(selection.typeCondition.name.value) : parentType;
        if (!type || !isCompositeType(type)) continue;
        measure = this.measureSelections(selection.selectionSet, type, sliceSize, path);
      } else {
        measure = this.measureFragment(selection.name.value, sliceSize, path);
      }
      cost += measure.cost;
      largestPage = larger(largestPage, measure.largestPage);
    }
    return { cost, largestPage };
  }

  private measureFragment(name: string, sliceSize: number | null, path: string): OperationMeasure {
    const key = `${name}:${sliceSize ?? ''}`;
    const known = this.fragmentMeasures.get(key);
    if (known) return known;
    const fragment = this.fragments.get(name);
    const type = fragment && this.schema.getType(fragment.typeCondition.name.value);
    // Placeholder first, so that a fragment cycle (which validation refuses anyway) cannot recurse forever.
    this.fragmentMeasures.set(key, NOTHING);
    const measure =
      fragment && type && isCompositeType(type) ? this.measureSelections(fragment.selectionSet, type, sliceSize, path) : NOTHING;
    this.fragmentMeasures.set(key, measure);
    return measure;
  }

  private measureField(
    field: GraphQLField<unknown, unknown>,
    node: FieldNode,
    parentType: GraphQLCompositeType,
    sliceSize: number | null,
    path: string,
  ): OperationMeasure {
    const isList = isListType(getNullableType(field.type));
    let largestPage = this.measurePage(field, node, path);
    const pageSize = largestPage?.size ?? null;
    const count = isList ? (pageSize ?? sliceSize ?? this.assumedListSize) : 1;
    const namedType = getNamedType(field.type);
    let cost = isCompositeType(namedType) ? 1 : 0;
    if (parentType === this.mutationType) cost += MUTATION_COST;
    if (node.selectionSet && isCompositeType(namedType)) {
      const children = this.measureSelections(node.selectionSet, namedType, isList ? null : pageSize, path);
      cost += children.cost;
      largestPage = larger(largestPage, children.largestPage);
    }
    return { cost: count * cost, largestPage };
  }

  /** The page a connection field asks for: its larger of `first` and `last`; null for a field that is no connection. */
  private measurePage(field: GraphQLField<unknown, unknown>, node: FieldNode, path: string): PageRequest | null {
    if (!field.args.some((arg) => SLICING_ARGUMENTS.includes(arg.name as PageRequest['argument']))) return null;
    const values = omitDefaultFirst(getArgumentValues(field, node, this.variables), {
      fieldNodes: [node],
      variableValues: this.variables,
    });
    const requests = SLICING_ARGUMENTS.flatMap((argument): PageRequest[] => {
      const size = values[argument];
      return typeof size === 'number' ? [{ argument, size: Math.max(0, size), path }] : [];
    });
    return requests.reduce<PageRequest | null>(larger, null) ?? { argument: 'first', size: this.maxPageSize, path };
  }
}

/** The arguments that size a connection's page. */
const SLICING_ARGUMENTS: readonly PageRequest['argument'][] = ['first', 'last'];

function fieldOf(parentType: GraphQLCompositeType, name: string): GraphQLField<unknown, unknown> | undefined {
  if (name.startsWith('__') || !('getFields' in parentType)) return undefined;
  return parentType.getFields()[name];
}
