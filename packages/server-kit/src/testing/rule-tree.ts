import type { Viewer } from '@supergraph/contracts/identity';
import { execute, isIntrospectionType, isObjectType, parse, type GraphQLSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { applyPermissions, type PermissionRules } from '../auth/authorization.js';

/**
 * Every `Type.field` of the schema's object types that a permission rule tree does not name: what
 * keeps "an explicit rule for every field" true as a schema grows.
 */
export function findFieldsWithoutRule(schema: GraphQLSchema, rules: Record<string, Record<string, unknown>>): string[] {
  return Object.values(schema.getTypeMap())
    .filter((type) => isObjectType(type) && !isIntrospectionType(type))
    .flatMap((type) => Object.keys((type as { getFields(): object }).getFields()).map((field) => [type.name, field] as const))
    .filter(([type, field]) => !Object.hasOwn(rules[type] ?? {}, field))
    .map(([type, field]) => `${type}.${field}`);
}

/**
 * The tests every subgraph's rule tree must pass: it names every field of every object type
 * (federation fields included, no wildcards), a field it does not name is refused with
 * UNAUTHENTICATED or FORBIDDEN, and the completeness check would notice a field left out.
 */
export function describeRuleTree({
  subgraph,
  buildSchema,
  rules,
  signedIn,
  sampleField: [sampleType, sampleName],
}: {
  subgraph: string;
  /** The subgraph's schema, as served. */
  buildSchema: () => GraphQLSchema;
  rules: PermissionRules;
  /** Any signed-in viewer, to see the FORBIDDEN refusal. */
  signedIn: Viewer;
  /** A field the completeness check is shown to catch when its rule is removed. */
  sampleField: readonly [type: string, field: string];
}): void {
  describe(`the ${subgraph} permissions`, () => {
    it('name a rule for every field of every object type, federation fields included, with no wildcards', () => {
      expect(findFieldsWithoutRule(buildSchema(), rules)).toEqual([]);
      expect(Object.values(rules).flatMap((fields) => Object.keys(fields))).not.toContain('*');
      expect(rules.Query).toHaveProperty('_entities');
      expect(rules.Query).toHaveProperty('_service');
      expect(rules._Service).toHaveProperty('sdl');
    });

    it('denies a field the tree does not name: UNAUTHENTICATED when anonymous, FORBIDDEN when signed in', async () => {
      const { _Service: _unnamed, ...withoutServiceFields } = rules;
      const schema = applyPermissions(buildSchema(), withoutServiceFields);
      const codesFor = async (viewer: Viewer | null) =>
        (await execute({ schema, document: parse('{ _service { sdl } }'), contextValue: { viewer } })).errors?.map(
          (error) => error.extensions.code,
        );
      expect(await codesFor(null)).toEqual(['UNAUTHENTICATED']);
      expect(await codesFor(signedIn)).toEqual(['FORBIDDEN']);
    });

    it('would catch a field added to the schema without a rule', () => {
      const { [sampleName]: _removed, ...rest } = rules[sampleType] ?? {};
      expect(findFieldsWithoutRule(buildSchema(), { ...rules, [sampleType]: rest })).toEqual([`${sampleType}.${sampleName}`]);
    });
  });
}
