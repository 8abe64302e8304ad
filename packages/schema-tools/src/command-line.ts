import { parseArgs, type ParseArgsConfig } from 'node:util';

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** The option values parseArgs reads for `TOptions`, strictly and without positionals. */
type CommandLineValues<TOptions extends OptionsConfig> = ReturnType<
  typeof parseArgs<{ args: string[]; options: TOptions; strict: true; allowPositionals: false }>
>['values'];

/** A command line the tool cannot run with: its message is shown above the usage text. */
export class UsageError extends Error {}

/**
 * Reads a tool's command line with node's parseArgs, strictly (an unknown option or a positional
 * argument is refused): a bad command line becomes a UsageError.
 */
export function readCommandLine<const TOptions extends OptionsConfig>(
  args: string[],
  options: TOptions,
): CommandLineValues<TOptions> {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}
