import { InvalidSettingsError, parseSettings } from '@supergraph/server-kit/settings';
import { describe, expect, it } from 'vitest';
import { DEVELOPMENT_SECRET_KEY, settingsSchema } from '../src/env.js';

describe('payment sandbox settings', () => {
  it('fills in the documented defaults', () => {
    expect(parseSettings(settingsSchema, {})).toEqual({
      nodeEnv: 'development',
      logLevel: 'info',
      http: {
        host: '127.0.0.1',
        port: 4010,
        timeouts: { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 72_000 },
      },
      secretKey: DEVELOPMENT_SECRET_KEY,
      dataFile: expect.stringMatching(/\/data\/payment-sandbox\.sqlite$/),
      slowChargeMs: 3000,
    });
    expect(DEVELOPMENT_SECRET_KEY).toBe('sk_test_development');
  });

  it('puts the data file under DATA_DIR unless PAYMENT_SANDBOX_DATA_FILE names one', () => {
    expect(parseSettings(settingsSchema, { DATA_DIR: '/var/lib/shop' }).dataFile).toBe('/var/lib/shop/payment-sandbox.sqlite');
    expect(parseSettings(settingsSchema, { DATA_DIR: '/ignored', PAYMENT_SANDBOX_DATA_FILE: '/tmp/pay.sqlite' }).dataFile).toBe(
      '/tmp/pay.sqlite',
    );
    expect(parseSettings(settingsSchema, { PAYMENT_SANDBOX_DATA_FILE: ':memory:' }).dataFile).toBe(':memory:');
  });

  it('rejects a bad value naming the variable', () => {
    expect(() => parseSettings(settingsSchema, { PORT: 'http' })).toThrow(/PORT: must be a port number/);
    expect(() => parseSettings(settingsSchema, { PAYMENT_SANDBOX_SLOW_CHARGE_MS: '-1' })).toThrow(
      /PAYMENT_SANDBOX_SLOW_CHARGE_MS/,
    );
  });

  it('requires a long secret key in production and has no default there', () => {
    const attempt = () => parseSettings(settingsSchema, { NODE_ENV: 'production', PAYMENT_SANDBOX_SECRET_KEY: 'sk_test_short' });
    expect(attempt).toThrow(InvalidSettingsError);
    expect(attempt).toThrow(/PAYMENT_SANDBOX_SECRET_KEY: is required in production/);
    const key = `sk_test_${'x'.repeat(32)}`;
    expect(parseSettings(settingsSchema, { NODE_ENV: 'production', PAYMENT_SANDBOX_SECRET_KEY: key }).secretKey).toBe(key);
  });
});
