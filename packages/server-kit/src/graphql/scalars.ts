import { GraphQLScalarType } from 'graphql';
import { DateTimeISOResolver } from 'graphql-scalars';

/**
 * `DateTime`: graphql-scalars' RFC 3339 parsing and validation, serialized to an ISO string in UTC
 * (its plain DateTime scalar hands the Date object on and leaves the string to JSON.stringify).
 * The name and description stay those of each subgraph's schema.graphql.
 */
const DateTime = new GraphQLScalarType({
  name: 'DateTime',
  serialize: DateTimeISOResolver.serialize,
  parseValue: DateTimeISOResolver.parseValue,
  parseLiteral: DateTimeISOResolver.parseLiteral,
});

/** Resolvers for the custom scalars every subgraph declares. */
export const scalarResolvers = { DateTime };
