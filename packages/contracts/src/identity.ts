import { z } from 'zod';

/**
 * The roles an access token's `role` claim may hold. The users service assigns them; every subgraph
 * authorizes with them, so they are part of the identity contract rather than any one service's types.
 */
export const ROLES = ['CUSTOMER', 'ADMIN'] as const;

export const roleSchema = z.enum(ROLES);

export type Role = z.infer<typeof roleSchema>;

/**
 * The identity claims of an access token, beyond the registered ones its verifier checks (issuer,
 * audience, expiry): who is calling (`sub`, the user's id) and with which role. A token whose role is
 * not one of ROLES is refused, never read as a lesser role.
 */
export const identityClaimsSchema = z.object({ sub: z.string(), role: roleSchema });

/** Who is calling, as a verified access token proves it. */
export interface Viewer {
  id: string;
  role: Role;
}
