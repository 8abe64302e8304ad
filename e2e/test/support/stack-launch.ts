import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { DatabaseLocation } from '@supergraph/server-kit/db';
import { createTestKeys } from '@supergraph/server-kit/testing';
import { REPO_ROOT } from './processes.js';
import { SUBGRAPHS, type StackServices, type SubgraphName } from './stack-services.js';

// The settings each process of a stack starts with, and the order they start in. Keys and secrets
// are configured explicitly, as in production, not taken from development defaults.

/** The settings a stack's caller adds to (or changes in) what each process is given. */
export interface ServiceEnvOptions {
  /** The supergraph file the router serves. Default: the committed supergraph.graphql. */
  supergraphPath?: string;
  /** Extra settings for the router process (limits, budgets). Default none. */
  routerEnv?: Record<string, string>;
  /** Extra settings for the users process (throttling, password-hash queue), applied last. Default none. */
  usersEnv?: Record<string, string>;
  /** Extra settings for the orders process (checkout timings, CHECKOUT_CRASH_POINT), applied last. Default none. */
  ordersEnv?: Record<string, string>;
  /** Extra settings for the products process (reservation TTL, sweep interval), applied last. Default none. */
  productsEnv?: Record<string, string>;
  /** Extra settings for the payment sandbox process (PAYMENT_SANDBOX_SLOW_CHARGE_MS), applied last. Default none. */
  paymentSandboxEnv?: Record<string, string>;
}

/** The keys and secrets one stack's processes share. */
export interface StackSecrets {
  /** The signing keys (as JWT_PRIVATE_KEY / JWT_PUBLIC_KEY hold them). */
  keys: ReturnType<typeof createTestKeys>;
  /** The secret each subgraph expects from the router, by subgraph. */
  subgraphs: Record<SubgraphName, string>;
  /** The secret orders sends to products' inventory API. */
  inventory: string;
  /** The payment sandbox's secret key, which orders charges with. */
  sandboxKey: string;
}

function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

export function createStackSecrets(): StackSecrets {
  return {
    keys: createTestKeys(),
    subgraphs: Object.fromEntries(SUBGRAPHS.map((name) => [name, `e2e-${name}-router-secret-${randomHex(16)}`])) as Record<
      SubgraphName,
      string
    >,
    inventory: `e2e-products-inventory-${randomHex(16)}`,
    sandboxKey: `sk_test_e2e_${randomHex(16)}`,
  };
}

/** The variable a subgraph and the router read that subgraph's router secret from, such as USERS_SUBGRAPH_SECRET. */
function secretVariable(name: SubgraphName): string {
  return `${name.toUpperCase()}_SUBGRAPH_SECRET`;
}

/** The settings that point a subgraph process at its scratch database. */
function databaseEnv(location: DatabaseLocation): Record<string, string> {
  return location.dialect === 'postgres' ? { [location.variable]: location.url } : { DATA_DIR: join(location.file, '..') };
}

/** What a subgraph (and its `setup` command) runs with: its database, its router secret, the keys it checks tokens with. */
export function subgraphEnv(name: SubgraphName, location: DatabaseLocation, secrets: StackSecrets): Record<string, string> {
  return {
    ...databaseEnv(location),
    JWT_PUBLIC_KEY: secrets.keys.publicKeyPem,
    ...(name === 'users' ? { JWT_PRIVATE_KEY: secrets.keys.privateKeyPem } : {}),
    [secretVariable(name)]: secrets.subgraphs[name],
  };
}

/** Where a stack's processes keep their data and what its caller asked for. */
export interface LaunchPlan {
  secrets: StackSecrets;
  databases: Record<SubgraphName, DatabaseLocation>;
  /** The folder the payment sandbox keeps its data file in. */
  sandboxDir: string;
  options: ServiceEnvOptions;
}

/**
 * Starts every process of a stack: users, products and the payment sandbox at once, then orders
 * (it is given the products and sandbox origins), then the router in front of the subgraphs.
 */
export async function launchStackServices(services: StackServices, plan: LaunchPlan): Promise<void> {
  const { secrets, databases, sandboxDir, options } = plan;
  await services.launch([
    ['users', { ...subgraphEnv('users', databases.users, secrets), ...options.usersEnv }],
    [
      'products',
      {
        ...subgraphEnv('products', databases.products, secrets),
        PRODUCTS_INVENTORY_SECRET: secrets.inventory,
        ...options.productsEnv,
      },
    ],
    [
      'paymentSandbox',
      {
        PAYMENT_SANDBOX_DATA_FILE: join(sandboxDir, 'payment-sandbox.sqlite'),
        PAYMENT_SANDBOX_SECRET_KEY: secrets.sandboxKey,
        ...options.paymentSandboxEnv,
      },
    ],
  ]);
  const { running } = services;
  const ordersEnv = {
    ...subgraphEnv('orders', databases.orders, secrets),
    PRODUCTS_INTERNAL_URL: running.products.origin,
    PRODUCTS_INVENTORY_SECRET: secrets.inventory,
    PAYMENT_PROVIDER_URL: running.paymentSandbox.origin,
    PAYMENT_PROVIDER_SECRET_KEY: secrets.sandboxKey,
    ...options.ordersEnv,
  };
  await services.launch([['orders', ordersEnv]]);
  await services.launch([['router', routerEnv(secrets, services.subgraphs, options)]]);
}

/** The router's settings: the supergraph it serves, each subgraph's URL and router secret, the key it checks tokens with. */
function routerEnv(
  secrets: StackSecrets,
  subgraphs: Record<SubgraphName, { url: string }>,
  options: ServiceEnvOptions,
): Record<string, string> {
  return {
    SUPERGRAPH_PATH: options.supergraphPath ?? join(REPO_ROOT, 'supergraph.graphql'),
    USERS_SUBGRAPH_URL: subgraphs.users.url,
    PRODUCTS_SUBGRAPH_URL: subgraphs.products.url,
    ORDERS_SUBGRAPH_URL: subgraphs.orders.url,
    // Generous: on a busy 2-core machine a password hash or a checkout takes seconds. The timeout suite sets its own.
    SUBGRAPH_TIMEOUT_MS: '15000',
    JWT_PUBLIC_KEY: secrets.keys.publicKeyPem,
    ...Object.fromEntries(SUBGRAPHS.map((name) => [secretVariable(name), secrets.subgraphs[name]])),
    ...options.routerEnv,
  };
}
