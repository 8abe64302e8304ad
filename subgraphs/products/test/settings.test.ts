import { parseSettings } from '@supergraph/server-kit/settings';
import { describe, expect, it } from 'vitest';
import { inventorySettingsSchema } from '../src/env.js';

describe('the inventory settings', () => {
  it('fill in the documented defaults: a development credential, 15-minute reservations, a sweep every 30 s', () => {
    expect(parseSettings(inventorySettingsSchema, {})).toEqual({
      secret: 'development-only-products-inventory-service-secret',
      reservationTtlSeconds: 900,
      sweepIntervalMs: 30_000,
    });
  });

  it('take the configured values', () => {
    const secret = 'a'.repeat(32);
    expect(
      parseSettings(inventorySettingsSchema, {
        NODE_ENV: 'production',
        PRODUCTS_INVENTORY_SECRET: secret,
        RESERVATION_TTL_SECONDS: '120',
        RESERVATION_SWEEP_INTERVAL_MS: '5000',
      }),
    ).toEqual({ secret, reservationTtlSeconds: 120, sweepIntervalMs: 5000 });
  });

  it('require PRODUCTS_INVENTORY_SECRET of at least 32 characters in production', () => {
    expect(() => parseSettings(inventorySettingsSchema, { NODE_ENV: 'production' })).toThrow(
      'PRODUCTS_INVENTORY_SECRET: is required in production, at least 32 characters',
    );
    expect(() => parseSettings(inventorySettingsSchema, { NODE_ENV: 'production', PRODUCTS_INVENTORY_SECRET: 'short' })).toThrow(
      'PRODUCTS_INVENTORY_SECRET: is required in production, at least 32 characters',
    );
  });

  it('name a bad lifetime or sweep interval', () => {
    expect(() => parseSettings(inventorySettingsSchema, { RESERVATION_TTL_SECONDS: '0' })).toThrow(
      'RESERVATION_TTL_SECONDS: must be at least 1 (got "0")',
    );
    expect(() => parseSettings(inventorySettingsSchema, { RESERVATION_TTL_SECONDS: 'soon' })).toThrow('RESERVATION_TTL_SECONDS:');
    expect(() => parseSettings(inventorySettingsSchema, { RESERVATION_SWEEP_INTERVAL_MS: '10' })).toThrow(
      'RESERVATION_SWEEP_INTERVAL_MS: must be at least 100 (got "10")',
    );
  });
});
