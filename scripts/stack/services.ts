import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** How a stack runs its services: from dist (`start`) or from TypeScript sources with reloads (`dev`). */
export type StackMode = 'start' | 'dev';

/** A service of the stack: its package folder, its port and how to tell it is ready. */
export interface StackService {
  name: string;
  dir: string;
  port: number;
  /** GET this path answers 200 once the service can serve. */
  readyPath: string;
}

/** A command the stack runs, as concurrently takes it. */
export interface StackCommand {
  name: string;
  command: string;
  cwd: string;
  env: Record<string, string>;
}

// The services `npm start` ran under turbo (every package with a `start` script), each port
// overridable for the whole stack (the e2e suite runs one on free ports).
const SERVICES: readonly { name: string; dir: string; portVariable: string; defaultPort: number }[] = [
  { name: 'users', dir: 'subgraphs/users', portVariable: 'USERS_PORT', defaultPort: 4001 },
  { name: 'products', dir: 'subgraphs/products', portVariable: 'PRODUCTS_PORT', defaultPort: 4002 },
  { name: 'orders', dir: 'subgraphs/orders', portVariable: 'ORDERS_PORT', defaultPort: 4003 },
  { name: 'payment-sandbox', dir: 'packages/payment-sandbox', portVariable: 'PAYMENT_SANDBOX_PORT', defaultPort: 4010 },
  { name: 'router', dir: 'router', portVariable: 'ROUTER_PORT', defaultPort: 4000 },
];

function readPort(env: NodeJS.ProcessEnv, variable: string, fallback: number): number {
  const value = env[variable];
  if (value === undefined || value === '') return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`${variable} must be a port number (got "${value}")`);
  return port;
}

export function readStackServices(env: NodeJS.ProcessEnv): StackService[] {
  return SERVICES.map(({ name, dir, portVariable, defaultPort }) => ({
    name,
    dir,
    port: readPort(env, portVariable, defaultPort),
    readyPath: '/ready',
  }));
}

/**
 * What each service is told about the others, unless the caller set it: the subgraphs' and the
 * products and payment URLs follow the stack's ports.
 */
function linkEnv(services: StackService[], env: NodeJS.ProcessEnv): Record<string, string> {
  const portOf = (name: string) => services.find((service) => service.name === name)!.port;
  const links: Record<string, string> = {
    USERS_SUBGRAPH_URL: `http://127.0.0.1:${portOf('users')}/graphql`,
    PRODUCTS_SUBGRAPH_URL: `http://127.0.0.1:${portOf('products')}/graphql`,
    ORDERS_SUBGRAPH_URL: `http://127.0.0.1:${portOf('orders')}/graphql`,
    PRODUCTS_INTERNAL_URL: `http://127.0.0.1:${portOf('products')}`,
    PAYMENT_PROVIDER_URL: `http://127.0.0.1:${portOf('payment-sandbox')}`,
  };
  return Object.fromEntries(Object.entries(links).filter(([name]) => env[name] === undefined));
}

/**
 * The commands of a stack: each service's own `start` or `dev` script from its package.json, run in
 * its folder with its PORT; in dev mode also the supergraph recomposition watcher.
 */
export function stackCommands(root: string, mode: StackMode, services: StackService[], env: NodeJS.ProcessEnv): StackCommand[] {
  const links = linkEnv(services, env);
  const scriptOf = (dir: string) => {
    const { scripts } = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    const script = scripts[mode];
    if (!script) throw new Error(`${dir}/package.json has no "${mode}" script`);
    return script;
  };
  const commands: StackCommand[] = services.map((service) => ({
    name: service.name,
    command: scriptOf(service.dir),
    cwd: join(root, service.dir),
    env: { ...links, PORT: String(service.port) },
  }));
  if (mode === 'dev') {
    commands.push({
      name: 'compose',
      command: scriptOf('packages/schema-tools'),
      cwd: join(root, 'packages/schema-tools'),
      env: {},
    });
  }
  return commands;
}
