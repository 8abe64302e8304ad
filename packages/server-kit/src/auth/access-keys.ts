import { createPublicKey, type KeyObject } from 'node:crypto';
import { createAccessTokenVerifier, loadOrCreateDevelopmentKeys, readPem, type AccessTokenVerifier } from './access-tokens.js';
import type { AccessTokenSettings } from '../settings/settings.js';

/** The key that verifies access tokens: the configured one, or the development pair. */
export function loadAccessTokenPublicKey(settings: AccessTokenSettings): KeyObject {
  return settings.publicKeyPem
    ? createPublicKey(readPem(settings.publicKeyPem))
    : loadOrCreateDevelopmentKeys(settings.developmentKeysDir).publicKey;
}

/** A verifier for this deployment's access tokens. */
export function createVerifierFromSettings(settings: AccessTokenSettings): AccessTokenVerifier {
  return createAccessTokenVerifier({
    publicKey: loadAccessTokenPublicKey(settings),
    issuer: settings.issuer,
    audience: settings.audience,
  });
}
