import { runService } from '@supergraph/server-kit/http';
import { createLogger } from '@supergraph/server-kit/telemetry';
import { loadSettings } from './env.js';
import { createPaymentSandbox, type PaymentSandbox } from './payment-sandbox.js';

const settings = loadSettings();
const logger = createLogger({ service: 'payment-sandbox', level: settings.logLevel });
await runService(openSandboxOrExit(), { ...settings.http, logger });

function openSandboxOrExit(): PaymentSandbox {
  try {
    return createPaymentSandbox({ ...settings, logger });
  } catch (error) {
    logger.fatal({ err: error, dataFile: settings.dataFile }, 'cannot open the data file (PAYMENT_SANDBOX_DATA_FILE)');
    process.exit(1);
  }
}
