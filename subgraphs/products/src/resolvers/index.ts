import { scalarResolvers } from '@supergraph/server-kit/graphql';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { Category } from './Category.js';
import { Mutation } from './Mutation.js';
import { Product } from './Product.js';
import { ProductConnection } from './ProductConnection.js';
import { Query } from './Query.js';

export const resolvers: Resolvers = { ...scalarResolvers, Query, Mutation, Product, Category, ProductConnection };
