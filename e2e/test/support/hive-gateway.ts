import { createServer } from 'node:net';
import { join } from 'node:path';
import { REPO_ROOT, startService, type ServiceProcess } from './processes.js';
import { SUBGRAPHS, type Stack } from './stack.js';
import { waitFor } from './wait-for.js';

/** The configuration the docs tell a team to run Hive Gateway with. */
export const HIVE_GATEWAY_CONFIG = join(REPO_ROOT, 'examples/hive-gateway/gateway.config.ts');
const HIVE_GATEWAY_BIN = join(REPO_ROOT, 'node_modules/@graphql-hive/gateway/dist/bin.js');

/** A port nothing listens on now: Hive Gateway logs the port it was given, so it cannot be given 0. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * The settings a team gives the committed configuration, from the stack: each subgraph's URL and
 * secret, the key tokens are verified with. `extraEnv` adds to them (CORS_ORIGINS, a safelist).
 */
function hiveGatewayEnv(stack: Stack, extraEnv: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = { JWT_PUBLIC_KEY: stack.keys.publicKeyPem, LOG_JSON: '1', ...extraEnv };
  for (const name of SUBGRAPHS) {
    env[`${name.toUpperCase()}_SUBGRAPH_URL`] = stack.subgraphs[name].url;
    env[`${name.toUpperCase()}_SUBGRAPH_SECRET`] = stack.secrets[name];
  }
  return env;
}

/**
 * Hive Gateway as a team runs it: its CLI (`hive-gateway supergraph supergraph.graphql -c
 * gateway.config.ts --port ...`) over the committed supergraph, in front of the stack's subgraphs.
 * Resolves once it answers /readiness; stop() it like any other process.
 */
export async function startHiveGateway(stack: Stack, extraEnv: Record<string, string> = {}): Promise<ServiceProcess> {
  const port = String(await freePort());
  const gateway = await startService(
    'hive-gateway',
    {
      nodeArgs: [
        HIVE_GATEWAY_BIN,
        'supergraph',
        join(REPO_ROOT, 'supergraph.graphql'),
        '--config-path',
        HIVE_GATEWAY_CONFIG,
        '--host',
        '127.0.0.1',
        '--port',
        port,
      ],
      listeningUrl: (line) => /^Listening on (http:\/\/\S+)$/.exec(line.msg ?? '')?.[1]?.concat('/graphql'),
    },
    { ...hiveGatewayEnv(stack, extraEnv), PORT: port },
  );
  try {
    await waitFor(async () => (await fetch(`${gateway.origin}/readiness`)).ok, {
      what: 'Hive Gateway to answer /readiness',
      timeout: 30_000,
    });
  } catch (error) {
    await gateway.stop();
    throw error;
  }
  return gateway;
}
