import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { InvalidSettingsError, parseSettingGroups, parseSettings } from '../src/settings/parse-settings.js';
import { subgraphSettingsSchema } from '../src/settings/subgraph-settings.js';

const schema = subgraphSettingsSchema({ service: 'products', defaultPort: 4002 });

describe('subgraph settings', () => {
  it('fills in the documented defaults', () => {
    const settings = parseSettings(schema, {});
    expect(settings).toMatchObject({
      service: 'products',
      nodeEnv: 'development',
      isProduction: false,
      logLevel: 'info',
      http: { host: '127.0.0.1', port: 4002 },
    });
    expect(settings.database).toEqual({ dialect: 'sqlite', file: expect.stringMatching(/\/data\/products\.sqlite$/) });
  });

  it('resolves a relative DATA_DIR against the repository root and keeps an absolute one', () => {
    expect(parseSettings(schema, { DATA_DIR: '/var/lib/shop' }).database).toEqual({
      dialect: 'sqlite',
      file: '/var/lib/shop/products.sqlite',
    });
  });

  it('moves the service to Postgres when its own database URL is set', () => {
    const url = 'postgres://shop:secret@db.internal:5432/products';
    expect(parseSettings(schema, { PRODUCTS_DATABASE_URL: url, DATA_DIR: '/ignored' }).database).toEqual({
      dialect: 'postgres',
      url,
      variable: 'PRODUCTS_DATABASE_URL',
    });
    // Another service's URL is not this one's.
    expect(parseSettings(schema, { ORDERS_DATABASE_URL: url }).database.dialect).toBe('sqlite');
  });

  it('rejects a malformed database URL naming the variable', () => {
    expect(() => parseSettings(schema, { PRODUCTS_DATABASE_URL: 'mysql://db/products' })).toThrow(
      'PRODUCTS_DATABASE_URL: must be a postgres://user:password@host:port/database URL (got "mysql://db/products")',
    );
  });

  it('names every bad variable and the value it got', () => {
    let caught: unknown;
    try {
      parseSettings(schema, { PORT: 'eighty', NODE_ENV: 'prod', LOG_LEVEL: 'loud' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidSettingsError);
    const message = (caught as Error).message;
    expect(message).toContain('PORT: must be a port number (got "eighty")');
    expect(message).toMatch(/NODE_ENV: .* \(got "prod"\)/);
    expect(message).toMatch(/LOG_LEVEL: .* \(got "loud"\)/);
  });

  it('listens on loopback outside production and on every interface in production', () => {
    expect(parseSettings(schema, { NODE_ENV: 'development' }).http.host).toBe('127.0.0.1');
    const production = {
      NODE_ENV: 'production',
      PRODUCTS_SUBGRAPH_SECRET: 'x'.repeat(32),
      JWT_PUBLIC_KEY: '-----BEGIN PUBLIC KEY-----',
    };
    expect(parseSettings(schema, production).http.host).toBe('0.0.0.0');
    expect(parseSettings(schema, { ...production, HOST: '10.0.0.5' }).http.host).toBe('10.0.0.5');
  });

  it('refuses production without a long enough router secret or a public key, naming both', () => {
    expect(() => parseSettings(schema, { NODE_ENV: 'production', PRODUCTS_SUBGRAPH_SECRET: 'short' })).toThrow(
      /PRODUCTS_SUBGRAPH_SECRET: is required in production, at least 32 characters[\s\S]*JWT_PUBLIC_KEY: is required in production/,
    );
  });

  it('never repeats a secret in an error, and hides the password of a rejected URL', () => {
    let message = '';
    try {
      parseSettings(schema, {
        NODE_ENV: 'production',
        PRODUCTS_SUBGRAPH_SECRET: 'hunter2-short',
        PRODUCTS_DATABASE_URL: 'mysql://shop:pa55@db/x',
      });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain(
      'PRODUCTS_SUBGRAPH_SECRET: is required in production, at least 32 characters (got a value of 13 characters)',
    );
    expect(message).toContain(
      'PRODUCTS_DATABASE_URL: must be a postgres://user:password@host:port/database URL (got "mysql://shop:***@db/x")',
    );
    expect(message).not.toMatch(/hunter2|pa55/);
  });

  it('rejects a port out of range', () => {
    expect(() => parseSettings(schema, { PORT: '70000' })).toThrow('PORT: must be between 0 and 65535 (got "70000")');
  });
});

describe('setting groups', () => {
  it("reports every group's problems at once", () => {
    const checkout = z.object({ CHECKOUT_WAIT_MS: z.coerce.number().int().min(0) });
    const parse = () => parseSettingGroups({ common: schema, checkout }, { PORT: 'eighty', CHECKOUT_WAIT_MS: '-1' });
    expect(parse).toThrow(InvalidSettingsError);
    expect(parse).toThrow(/PORT: must be a port number[\s\S]*CHECKOUT_WAIT_MS: /);
  });

  it('returns each group parsed by its own schema', () => {
    const checkout = z.object({ CHECKOUT_WAIT_MS: z.coerce.number().int().min(0).default(5) });
    const { common, checkout: parsed } = parseSettingGroups({ common: schema, checkout }, { PORT: '5000' });
    expect(common.http.port).toBe(5000);
    expect(parsed).toEqual({ CHECKOUT_WAIT_MS: 5 });
  });
});
