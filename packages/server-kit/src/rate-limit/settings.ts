import { z } from 'zod';

/** REDIS_URL: where a service's rate-limit buckets are shared by its replicas; unset, each keeps its own in memory. */
export const redisUrlSetting = z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }).optional();

/** A budget per minute (`RATE_LIMIT_PER_MINUTE` and its kin): a whole number between `min` and `max`. */
export function perMinuteSetting(what: string, { min = 1, max, fallback }: { min?: number; max: number; fallback: number }) {
  return z.coerce
    .number({ error: `must be a ${what}` })
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`)
    .default(fallback);
}
