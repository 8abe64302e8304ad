import { z } from 'zod';
import { BadUserInputError } from '@supergraph/server-kit/graphql';
import { normalizeEmail } from './user-store.js';

const emailSchema = z.email();
const MAX_EMAIL_LENGTH = 254;
const MAX_NAME_LENGTH = 100;

/** A valid address in the form it is stored and compared in (trimmed, lower-case). */
export function readEmail(email: string, field: string): string {
  const normalized = normalizeEmail(email);
  if (normalized.length > MAX_EMAIL_LENGTH || !emailSchema.safeParse(normalized).success) {
    throw new BadUserInputError(`${field} must be a valid email address.`, field);
  }
  return normalized;
}

/** A display name: trimmed, 1 to 100 characters. */
export function readName(name: string, field: string): string {
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_NAME_LENGTH) {
    throw new BadUserInputError(`${field} must be 1 to ${MAX_NAME_LENGTH} characters long.`, field);
  }
  return trimmed;
}
