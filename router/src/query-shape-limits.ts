import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { validate, type DocumentNode, type GraphQLError, type GraphQLSchema, type ValidationContext } from 'graphql';
import {
  QueryLimitError,
  QueryTooDeepError,
  TooManyAliasesError,
  TooManyDirectivesError,
  type ShapeLimitErrorClass,
} from './errors.js';

export interface ShapeLimits {
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
}

export interface ShapeLimitsCheck {
  /** The first shape limit a document breaks, or null. Remembered per parsed document. */
  check(schema: GraphQLSchema, document: DocumentNode): QueryLimitError | null;
  /** graphql-armor's Apollo plugins: field-suggestion masking, in production only. */
  plugins: ApolloServerPlugin[];
}

/**
 * Depth, aliases and directives, counted by graphql-armor's rules.
 *
 * Armor's Apollo integration hands its rules to Apollo Server as validation rules, where every
 * refusal becomes GRAPHQL_VALIDATION_FAILED (Apollo Server overwrites the code) with a message that
 * starts "Syntax Error:". So the rules run here instead, with armor's own onReject hook reporting a
 * refusal with our code per rule: this is the one place armor's refusals are mapped. The
 * router calls `check` from a plugin, after Apollo Server's validation and before planning. Armor's
 * cost limit is off (operation-cost.ts replaces it: armor's ignores `first`), and so is its token
 * limit, whose Apollo plugin turns a refusal into a 500 (token-limit.ts replaces it).
 */
export function createShapeLimits(limits: ShapeLimits, { isProduction }: { isProduction: boolean }): ShapeLimitsCheck {
  const reportAs =
    (Refusal: ShapeLimitErrorClass, limit: number) =>
    (context: ValidationContext | null, error: GraphQLError): void => {
      context?.reportError(new Refusal(error.message.replace(/^Syntax Error: /, ''), limit));
    };
  const armor = new ApolloArmor({
    maxDepth: {
      n: limits.maxDepth,
      // Depth counts fields: `...on Product { name }` is not a level of its own.
      flattenFragments: true,
      propagateOnRejection: false,
      onReject: [reportAs(QueryTooDeepError, limits.maxDepth)],
    },
    maxAliases: {
      n: limits.maxAliases,
      propagateOnRejection: false,
      onReject: [reportAs(TooManyAliasesError, limits.maxAliases)],
    },
    maxDirectives: {
      n: limits.maxDirectives,
      propagateOnRejection: false,
      onReject: [reportAs(TooManyDirectivesError, limits.maxDirectives)],
    },
    costLimit: { enabled: false },
    maxTokens: { enabled: false },
    blockFieldSuggestion: { enabled: isProduction },
  }).protect();

  // Apollo Server reuses the parsed document of an operation it has seen, and the shape of a
  // document does not depend on variables or on the caller.
  const verdicts = new WeakMap<DocumentNode, QueryLimitError | null>();
  return {
    // armor's typings name @apollo/server's CommonJS declarations, ours the ESM ones: the same plugin shape.
    plugins: armor.plugins as unknown as ApolloServerPlugin[],
    check(schema, document) {
      const known = verdicts.get(document);
      if (known !== undefined) return known;
      const refusal = validate(schema, document, armor.validationRules).find((error) => error instanceof QueryLimitError);
      const verdict = refusal instanceof QueryLimitError ? refusal : null;
      verdicts.set(document, verdict);
      return verdict;
    },
  };
}
