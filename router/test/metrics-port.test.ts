import { describe, expect, it } from 'vitest';
import { parseRouterSettings } from '../src/env.js';

// The router reads METRICS_PORT like every service: runService opens /metrics there, off the public
// port (which answers 404 for it in production).

describe('METRICS_PORT on the router', () => {
  it('is read into the http settings runService starts from', () => {
    expect(parseRouterSettings({ METRICS_PORT: '9464' }).http).toMatchObject({ port: 4000, metricsPort: 9464 });
    expect(parseRouterSettings({}).http).not.toHaveProperty('metricsPort');
  });

  it('refuses a port that is not one, naming it', () => {
    expect(() => parseRouterSettings({ METRICS_PORT: '70000' })).toThrow(/METRICS_PORT/);
  });
});
