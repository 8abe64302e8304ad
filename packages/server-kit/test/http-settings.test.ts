import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseSettings } from '../src/settings/parse-settings.js';
import { readHttpSettings, serviceSettingsShape } from '../src/settings/settings.js';
import { subgraphSettingsSchema } from '../src/settings/subgraph-settings.js';

// The `http` group every service hands runService: where it listens, and where its metrics do.

const schema = z.object(serviceSettingsShape(4002)).transform(readHttpSettings);

describe('http settings', () => {
  it('has no metrics listener unless METRICS_PORT is set (an empty value counts as unset)', () => {
    expect(parseSettings(schema, {})).toEqual({
      host: '127.0.0.1',
      port: 4002,
      timeouts: { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 72_000 },
    });
    expect(parseSettings(schema, { METRICS_PORT: '' })).not.toHaveProperty('metricsPort');
  });

  it('reads METRICS_PORT, 0 picking a free port', () => {
    expect(parseSettings(schema, { METRICS_PORT: '9464' }).metricsPort).toBe(9464);
    expect(parseSettings(schema, { METRICS_PORT: '0' }).metricsPort).toBe(0);
  });

  it('refuses a METRICS_PORT that is not a port, naming it', () => {
    expect(() => parseSettings(schema, { METRICS_PORT: 'prometheus' })).toThrow(
      'METRICS_PORT: must be a port number (got "prometheus")',
    );
    expect(() => parseSettings(schema, { METRICS_PORT: '65536' })).toThrow(
      'METRICS_PORT: must be between 0 and 65535 (got "65536")',
    );
    expect(() => parseSettings(schema, { METRICS_PORT: '94.64' })).toThrow('METRICS_PORT: must be a whole number (got "94.64")');
  });

  it('reaches every subgraph through its settings', () => {
    const settings = parseSettings(subgraphSettingsSchema({ service: 'products', defaultPort: 4002 }), { METRICS_PORT: '9464' });
    expect(settings.http).toMatchObject({ host: '127.0.0.1', port: 4002, metricsPort: 9464 });
  });
});
