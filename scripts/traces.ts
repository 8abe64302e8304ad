// `npm run traces`: a zero-setup trace viewer for development. It listens for OTLP/HTTP traces on
// 127.0.0.1:4318 (OTLP_RECEIVER_PORT to change) and prints each trace as a tree once no new span of
// it has come for 2 s. Start the stack with OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:4318 in
// another terminal (docs/observability.md). It keeps nothing: for more, send traces to Jaeger or Tempo.
import { startTraceReceiver, TRACES_PATH } from './traces/receiver.js';
import { createTraceBuffer } from './traces/trace-buffer.js';
import { formatTraceTree } from './traces/trace-tree.js';

const DEFAULT_PORT = 4318;

function readPort(value: string | undefined): number {
  if (value === undefined || value === '') return DEFAULT_PORT;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    process.stderr.write(`OTLP_RECEIVER_PORT must be a port number (0 to 65535), not ${JSON.stringify(value)}\n`);
    process.exit(2);
  }
  return port;
}

const port = readPort(process.env.OTLP_RECEIVER_PORT);
const color = Boolean(process.stdout.isTTY) && process.env.NO_COLOR === undefined;
const buffer = createTraceBuffer({
  onQuiet: (spans) => process.stdout.write(`\n${formatTraceTree(spans, { color })}\n`),
});

let receiver;
try {
  receiver = await startTraceReceiver({
    port,
    onSpans: (spans) => buffer.add(spans),
    onRefused: (reason) => process.stderr.write(`refused an export: ${reason}\n`),
  });
} catch (error) {
  const code = (error as NodeJS.ErrnoException).code;
  const hint = code === 'EADDRINUSE' ? ` (port ${port} is taken: another collector? set OTLP_RECEIVER_PORT)` : '';
  process.stderr.write(`cannot listen on 127.0.0.1:${port}: ${(error as Error).message}${hint}\n`);
  process.exit(1);
}
process.stdout.write(
  `Receiving OTLP/HTTP traces on ${receiver.endpoint}${TRACES_PATH} (protobuf or JSON).\n` +
    `Start the stack with OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:${receiver.port} npm start, then send a request;\n` +
    'each trace is printed once no new span of it has come for 2 s. Ctrl-C stops.\n',
);

const stop = () => {
  buffer.close();
  void receiver.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
