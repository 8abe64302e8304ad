// The benchmark's yardstick: stock @apollo/gateway with @apollo/server's standalone server, default
// settings, over the same supergraph and subgraphs as the router. It adds only what a team must to
// reach these subgraphs at all: each subgraph's router secret, the caller's token and request id.
// Run by scripts/bench.ts as its own process: PORT, SUPERGRAPH_PATH and, per subgraph,
// <NAME>_SUBGRAPH_URL and <NAME>_SUBGRAPH_SECRET.
import { readFileSync } from 'node:fs';
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';

interface ClientHeaders {
  authorization?: string;
  requestId?: string;
}

/** The header the subgraphs check the router's secret in (server-kit's ROUTER_SECRET_HEADER). */
const ROUTER_SECRET_HEADER = 'x-router-secret';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

class SecretDataSource extends RemoteGraphQLDataSource<ClientHeaders> {
  constructor(
    url: string,
    private readonly secret: string,
  ) {
    super({ url });
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<ClientHeaders>): void {
    const headers = request.http?.headers;
    if (!headers) return;
    headers.set(ROUTER_SECRET_HEADER, this.secret);
    const { authorization, requestId } = context as Partial<ClientHeaders>;
    if (authorization) headers.set('authorization', authorization);
    if (requestId) headers.set('x-request-id', requestId);
  }
}

const gateway = new ApolloGateway({
  supergraphSdl: readFileSync(required('SUPERGRAPH_PATH'), 'utf8'),
  buildService: ({ name }) =>
    new SecretDataSource(required(`${name.toUpperCase()}_SUBGRAPH_URL`), required(`${name.toUpperCase()}_SUBGRAPH_SECRET`)),
});
const server = new ApolloServer<ClientHeaders>({ gateway });
const { url } = await startStandaloneServer(server, {
  listen: { host: '127.0.0.1', port: Number(required('PORT')) },
  context: async ({ req }) => ({
    authorization: req.headers.authorization,
    requestId: typeof req.headers['x-request-id'] === 'string' ? req.headers['x-request-id'] : undefined,
  }),
});
process.stdout.write(`${JSON.stringify({ msg: 'listening', url })}\n`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void server.stop().then(() => process.exit(0));
  });
}
