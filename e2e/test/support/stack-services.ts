import { startService, type ExitStatus, type ServiceProcess } from './processes.js';

export const SUBGRAPHS = ['users', 'products', 'orders'] as const;
export type SubgraphName = (typeof SUBGRAPHS)[number];
/** Every process a stack runs, as env(), restart(), stopService() and startServiceAgain() name them. */
export type ServiceName = SubgraphName | 'paymentSandbox' | 'router';

/** Each service's entry point and the name its ServiceProcess (and error messages) carry. */
const SERVICES: Record<ServiceName, { entry: string; processName: string }> = {
  users: { entry: 'subgraphs/users/src/index.ts', processName: 'users' },
  products: { entry: 'subgraphs/products/src/index.ts', processName: 'products' },
  orders: { entry: 'subgraphs/orders/src/index.ts', processName: 'orders' },
  paymentSandbox: { entry: 'packages/payment-sandbox/src/index.ts', processName: 'payment-sandbox' },
  router: { entry: 'router/src/index.ts', processName: 'router' },
};

function isSubgraph(name: ServiceName): name is SubgraphName {
  return (SUBGRAPHS as readonly string[]).includes(name);
}

export interface StartAgainOptions {
  /** Settings to remove from the env the process last started with (say, a CHECKOUT_CRASH_POINT). Default none. */
  unset?: string[];
}

/**
 * The processes of one stack: the current one of each service with the settings it started with,
 * and every process ever started (restarted ones and extra routers included) for stopAll().
 */
export interface StackServices {
  /** The current process of each service (once it has started). */
  readonly running: Readonly<Record<ServiceName, ServiceProcess>>;
  /** The current subgraph processes: an entry is replaced when its service starts again. */
  readonly subgraphs: Record<SubgraphName, ServiceProcess>;
  /** A copy of the settings the current process of a service started with (PORT aside). */
  env: (name: ServiceName) => Record<string, string>;
  /** Starts services at once, on free ports; when one fails, the others are still stopped by stopAll(). */
  launch: (launches: [ServiceName, Record<string, string>][]) => Promise<void>;
  /** As Stack.stopService. */
  stopService: (name: ServiceName, signal?: 'SIGKILL' | 'SIGTERM') => Promise<ExitStatus>;
  /** As Stack.startServiceAgain. */
  startServiceAgain: (
    name: ServiceName,
    extraEnv?: Record<string, string>,
    options?: StartAgainOptions,
  ) => Promise<ServiceProcess>;
  /** As Stack.startRouter: the current router's settings plus `extraEnv`, not replacing the current router. */
  startRouter: (extraEnv: Record<string, string>) => Promise<ServiceProcess>;
  /** Stops every process started (those that exited already are skipped); resolves to how each stop went. */
  stopAll: () => Promise<PromiseSettledResult<number | null>[]>;
}

export function createStackServices(): StackServices {
  const started: ServiceProcess[] = [];
  const running = {} as Record<ServiceName, ServiceProcess>;
  const subgraphs = {} as Record<SubgraphName, ServiceProcess>;
  const settings = {} as Record<ServiceName, Record<string, string>>;

  const startOne = async (name: ServiceName, env: Record<string, string>, port?: number) => {
    const service = await startService(SERVICES[name].processName, SERVICES[name].entry, {
      ...env,
      ...(port === undefined ? {} : { PORT: String(port) }),
    });
    started.push(service);
    running[name] = service;
    if (isSubgraph(name)) subgraphs[name] = service;
    settings[name] = env;
    return service;
  };

  return {
    running,
    subgraphs,
    env: (name) => ({ ...settings[name] }),
    async launch(launches) {
      const results = await Promise.allSettled(launches.map(([name, env]) => startOne(name, env)));
      const failed = results.find((result) => result.status === 'rejected');
      if (failed) throw failed.reason;
    },
    async stopService(name, signal = 'SIGKILL') {
      const service = running[name];
      if (signal === 'SIGTERM') await service.stop();
      else await service.kill('SIGKILL');
      return service.exited;
    },
    async startServiceAgain(name, extraEnv = {}, { unset = [] } = {}) {
      const previous = running[name];
      if (!previous.hasExited) throw new Error(`${previous.name} is still running: stop it with stopService() first`);
      const env = { ...settings[name], ...extraEnv };
      for (const key of unset) delete env[key];
      return startOne(name, env, previous.port);
    },
    async startRouter(extraEnv) {
      const router = await startService(SERVICES.router.processName, SERVICES.router.entry, { ...settings.router, ...extraEnv });
      started.push(router);
      return router;
    },
    stopAll: () => Promise.allSettled(started.map((service) => service.stop())),
  };
}
