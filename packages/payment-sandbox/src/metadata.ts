import { z } from 'zod';

/** Stripe's metadata: up to 50 string values under keys of at most 40 characters, values of at most 500. */
export const metadataParam = z
  .record(
    z.string().min(1).max(40, 'keys must be at most 40 characters'),
    z.string().max(500, 'values must be at most 500 characters'),
  )
  .refine((metadata) => Object.keys(metadata).length <= 50, 'must have at most 50 keys');
