// @supergraph/server-kit/auth: Identity: access tokens, the router secret and service credentials, graphql-shield rules.
// Who is calling: the identity contract's type, named here because every context factory takes one.
export type { Viewer } from '@supergraph/contracts/identity';
export { loadAccessTokenPublicKey, createVerifierFromSettings } from './access-keys.js';
export {
  ACCESS_TOKEN_ALGORITHM,
  InvalidAccessTokenError,
  createAccessTokenVerifier,
  createAccessTokenIssuer,
  readBearerToken,
  readPem,
  loadOrCreateDevelopmentKeys,
  type AccessTokenClaims,
  type AccessTokenVerifier,
  type AccessTokenIssuer,
} from './access-tokens.js';
export {
  refuse,
  requireViewer,
  isAuthenticated,
  hasRole,
  isOwnerOrHasRole,
  applyPermissions,
  federationQueryRules,
  type OwnershipRule,
  type FieldRule,
  type PermissionRules,
} from './authorization.js';
export {
  ROUTER_SECRET_HEADER,
  isSameSecret,
  requireRouterSecret,
  SERVICE_CREDENTIAL_HEADER,
  requireServiceCredential,
  authenticateRequests,
} from './request-guards.js';
