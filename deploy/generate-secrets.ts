import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';

/**
 * A fresh set of the stack's secrets, by variable name: the ES256 key pair that signs and verifies
 * access tokens (PEM on one line, `\n` escaped, as the services read it), each subgraph's router
 * secret, the inventory API's credential and the payment provider's key (the sandbox's too).
 */
export function generateSecrets(): Record<string, string> {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const oneLine = (pem: string | Buffer) => pem.toString().trim().replaceAll('\n', '\\n');
  const secret = () => randomBytes(32).toString('base64url');
  const paymentKey = `sk_live_${randomBytes(24).toString('hex')}`;
  return {
    JWT_PRIVATE_KEY: oneLine(privateKey.export({ type: 'pkcs8', format: 'pem' })),
    JWT_PUBLIC_KEY: oneLine(publicKey.export({ type: 'spki', format: 'pem' })),
    USERS_SUBGRAPH_SECRET: secret(),
    PRODUCTS_SUBGRAPH_SECRET: secret(),
    ORDERS_SUBGRAPH_SECRET: secret(),
    PRODUCTS_INVENTORY_SECRET: secret(),
    PAYMENT_PROVIDER_SECRET_KEY: paymentKey,
    PAYMENT_SANDBOX_SECRET_KEY: paymentKey,
  };
}

// `npx tsx deploy/generate-secrets.ts > secrets.env`: an env file for a Secret or a secret store.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const lines = Object.entries(generateSecrets()).map(([name, value]) => `${name}=${value}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}
