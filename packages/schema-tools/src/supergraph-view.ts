import { Supergraph, type Subgraph } from '@apollo/federation-internals';
import type { GraphQLSchema } from 'graphql';

/** A composed supergraph as a schema check sees it: what clients can query, and who serves what. */
export interface SupergraphView {
  /**
   * The API schema: the supergraph without federation's join and link machinery or `@inaccessible`
   * elements, exactly the schema the router exposes to clients.
   */
  apiSchema: GraphQLSchema;
  /**
   * The subgraphs that define a schema element, by its path (`Product`, `Product.sku`,
   * `Query.product.id` for an argument, `OrderStatus.PENDING`), in the supergraph's order.
   * Subgraphs that only reference a field as `@external` do not count. Empty when no subgraph does.
   */
  findOwners(path: string): string[];
}

/**
 * Reads a supergraph SDL (the contents of supergraph.graphql) with Apollo's own federation library,
 * the one composition and the gateway use, so the API schema and the subgraph extraction match what
 * the router serves. Throws when the SDL is not a valid supergraph.
 */
export function createSupergraphView(supergraphSdl: string): SupergraphView {
  const supergraph = Supergraph.build(supergraphSdl);
  const apiSchema = supergraph.apiSchema().toGraphQLJSSchema();
  let subgraphs: readonly Subgraph[] | undefined;
  return {
    apiSchema,
    findOwners(path) {
      // Extracting the subgraphs is the costly part; most checks never ask.
      subgraphs ??= supergraph.subgraphs().values();
      return subgraphs.filter((subgraph) => definesElement(subgraph, path)).map((subgraph) => subgraph.name);
    },
  };
}

function definesElement(subgraph: Subgraph, path: string): boolean {
  const [typeName = '', memberName, argumentName] = path.split('.');
  const type = subgraph.schema.type(typeName);
  if (!type) return false;
  if (memberName === undefined || memberName.startsWith('@')) return true;
  switch (type.kind) {
    case 'ObjectType':
    case 'InterfaceType': {
      const field = type.field(memberName);
      if (!field || subgraph.metadata().isFieldExternal(field)) return false;
      return argumentName === undefined || argumentName.startsWith('@') || field.argument(argumentName) !== undefined;
    }
    case 'InputObjectType':
      return type.field(memberName) !== undefined;
    case 'EnumType':
      return type.value(memberName) !== undefined;
    case 'UnionType':
      return type.members().some((member) => member.type.name === memberName);
    default:
      return true;
  }
}
