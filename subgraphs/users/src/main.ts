import { createAccessTokenIssuer } from '@supergraph/server-kit/auth';
import { runSubgraph } from '@supergraph/server-kit/http';
import { limitPasswordHashing } from './accounts/passwords.js';
import { openUsersDatabase } from './db/client.js';
import { loadSettings, loadSigningKey } from './env.js';
import { createUsersService } from './server.js';

const settings = loadSettings();
limitPasswordHashing(settings.accounts.passwordHashing);
await runSubgraph({
  name: 'users',
  settings,
  openDatabase: openUsersDatabase,
  createService: (options) =>
    createUsersService({
      ...options,
      issueAccessToken: createAccessTokenIssuer({
        privateKey: loadSigningKey(settings),
        issuer: settings.accessTokens.issuer,
        audience: settings.accessTokens.audience,
        ttlSeconds: settings.accounts.accessTokenTtlSeconds,
      }),
      sessionTtlMs: settings.accounts.sessionTtlMs,
      throttling: settings.throttling,
    }),
});
