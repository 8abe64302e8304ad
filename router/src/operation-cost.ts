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

export interface CostOptions {
  /** The page a connection serves when `first` is absent and has no default in the schema. */
  maxPageSize: number;
  /** How many items a list without a `first` argument (`Order.items`, `categories`) is assumed to hold. Default 10. */
  assumedListSize?: number;
}

/** What an operation asks for, with its variables applied. */
export interface OperationMeasure {
  /** Estimated objects resolved, times page and list sizes (see measureOperation). */
  cost: number;
  /** The largest `first` the operation passes, with the path of the field that passes it; null when none does. */
  largestPage: { size: number; path: string } | null;
}

/** Cost of a root mutation field on top of its result, as in the IBM cost spec and Apollo Router's demand control. */
const MUTATION_COST = 10;

/**
 * Estimates what an operation costs to serve, before it is planned, the way Apollo Router's demand
 * control does (after the IBM GraphQL cost directive spec), so that limits carry over to it:
 *
 * - every object (or interface or union) a field returns costs 1, scalars and enums 0, and a root
 *   mutation field 10 more;
 * - a list multiplies what it holds by its size. A field with a `first` argument is a connection
 *   slice: the `first` it is given (a literal, a variable, the variable's default, or the schema's
 *   default, in that order, exactly as execution would resolve it) sizes the lists directly inside
 *   it (`nodes`, `edges`), or itself when it returns a list. Other lists count `assumedListSize`.
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

function larger(a: OperationMeasure['largestPage'], b: OperationMeasure['largestPage']) {
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
    let pageSize: number | null = null;
    let largestPage: OperationMeasure['largestPage'] = null;
    if (field.args.some((arg) => arg.name === 'first')) {
      const first = getArgumentValues(field, node, this.variables).first;
      pageSize = typeof first === 'number' ? Math.max(0, first) : this.maxPageSize;
      largestPage = { size: pageSize, path };
    }
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
}

function fieldOf(parentType: GraphQLCompositeType, name: string): GraphQLField<unknown, unknown> | undefined {
  if (name.startsWith('__') || !('getFields' in parentType)) return undefined;
  return parentType.getFields()[name];
}
