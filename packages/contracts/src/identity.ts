import { z } from 'zod';

/**
 * The roles an access token's `role` claim may hold. The users service assigns them; every subgraph
 * authorizes with them, so they are part of the identity contract rather than any one service's types.
 */
export const ROLES = ['CUSTOMER', 'ADMIN'] as const;

export const roleSchema = z.enum(ROLES);

export type Role = z.infer<typeof roleSchema>;
