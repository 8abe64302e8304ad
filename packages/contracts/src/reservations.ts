import { z } from 'zod';

// The products service's internal stock reservation API, which the orders service's checkout calls.
// Products parses the request bodies with these schemas and answers in these shapes; orders parses
// the answers with them. Rule messages are the part after the field's name ("must be ..."): the
// products service prefixes the field (`items[0].quantity must be ...`) when it refuses a request.

/** Where the API is mounted on the products service. */
export const RESERVATIONS_PATH = '/internal/reservations';

/** Distinct products one reservation may hold. */
export const MAX_RESERVATION_LINES = 50;
/** Units of one product one reservation may hold. */
export const MAX_LINE_QUANTITY = 100;
/** Longest reservation a caller may ask for, in seconds (24 hours). */
export const MAX_TTL_SECONDS = 24 * 60 * 60;

/** Order and product ids are opaque: 1 to 128 letters, digits and `.`, `_`, `:`, `-` (UUIDs fit). */
const ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/** A whole number from `min` to `max`, with one rule message for every way of missing it. */
export function wholeNumberSchema(min: number, max: number) {
  const error = `must be a whole number from ${min} to ${max}.`;
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
}

const ORDER_ID_RULE = 'must be 1 to 128 letters, digits, ".", "_", ":" or "-".';
export const orderIdSchema = z.string({ error: ORDER_ID_RULE }).regex(ID_PATTERN, { error: ORDER_ID_RULE });

const PRODUCT_ID_RULE = 'must be a product id.';
export const productIdSchema = z.string({ error: PRODUCT_ID_RULE }).regex(ID_PATTERN, { error: PRODUCT_ID_RULE });

export const reservationItemSchema = z.object(
  { productId: productIdSchema, quantity: wholeNumberSchema(1, MAX_LINE_QUANTITY) },
  { error: 'must be an object: { "productId": "...", "quantity": 1 }.' },
);
export type ReservationItem = z.infer<typeof reservationItemSchema>;

const ITEMS_RULE = `must list 1 to ${MAX_RESERVATION_LINES} products.`;
/** A reservation's items: 1 to 50 products, each listed once with its total quantity. */
export const reservationItemsSchema = z
  .array(reservationItemSchema, { error: ITEMS_RULE })
  .min(1, { error: ITEMS_RULE })
  .max(MAX_RESERVATION_LINES, { error: ITEMS_RULE })
  .superRefine((items, context) => {
    const seen = new Map<string, number>();
    items.forEach(({ productId }, index) => {
      const first = seen.get(productId);
      if (first === undefined) {
        seen.set(productId, index);
        return;
      }
      context.addIssue({
        code: 'custom',
        path: [index, 'productId'],
        message: `repeats items[${first}].productId (${productId}); list each product once with its total quantity.`,
      });
    });
  });

/** POST /internal/reservations: reserve an order's stock. Idempotent per orderId. */
export const reserveRequestSchema = z.object({
  /** The orders service's id for the order. */
  orderId: orderIdSchema,
  items: reservationItemsSchema,
  /** How long the stock is held if nobody commits or releases it. Default: the service's setting. */
  ttlSeconds: wholeNumberSchema(1, MAX_TTL_SECONDS).optional(),
});
export type ReserveRequestBody = z.infer<typeof reserveRequestSchema>;

export const RESERVATION_STATUSES = ['RESERVED', 'COMMITTED', 'RELEASED'] as const;
/** RESERVED: stock held until expiresAt; COMMITTED: sold; RELEASED: stock given back. */
export const reservationStatusSchema = z.enum(RESERVATION_STATUSES);
export type ReservationStatus = z.infer<typeof reservationStatusSchema>;

/** One product of a reservation, at the price it had when the stock was reserved. */
export const reservationLineSchema = z.object({
  productId: z.string(),
  name: z.string(),
  quantity: z.number().int().positive(),
  /** The catalog's unit price at reservation time, in the currency's minor unit. */
  unitPriceMinor: z.number().int().nonnegative(),
  /** ISO 4217, upper case. */
  currency: z.string().length(3),
});
export type ReservationLine = z.infer<typeof reservationLineSchema>;

/** Every successful answer (reserve, read, commit, release): an order's reservation. */
export const reservationBodySchema = z.object({
  orderId: z.string(),
  /** All lines share the status and the expiry. */
  status: reservationStatusSchema,
  /** RFC 3339, UTC: when the expiry sweep may release it if it is still RESERVED. */
  expiresAt: z.iso.datetime(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  /** By product id. */
  lines: z.array(reservationLineSchema),
});
export type ReservationBody = z.infer<typeof reservationBodySchema>;

/** Every code the API answers an error with, and the HTTP status that goes with it. */
export const RESERVATION_ERROR_STATUS = {
  /** The body is not JSON, or not a JSON object (a body Express cannot decode keeps Express's 4xx: 415, an unknown charset). */
  BAD_REQUEST: 400,
  /** A field breaks its rule; `field` names it (`items[2].quantity`). Nothing was changed. */
  BAD_USER_INPUT: 400,
  /** No service credential in x-service-credential. */
  UNAUTHENTICATED: 401,
  /** A service credential that is not this API's. */
  FORBIDDEN: 403,
  /** A requested product is not in the catalog; `productId` names it. Nothing was reserved. */
  UNKNOWN_PRODUCT: 404,
  /** The order has no reservation; `orderId` names it. */
  RESERVATION_NOT_FOUND: 404,
  /** The API has no such route. */
  NOT_FOUND: 404,
  /** Not enough units of `productId`: `available` of `requested`. Nothing was reserved. */
  OUT_OF_STOCK: 409,
  /** The order already holds a reservation for other items; a reservation cannot be changed. */
  RESERVATION_CONFLICT: 409,
  /** The reservation was released (by a release or by expiry), so it cannot be committed. */
  RESERVATION_RELEASED: 409,
  /** The body is over the API's limit (64 kB). */
  PAYLOAD_TOO_LARGE: 413,
  /** Anything unexpected; the products service logs it. */
  INTERNAL_SERVER_ERROR: 500,
} as const;

export type ReservationErrorCode = keyof typeof RESERVATION_ERROR_STATUS;
export const RESERVATION_ERROR_CODES = Object.keys(RESERVATION_ERROR_STATUS) as [ReservationErrorCode, ...ReservationErrorCode[]];
export const reservationErrorCodeSchema = z.enum(RESERVATION_ERROR_CODES);

/** Facts a caller can act on, beside the code and the message; which ones come depends on the code. */
export const reservationErrorDetailsSchema = z.object({
  /** BAD_USER_INPUT: the offending field, as in `items[2].quantity`. */
  field: z.string().optional(),
  /** UNKNOWN_PRODUCT, OUT_OF_STOCK: the product concerned. */
  productId: z.string().optional(),
  /** OUT_OF_STOCK: units that can still be reserved. */
  available: z.number().int().nonnegative().optional(),
  /** OUT_OF_STOCK: units asked for. */
  requested: z.number().int().positive().optional(),
  /** RESERVATION_*: the order concerned. */
  orderId: z.string().optional(),
});
export type ReservationErrorDetails = z.infer<typeof reservationErrorDetailsSchema>;

/** Every error answer: `{ error: { code, message, ...details } }`. */
export const reservationErrorBodySchema = z.object({
  error: reservationErrorDetailsSchema.extend({ code: reservationErrorCodeSchema, message: z.string() }),
});
export type ReservationErrorBody = z.infer<typeof reservationErrorBodySchema>;
