import { execute, parse } from 'graphql';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { allow } from 'graphql-shield';
import { describe, expect, it } from 'vitest';
import { applyPermissions, isAuthenticated, isOwnerOrHasRole, type PermissionRules } from '../src/auth/authorization.js';
import { BadUserInputError } from '../src/graphql/errors.js';

interface Note {
  id: string;
  ownerId: string;
  text: string;
}

const notes: Note[] = [
  { id: 'n1', ownerId: 'alice', text: 'alice writes' },
  { id: 'n2', ownerId: 'bob', text: 'bob writes' },
];

const typeDefs = parse(/* GraphQL */ `
  type Query {
    notes: [Note!]!
    mine: [Note!]!
    broken: String
    unnamed: String
  }
  type Note {
    id: ID!
    text: String
    secret: String
  }
`);

const isNoteOwnerOrAdmin = isOwnerOrHasRole('test/isNoteOwnerOrAdmin', {
  ownerIdOf: (note: Note) => note.ownerId,
  role: 'ADMIN',
  message: 'Only your own notes.',
});

// Note.secret and Query.unnamed have no rule: denied.
const rules: PermissionRules = {
  Query: { notes: allow, mine: isAuthenticated, broken: allow },
  Note: { id: allow, text: isNoteOwnerOrAdmin },
};

const schema = applyPermissions(
  buildSubgraphSchema({
    typeDefs,
    resolvers: {
      Query: {
        notes: () => notes,
        mine: () => notes,
        broken: () => {
          throw new BadUserInputError('no good');
        },
        unnamed: () => 'never',
      },
      Note: { secret: () => 'never' },
    },
  }),
  rules,
);

async function run(query: string, viewer: { id: string; role: 'CUSTOMER' | 'ADMIN' } | null) {
  const result = await execute({ schema, document: parse(query), contextValue: { viewer } });
  return { data: result.data, codes: result.errors?.map((error) => [error.path?.join('.'), error.extensions.code]) };
}

describe('applyPermissions', () => {
  it('answers fields whose rule is allow, to anyone', async () => {
    expect(await run('{ notes { id } }', null)).toEqual({ data: { notes: [{ id: 'n1' }, { id: 'n2' }] }, codes: undefined });
  });

  it('checks a rule that needs the parent on every row, beside allowed fields of the same rows', async () => {
    const { data, codes } = await run('{ notes { id text } }', { id: 'alice', role: 'CUSTOMER' });
    expect(codes).toEqual([['notes.1.text', 'FORBIDDEN']]);
    expect(data).toEqual({
      notes: [
        { id: 'n1', text: 'alice writes' },
        { id: 'n2', text: null },
      ],
    });
    expect((await run('{ notes { id text } }', { id: 'root', role: 'ADMIN' })).codes).toBeUndefined();
    expect((await run('{ notes { text } }', null)).codes).toEqual([
      ['notes.0.text', 'UNAUTHENTICATED'],
      ['notes.1.text', 'UNAUTHENTICATED'],
    ]);
  });

  it('refuses a field the tree does not name: UNAUTHENTICATED when anonymous, FORBIDDEN when signed in', async () => {
    expect((await run('{ unnamed }', null)).codes).toEqual([['unnamed', 'UNAUTHENTICATED']]);
    expect((await run('{ unnamed }', { id: 'alice', role: 'CUSTOMER' })).codes).toEqual([['unnamed', 'FORBIDDEN']]);
    expect((await run('{ notes { secret } }', { id: 'alice', role: 'ADMIN' })).codes).toEqual([
      ['notes.0.secret', 'FORBIDDEN'],
      ['notes.1.secret', 'FORBIDDEN'],
    ]);
  });

  it('checks root rules that need only the viewer', async () => {
    expect((await run('{ mine { id } }', null)).codes).toEqual([['mine', 'UNAUTHENTICATED']]);
    expect((await run('{ mine { id } }', { id: 'alice', role: 'CUSTOMER' })).codes).toBeUndefined();
  });

  it("passes an allowed field's own error through with its code", async () => {
    expect(await run('{ broken }', null)).toEqual({ data: { broken: null }, codes: [['broken', 'BAD_USER_INPUT']] });
  });
});
