import type { CloseEvent, Command, FlowController } from 'concurrently';
import { map } from 'rxjs';

/**
 * A second signal this soon after the first is the same Ctrl-C: the terminal sends SIGINT to npm and
 * to the stack, and npm passes it on once more.
 */
const SAME_SIGNAL_MS = 1_000;

/**
 * concurrently's flow controller for a deliberate stop, in place of its KillOnSignal: SIGINT or SIGTERM
 * to the stack is sent once to each service's own process, which drains and exits 0. From then on no
 * service is restarted and its exit counts as a success for the restart logic; the real exit codes are
 * kept for the stack's own. A signal more than a second later is passed on again, and each service
 * exits at once (130/143).
 */
export class StopOnSignal implements FlowController {
  private firstSignalAt: number | undefined;
  readonly exitCodes = new Map<string, CloseEvent['exitCode']>();

  get isStopping(): boolean {
    return this.firstSignalAt !== undefined;
  }

  handle(commands: Command[]) {
    const onSignal = (signal: NodeJS.Signals) => {
      const now = Date.now();
      if (this.firstSignalAt !== undefined && now - this.firstSignalAt < SAME_SIGNAL_MS) return;
      this.firstSignalAt ??= now;
      for (const command of commands) command.kill(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    process.on('SIGHUP', onSignal);
    return {
      commands: commands.map(
        (command) =>
          new Proxy(command, {
            get: (target, property) => {
              if (property === 'close') return target.close.pipe(map((event) => this.recordExit(event)));
              // A restart scheduled before the stop (a crash in its back-off) does not start it again.
              if (property === 'start') return () => (this.isStopping ? undefined : target.start());
              return Reflect.get(target, property, target) as unknown;
            },
          }),
      ),
    };
  }

  private recordExit(event: CloseEvent): CloseEvent {
    if (!this.isStopping) return event;
    this.exitCodes.set(event.command.name, event.exitCode);
    return { ...event, exitCode: 0 };
  }
}
