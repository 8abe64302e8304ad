import { createLogger } from '@supergraph/server-kit';
import { loadSettings } from './env.js';
import { createPaymentSandbox, type PaymentSandbox } from './payment-sandbox.js';

const settings = loadSettings();
const logger = createLogger({ service: 'payment-sandbox', level: settings.logLevel });
const sandbox = openSandboxOrExit();
const url = await sandbox.listen(settings.http.port, settings.http.host);
logger.info({ url }, `listening on ${url}`);

const stop = (signal: NodeJS.Signals) => {
  logger.info({ signal }, 'shutting down');
  sandbox.close().then(
    () => {
      logger.info('stopped');
      process.exit(0);
    },
    (error: unknown) => {
      logger.error({ err: error }, 'error while shutting down');
      process.exit(1);
    },
  );
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);

function openSandboxOrExit(): PaymentSandbox {
  try {
    return createPaymentSandbox({ ...settings, logger });
  } catch (error) {
    logger.fatal({ err: error, dataFile: settings.dataFile }, 'cannot open the data file (PAYMENT_SANDBOX_DATA_FILE)');
    process.exit(1);
  }
}
