import { createPaymentSandbox } from '@supergraph/payment-sandbox';
import { createLogger } from '@supergraph/server-kit/telemetry';
import { createSandboxPaymentProvider } from '../src/clients/sandbox-payment-provider.js';

// The real payment sandbox, in-process on an ephemeral port, and the providers that reach it.

const SANDBOX_SECRET_KEY = 'sk_test_orders_checkout';
/**
 * The provider deadline checkout runs with: generous, so a real charge on a starved machine is
 * answered in time (300 ms was not); tok_timeout, which never answers, costs this much per test.
 */
const PAYMENT_TIMEOUT_MS = 2_000;
/**
 * How long tok_chargeSucceedsSlowly takes: past the provider deadline, so the first attempt times out
 * whatever the machine's speed (the deadline's timer starts before the sandbox's delay does).
 */
const SLOW_CHARGE_MS = 2_500;

/** The payment sandbox, started once per test file. */
export async function startPaymentSandbox() {
  const sandbox = createPaymentSandbox({
    secretKey: SANDBOX_SECRET_KEY,
    dataFile: ':memory:',
    logger: createLogger({ service: 'payment-sandbox', level: 'silent' }),
    slowChargeMs: SLOW_CHARGE_MS,
  });
  const url = await sandbox.listen(0, '127.0.0.1');
  // The first call of a process pays for loading fetch and for the sandbox's first request: made
  // here, so the short provider deadline the tests run with never measures start-up instead.
  const warmUp = createSandboxPaymentProvider({ baseUrl: url, secretKey: SANDBOX_SECRET_KEY, timeoutMs: 30_000 });
  await warmUp.findChargesForOrder('warm-up');
  return { url, close: () => sandbox.close() };
}

/** Checkout's settings for the sandbox at `url`. */
export function paymentProviderEnv(url: string) {
  return {
    PAYMENT_PROVIDER_URL: url,
    PAYMENT_PROVIDER_SECRET_KEY: SANDBOX_SECRET_KEY,
    PAYMENT_PROVIDER_TIMEOUT_MS: String(PAYMENT_TIMEOUT_MS),
  };
}

/**
 * Two providers for the sandbox at `url`: the one checkout calls, with its short deadline, and the
 * one a test reads the sandbox through, with a patient deadline and outside any recording.
 */
export function createSandboxProviders(url: string) {
  const options = { baseUrl: url, secretKey: SANDBOX_SECRET_KEY };
  return {
    checkout: createSandboxPaymentProvider({ ...options, timeoutMs: PAYMENT_TIMEOUT_MS }),
    reader: createSandboxPaymentProvider({ ...options, timeoutMs: 5_000 }),
  };
}
