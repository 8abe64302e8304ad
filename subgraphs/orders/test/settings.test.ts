import { parseSettings } from '@supergraph/server-kit/settings';
import { describe, expect, it } from 'vitest';
import { checkoutSettingsSchema } from '../src/env.js';

const secret = 'x'.repeat(32);
const production = {
  NODE_ENV: 'production',
  PRODUCTS_INTERNAL_URL: 'http://products.internal:4002',
  PRODUCTS_INVENTORY_SECRET: secret,
  PAYMENT_PROVIDER_URL: 'https://payments.example.com',
  PAYMENT_PROVIDER_SECRET_KEY: secret,
};

describe('the checkout settings', () => {
  it('fill in the documented development defaults: local products and sandbox, 2 s and 5 s deadlines, a 5-minute checkout deadline', () => {
    expect(parseSettings(checkoutSettingsSchema, {})).toEqual({
      inventory: {
        baseUrl: 'http://127.0.0.1:4002',
        secret: 'development-only-products-inventory-service-secret',
        timeoutMs: 2_000,
      },
      payments: { baseUrl: 'http://127.0.0.1:4010', secretKey: 'sk_test_development', timeoutMs: 5_000 },
      saga: {
        deadlineMs: 300_000,
        paymentSettleMs: 60_000,
        lateChargeCheckMs: 3_600_000,
        recoveryIntervalMs: 5_000,
        leaseMs: 30_000,
        waitMs: 8_000,
        idempotencyRetentionMs: 7 * 24 * 3_600_000,
        crashPoint: undefined,
      },
    });
  });

  it('accept a complete production configuration', () => {
    const settings = parseSettings(checkoutSettingsSchema, production);
    expect(settings.payments).toEqual({ baseUrl: 'https://payments.example.com', secretKey: secret, timeoutMs: 5_000 });
    expect(settings.inventory.baseUrl).toBe('http://products.internal:4002');
  });

  it('require both parties named, their secrets, and https for the provider in production', () => {
    expect(() => parseSettings(checkoutSettingsSchema, { NODE_ENV: 'production' })).toThrow(
      /PRODUCTS_INTERNAL_URL: is required in production[\s\S]*PAYMENT_PROVIDER_URL: is required in production/,
    );
    expect(() =>
      parseSettings(checkoutSettingsSchema, { ...production, PAYMENT_PROVIDER_URL: 'http://payments.example.com' }),
    ).toThrow('PAYMENT_PROVIDER_URL: must be an https:// URL in production');
    expect(() => parseSettings(checkoutSettingsSchema, { ...production, PAYMENT_PROVIDER_SECRET_KEY: 'short' })).toThrow(
      'PAYMENT_PROVIDER_SECRET_KEY: is required in production, at least 32 characters',
    );
  });

  it('refuse a crash point in production, and an unknown one anywhere', () => {
    expect(() => parseSettings(checkoutSettingsSchema, { ...production, CHECKOUT_CRASH_POINT: 'checkout-recorded' })).toThrow(
      'CHECKOUT_CRASH_POINT: is for crash tests and refused in production',
    );
    expect(() => parseSettings(checkoutSettingsSchema, { CHECKOUT_CRASH_POINT: 'somewhere' })).toThrow(
      'CHECKOUT_CRASH_POINT: must be one of',
    );
    expect(parseSettings(checkoutSettingsSchema, { CHECKOUT_CRASH_POINT: 'checkout-recorded' }).saga.crashPoint).toBe(
      'checkout-recorded',
    );
  });

  it('refuse a lease no longer than a remote call, and retention under a day', () => {
    expect(() => parseSettings(checkoutSettingsSchema, { CHECKOUT_LEASE_MS: '5000' })).toThrow(
      'CHECKOUT_LEASE_MS: must be longer than INVENTORY_TIMEOUT_MS and PAYMENT_PROVIDER_TIMEOUT_MS',
    );
    expect(() => parseSettings(checkoutSettingsSchema, { IDEMPOTENCY_KEY_RETENTION_HOURS: '23' })).toThrow(
      'IDEMPOTENCY_KEY_RETENTION_HOURS: must be at least 24',
    );
  });
});
