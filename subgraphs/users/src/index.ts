// Tracing starts before the service is imported, so that node:http is instrumented before anything
// loads it (decision 025); with no exporter configured it does nothing.
import { startTracing } from '@supergraph/server-kit/tracing';

await startTracing({ service: 'users' });
await import('./main.js');
