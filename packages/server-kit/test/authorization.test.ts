import { execute, parse } from 'graphql';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { allow, and, deny, or, rule } from 'graphql-shield';
import { describe, expect, it } from 'vitest';
import { applyPermissions, isAuthenticated, isOwnerOrHasRole, type PermissionRules } from '../src/auth/authorization.js';
import { BadUserInputError, ForbiddenError } from '../src/graphql/errors.js';

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
  buildSubgraphSchema([
    {
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
    },
  ]),
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

describe('applyPermissions with or(), and() and rules that answer later', () => {
  let viewerChecks = 0;
  const isAlice = rule('test/isAlice', { cache: 'contextual' })((
    _parent,
    _args,
    { viewer }: { viewer: { id: string } | null },
  ) => {
    viewerChecks += 1;
    return viewer?.id === 'alice';
  });
  const laterTrue = rule('test/laterTrue')(async () => Promise.resolve(true));
  const throws = rule('test/throws')(() => {
    throw new Error('a broken rule');
  });
  const saysNo = rule('test/saysNo')(() => new ForbiddenError('Not this note.'));
  const guarded = buildSubgraphSchema([
    {
      typeDefs: parse(/* GraphQL */ `
        type Query {
          notes: [Note!]!
        }
        type Note {
          id: ID!
          either: String
          both: String
          later: String
          broken: String
          refused: String
        }
      `),
      resolvers: { Query: { notes: () => notes } },
    },
  ]);
  const checked = applyPermissions(guarded, {
    Query: { notes: allow },
    Note: {
      id: allow,
      either: or(isNoteOwnerOrAdmin, isAlice),
      both: and(isNoteOwnerOrAdmin, laterTrue),
      later: laterTrue,
      broken: or(throws, deny),
      refused: or(saysNo, deny),
    },
  });
  const query = async (fields: string, viewer: { id: string; role: 'CUSTOMER' | 'ADMIN' } | null) => {
    const result = await execute({ schema: checked, document: parse(`{ notes { ${fields} } }`), contextValue: { viewer } });
    return {
      data: result.data,
      codes: result.errors?.map((error) => [error.path?.join('.'), error.extensions.code, error.message]),
    };
  };

  it('gives or() the first true, and checks a viewer-only rule once per request', async () => {
    viewerChecks = 0;
    const { data, codes } = await query('either', { id: 'alice', role: 'CUSTOMER' });
    expect(codes).toBeUndefined();
    expect(data).toEqual({ notes: [{ either: null }, { either: null }] });
    expect(viewerChecks).toBe(1);
    expect((await query('either', { id: 'bob', role: 'CUSTOMER' })).codes).toEqual([
      ['notes.0.either', 'FORBIDDEN', 'Only your own notes.'],
    ]);
  });

  it('gives and() every part, waiting for a rule that answers with a promise', async () => {
    expect((await query('both later', { id: 'bob', role: 'CUSTOMER' })).codes).toEqual([
      ['notes.0.both', 'FORBIDDEN', 'Only your own notes.'],
    ]);
    expect((await query('both later', null)).codes).toEqual([
      ['notes.0.both', 'UNAUTHENTICATED', expect.any(String)],
      ['notes.1.both', 'UNAUTHENTICATED', expect.any(String)],
    ]);
  });

  it("refuses when a rule throws, and passes a rule's own error on", async () => {
    expect((await query('broken', { id: 'alice', role: 'ADMIN' })).codes).toEqual([
      ['notes.0.broken', 'FORBIDDEN', 'You are not allowed to do this.'],
      ['notes.1.broken', 'FORBIDDEN', 'You are not allowed to do this.'],
    ]);
    expect((await query('refused', { id: 'alice', role: 'ADMIN' })).codes).toEqual([
      ['notes.0.refused', 'FORBIDDEN', 'Not this note.'],
      ['notes.1.refused', 'FORBIDDEN', 'Not this note.'],
    ]);
  });
});
