// The supervised local stack behind `npm start`, `npm run dev` and `npm run start:postgres`
// (decision 020): every service under concurrently, a service that dies restarted with back-off
// while the others keep serving, one line when the whole stack is ready, and Ctrl-C or SIGTERM
// stopping every service gracefully. Run it as `node --import tsx scripts/stack.ts start|dev`
// after a build; the ports come from ROUTER_PORT, USERS_PORT, PRODUCTS_PORT, ORDERS_PORT and
// PAYMENT_SANDBOX_PORT (defaults 4000 to 4003 and 4010).
import { spawn } from 'node:child_process';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createConcurrently, LogError, LogExit, LogOutput, Logger, RestartProcess, type Command } from 'concurrently';
import { readyLine, waitUntilReady } from './stack/ready-watch.js';
import { readStackServices, stackCommands, type StackMode, type StackService } from './stack/services.js';
import { StopOnSignal } from './stack/stop-on-signal.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
/** A service that keeps dying is started again after 1, 2, 4 … 128 s, then left down. */
const RESTART_TRIES = 8;

function readMode(argument: string | undefined): StackMode {
  if (argument === 'start' || argument === 'dev') return argument;
  process.stderr.write('usage: node --import tsx scripts/stack.ts start|dev\n');
  process.exit(2);
}

const mode = readMode(process.argv[2]);
// The package scripts call tsx and friends as npm would find them.
process.env.PATH = [join(ROOT, 'node_modules', '.bin'), process.env.PATH].join(delimiter);
const services = readStackServices(process.env);
const logger = new Logger({ prefixFormat: 'name' });
const stop = new StopOnSignal();
const { commands, result } = createConcurrently(stackCommands(ROOT, mode, services, process.env), {
  logger,
  outputStream: process.stdout,
  prefixColors: ['auto'],
  controllers: [
    new LogError({ logger }),
    new LogOutput({ logger }),
    new LogExit({ logger }),
    stop,
    new RestartProcess({ logger, delay: 'exponential', tries: RESTART_TRIES }),
  ],
  // Each service in a process group of its own: Ctrl-C reaches the stack alone, which passes it on
  // once. A service that received it twice would take the second as "exit now".
  spawn: (command, options) => spawn('/bin/sh', ['-c', command], { ...options, detached: true }),
  // The service's own process only (the scripts exec it): `tsx watch` passes it on to its child.
  kill: (pid, signal) => {
    try {
      process.kill(pid, signal);
    } catch {
      // It has exited already.
    }
  },
});

watchReadiness(commands, services);
void result.then(
  () => !stop.isStopping && process.exit(0),
  () => !stop.isStopping && process.exit(1),
);

/**
 * Prints the ready line once every service answers GET /ready, and "stack ready again" after a
 * service that died is back; logs each process's pid as it starts; exits once a stop has ended them all.
 */
function watchReadiness(running: Command[], stackServices: StackService[]): void {
  const stopped = new AbortController();
  let isWatching = false;
  const announceWhenReady = (again: boolean) => {
    if (isWatching) return;
    isWatching = true;
    void waitUntilReady(stackServices, stopped.signal).then((ready) => {
      isWatching = false;
      if (ready && !stop.isStopping) logger.logGlobalEvent(readyLine(stackServices, again));
    });
  };
  for (const command of running) {
    const logPid = () => logger.logCommandEvent(`started (pid ${command.pid})`, command);
    // createConcurrently has started the commands already; a restart's start event comes once its pid is known.
    if (command.state === 'started') logPid();
    command.timer.subscribe(({ endDate }) => {
      if (!endDate) logPid();
      else if (!stop.isStopping) announceWhenReady(true);
    });
    // After concurrently's own exit line: the close event of a deliberate stop.
    command.close.subscribe(() => {
      if (!stop.isStopping) return;
      stopped.abort();
      if (running.every((each) => each.state !== 'started')) exitAfterStop();
    });
  }
  announceWhenReady(false);
}

function exitAfterStop(): void {
  const failed = [...stop.exitCodes].filter(([, code]) => code !== 0);
  logger.logGlobalEvent(
    failed.length === 0
      ? 'stack stopped'
      : `stack stopped; ${failed.map(([name, code]) => `${name} exited with ${code}`).join(', ')}`,
  );
  process.exit(failed.length === 0 ? 0 : 1);
}
