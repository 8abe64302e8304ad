import { setTimeout as delay } from 'node:timers/promises';
import { Router } from 'express';
import { z } from 'zod';
import { invalidParameters, invalidRequest, resourceMissing, type ApiResponse } from './api-errors.js';
import type { Commit, IdempotencyKeys } from './idempotency.js';
import { idempotentEndpoint, type RequestContext } from './idempotent-endpoint.js';
import { metadataParam } from './metadata.js';
import { createObjectId } from './object-ids.js';
import type { ChargeRecord, SandboxStorage } from './storage.js';

/** What each test token does when charged. Any other token is refused as an invalid source. */
export const TEST_TOKENS = {
  tok_visa: { kind: 'succeed' },
  tok_chargeSucceedsSlowly: { kind: 'succeedSlowly' },
  tok_chargeDeclined: { kind: 'decline', declineCode: 'generic_decline', message: 'Your card was declined.' },
  tok_chargeDeclinedInsufficientFunds: {
    kind: 'decline',
    declineCode: 'insufficient_funds',
    message: 'Your card has insufficient funds.',
  },
  tok_timeout: { kind: 'hang' },
  tok_providerError: { kind: 'fail' },
} as const satisfies Record<string, TokenBehaviour>;

export type TestToken = keyof typeof TEST_TOKENS;

type TokenBehaviour =
  { kind: 'succeed' | 'succeedSlowly' | 'hang' | 'fail' } | { kind: 'decline'; declineCode: string; message: string };

// Stripe's upper bound for an amount: eight digits of minor units.
const MAX_AMOUNT = 99_999_999;
const CURRENCIES = new Set(Intl.supportedValuesOf('currency').map((code) => code.toLowerCase()));

export const chargeParams = z.strictObject({
  amount: z
    .number({ error: 'must be an integer amount in minor units' })
    .int('must be an integer amount in minor units')
    .positive('must be greater than 0')
    .max(MAX_AMOUNT, `must be at most ${MAX_AMOUNT}`),
  currency: z
    .string({ error: 'must be a three-letter ISO 4217 currency code' })
    .transform((code) => code.toLowerCase())
    .refine((code) => CURRENCIES.has(code), 'must be a three-letter ISO 4217 currency code'),
  source: z.string({ error: 'must be a token such as tok_visa' }).min(1).max(255),
  description: z.string().max(1000).optional(),
  metadata: metadataParam.optional(),
});

export type ChargeParams = z.output<typeof chargeParams>;

const listQuery = z.strictObject({
  limit: z.coerce
    .number()
    .int('must be a whole number')
    .min(1, 'must be between 1 and 100')
    .max(100, 'must be between 1 and 100')
    .default(10),
  'metadata[orderId]': z.string().min(1).optional(),
});

/** Stripe's charge object, with the fields this sandbox keeps. */
export function toChargeObject(charge: ChargeRecord) {
  const isSucceeded = charge.status === 'succeeded';
  return {
    id: charge.id,
    object: 'charge' as const,
    amount: charge.amount,
    amount_captured: isSucceeded ? charge.amount : 0,
    amount_refunded: charge.amountRefunded,
    captured: isSucceeded,
    created: Math.floor(charge.createdAt / 1000),
    currency: charge.currency,
    description: charge.description,
    failure_code: charge.failureCode,
    failure_message: charge.failureMessage,
    livemode: false,
    metadata: charge.metadata,
    paid: isSucceeded,
    refunded: isSucceeded && charge.amountRefunded === charge.amount,
    status: charge.status,
  };
}

export interface ChargesRouterOptions {
  storage: SandboxStorage;
  keys: IdempotencyKeys;
  now: () => number;
  /** How long tok_chargeSucceedsSlowly takes before it charges and answers. */
  slowChargeMs: number;
  shutdown: AbortSignal;
}

/** POST /v1/charges, GET /v1/charges (newest first, `metadata[orderId]` filter), GET /v1/charges/:id. */
export function createChargesRouter(options: ChargesRouterOptions): Router {
  const { storage } = options;
  const router = Router();

  router.post(
    '/',
    idempotentEndpoint({
      keys: options.keys,
      params: chargeParams,
      shutdown: options.shutdown,
      prepare: (params, context) => prepareCharge(params, context, options),
    }),
  );

  router.get('/', (req, res) => {
    const parsed = listQuery.safeParse(req.query);
    if (!parsed.success) throw invalidParameters(parsed.error, req.query);
    const { limit, 'metadata[orderId]': orderId } = parsed.data;
    const charges = storage.listCharges({ limit: limit + 1, ...(orderId === undefined ? {} : { orderId }) });
    res.json({
      object: 'list',
      url: '/v1/charges',
      has_more: charges.length > limit,
      data: charges.slice(0, limit).map(toChargeObject),
    });
  });

  router.get('/:id', (req, res) => {
    const charge = storage.findCharge(req.params.id);
    if (!charge) throw resourceMissing('id', req.params.id, 'charge');
    res.json(toChargeObject(charge));
  });

  return router;
}

async function prepareCharge(
  params: ChargeParams,
  { abandoned, shutdown, log }: RequestContext,
  { storage, now, slowChargeMs }: ChargesRouterOptions,
): Promise<Commit | null> {
  const behaviour: TokenBehaviour | undefined = Object.hasOwn(TEST_TOKENS, params.source)
    ? TEST_TOKENS[params.source as TestToken]
    : undefined;
  if (!behaviour) return () => refuseUnknownToken(params.source);
  const newCharge = (status: ChargeRecord['status'], failure: ChargeFailure | null) =>
    createChargeRecord(params, now(), status, failure);

  switch (behaviour.kind) {
    case 'hang':
      await holdUnanswered(abandoned, log, params.source);
      return null;
    case 'fail':
      return () => {
        log.warn({ source: params.source }, 'simulated provider error; nothing charged');
        return PROVIDER_ERROR_RESPONSE;
      };
    case 'decline':
      return () => {
        const charge = newCharge('failed', { code: 'card_declined', message: behaviour.message });
        storage.insertCharge(charge);
        log.info({ ...describeCharge(charge, params.source), declineCode: behaviour.declineCode }, 'charge declined');
        return toDeclineResponse(charge, behaviour);
      };
    case 'succeedSlowly':
      // The card network is slow; the charge goes through even if the client stopped waiting.
      // Only a shutdown interrupts it, before anything is charged.
      log.info({ source: params.source, slowChargeMs }, 'charging slowly');
      try {
        await delay(slowChargeMs, undefined, { signal: shutdown });
      } catch {
        return null;
      }
      return succeed();
    case 'succeed':
      return succeed();
  }

  function succeed(): Commit {
    return () => {
      const charge = newCharge('succeeded', null);
      storage.insertCharge(charge);
      log.info(describeCharge(charge, params.source), 'charge succeeded');
      return { status: 200, body: toChargeObject(charge) };
    };
  }
}

function refuseUnknownToken(source: string): ApiResponse {
  return invalidRequest(`No such token: '${source}'. The sandbox knows ${Object.keys(TEST_TOKENS).join(', ')}.`, {
    code: 'invalid_source',
    param: 'source',
  }).toResponse();
}

/**
 * The request is accepted and never answered; nothing is charged. The connection is held until the
 * client gives up (or the sandbox stops).
 */
async function holdUnanswered(abandoned: AbortSignal, log: RequestContext['log'], source: string): Promise<void> {
  log.info({ source }, 'holding the request without answering');
  // (A retry that waited for another attempt with its key may find its own client gone already.)
  if (!abandoned.aborted) await new Promise((resolve) => abandoned.addEventListener('abort', resolve, { once: true }));
  log.info({ source }, 'stopped holding the request; nothing charged');
}

interface ChargeFailure {
  code: string;
  message: string;
}

function createChargeRecord(
  params: ChargeParams,
  createdAt: number,
  status: ChargeRecord['status'],
  failure: ChargeFailure | null,
): ChargeRecord {
  return {
    id: createObjectId('ch'),
    amount: params.amount,
    amountRefunded: 0,
    currency: params.currency,
    status,
    description: params.description ?? null,
    metadata: params.metadata ?? {},
    failureCode: failure?.code ?? null,
    failureMessage: failure?.message ?? null,
    createdAt,
  };
}

/** A charge's fields as a log line carries them. */
function describeCharge(charge: ChargeRecord, source: string) {
  return { chargeId: charge.id, orderId: charge.metadata.orderId, amount: charge.amount, currency: charge.currency, source };
}

const PROVIDER_ERROR_RESPONSE: ApiResponse = {
  status: 500,
  body: {
    error: {
      type: 'api_error',
      message: 'An error occurred with our connection to the card network. Nothing was charged; retry the request.',
    },
  },
};

function toDeclineResponse(charge: ChargeRecord, decline: { declineCode: string; message: string }): ApiResponse {
  return {
    status: 402,
    body: {
      error: {
        type: 'card_error',
        code: 'card_declined',
        decline_code: decline.declineCode,
        charge: charge.id,
        message: decline.message,
      },
    },
  };
}
