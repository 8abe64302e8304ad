/** The roles schema.graphql's `Role` enum allows; both dialects refuse any other. */
export const USER_ROLES = ['CUSTOMER', 'ADMIN'] as const;
export type UserRole = (typeof USER_ROLES)[number];
