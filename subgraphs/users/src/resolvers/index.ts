import { scalarResolvers } from '@supergraph/server-kit/graphql';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { Mutation } from './Mutation.js';
import { Query } from './Query.js';
import { User } from './User.js';
import { UserConnection } from './UserConnection.js';

export const resolvers: Resolvers = { ...scalarResolvers, Query, Mutation, User, UserConnection };
