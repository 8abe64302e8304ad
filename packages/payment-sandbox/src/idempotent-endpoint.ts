import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { invalidParameters, invalidRequest } from './api-errors.js';
import { fingerprintRequest, type Commit, type IdempotencyKeys } from './idempotency.js';

const MAX_KEY_LENGTH = 255;

export interface IdempotentEndpointOptions<TParams extends z.ZodType> {
  keys: IdempotencyKeys;
  /** The JSON body's schema; a body that fails it is refused before the key is looked at. */
  params: TParams;
  /** Aborted when the sandbox shuts down. */
  shutdown: AbortSignal;
  /** Does the request's slow part and returns its commit (see Commit), or null to answer nothing. */
  prepare: (params: z.output<TParams>, context: RequestContext) => Promise<Commit | null>;
}

export interface RequestContext {
  /** Aborted once nobody waits for the answer: the client hung up or the sandbox is stopping. */
  abandoned: AbortSignal;
  /** Aborted when the sandbox is stopping. */
  shutdown: AbortSignal;
  /** The request's logger (its lines carry the request id). */
  log: Logger;
}

/**
 * A POST endpoint that requires an `Idempotency-Key` header and answers each key once (see
 * IdempotencyKeys.run). A replayed answer carries `Idempotent-Replayed: true`, as Stripe's do.
 */
export function idempotentEndpoint<TParams extends z.ZodType>(options: IdempotentEndpointOptions<TParams>): RequestHandler {
  return async (req, res) => {
    const key = req.get('idempotency-key');
    if (!key) {
      throw invalidRequest('This endpoint requires an Idempotency-Key header: reuse the key to retry the request safely.', {
        code: 'idempotency_key_missing',
      });
    }
    if (key.length > MAX_KEY_LENGTH) {
      throw invalidRequest(`The Idempotency-Key header must be at most ${MAX_KEY_LENGTH} characters.`, {
        code: 'idempotency_key_invalid',
      });
    }
    const body: unknown = req.body ?? {};
    const parsed = options.params.safeParse(body);
    if (!parsed.success) throw invalidParameters(parsed.error, body);

    const clientGone = new AbortController();
    res.once('close', () => clientGone.abort());
    const abandoned = AbortSignal.any([clientGone.signal, options.shutdown]);
    const fingerprint = fingerprintRequest(req.method, req.baseUrl + req.path, parsed.data);
    const answer = await options.keys.run(key, fingerprint, () =>
      options.prepare(parsed.data, { abandoned, shutdown: options.shutdown, log: req.log }),
    );
    if (!answer) {
      // No answer at all: drop the connection, as a provider that fell over would.
      res.destroy();
      return;
    }
    if (answer.isReplayed) res.set('Idempotent-Replayed', 'true');
    res.status(answer.status).json(answer.body);
  };
}
