import { scalarResolvers } from '@supergraph/server-kit/graphql';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { Order } from './Order.js';
import { OrderConnection } from './OrderConnection.js';
import { Mutation } from './Mutation.js';
import { OrderItem } from './OrderItem.js';
import { OrderStatusChange } from './OrderStatusChange.js';
import { Query } from './Query.js';
import { User } from './User.js';

export const resolvers: Resolvers = {
  ...scalarResolvers,
  Query,
  Mutation,
  Order,
  OrderItem,
  OrderStatusChange,
  OrderConnection,
  User,
};
