import { describe, expect, it } from 'vitest';
import { InvalidSettingsError, parseSettings, subgraphSettingsSchema } from '../src/env.js';

const schema = subgraphSettingsSchema({ service: 'products', defaultPort: 4002 });

describe('subgraph settings', () => {
  it('fills in the documented defaults', () => {
    const settings = parseSettings(schema, {});
    expect(settings).toMatchObject({
      service: 'products',
      nodeEnv: 'development',
      isProduction: false,
      logLevel: 'info',
      http: { host: '0.0.0.0', port: 4002 },
    });
    expect(settings.database.sqliteFile).toMatch(/\/data\/products\.sqlite$/);
  });

  it('resolves a relative DATA_DIR against the repository root and keeps an absolute one', () => {
    expect(parseSettings(schema, { DATA_DIR: '/var/lib/shop' }).database.sqliteFile).toBe('/var/lib/shop/products.sqlite');
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

  it('rejects a port out of range', () => {
    expect(() => parseSettings(schema, { PORT: '70000' })).toThrow('PORT: must be between 0 and 65535 (got "70000")');
  });
});
