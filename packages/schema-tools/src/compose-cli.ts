// `npm run compose`: supergraph.yaml -> supergraph.graphql and api-schema.graphql. Run from the
// repository root through tsx.
// Exit codes: 0 success, 1 composition failed / output stale / bad config, 2 bad command line.
import { resolve } from 'node:path';
import { readCommandLine, UsageError } from './command-line.js';
import { renderApiSchemaFile } from './api-schema.js';
import { composeSupergraph } from './compose.js';
import { formatCompositionReport } from './composition-report.js';
import { formatDisplayPath } from './display-path.js';
import { describeFileError, SupergraphConfigError } from './supergraph-config.js';
import { readSupergraphFile, renderSupergraphFile, writeSupergraphFileIfChanged } from './supergraph-file.js';
import { watchFiles } from './watch-files.js';

const USAGE = `Usage: npm run compose -- [options]

Composes the subgraph schemas listed in supergraph.yaml into supergraph.graphql, and writes the
API schema clients see (the supergraph without federation directives) to api-schema.graphql.

Options:
  --config <path>   composition config (default: ./supergraph.yaml)
  --out <path>      supergraph file to write (default: ./supergraph.graphql)
  --api-out <path>  API schema file to write (default: ./api-schema.graphql)
  --copy-to <path>  also write the supergraph here (repeatable), for a directory that must hold its
                    own copy, such as the Kubernetes base's ConfigMap source
  --check           do not write; exit 1 if an output file is missing or stale
  --watch           recompose whenever the config or a subgraph schema file changes
  -h, --help        show this help`;

interface CliOptions {
  configPath: string;
  outPath: string;
  apiOutPath: string;
  copyPaths: string[];
  isCheck: boolean;
  isWatch: boolean;
}

/** An output file and what it should contain. */
interface Output {
  path: string;
  contents: string;
}

/** What one composition attempt produced; problems have already been printed. */
type Attempt =
  | { status: 'composed'; outputs: Output[]; subgraphCount: number; hintCount: number; watchedFiles: string[] }
  | { status: 'failed'; watchedFiles: string[] }
  | { status: 'invalid-config' };

function parseCliArgs(args: string[]): CliOptions | 'help' {
  const values = readCommandLine(args, {
    config: { type: 'string' },
    out: { type: 'string' },
    'api-out': { type: 'string' },
    'copy-to': { type: 'string', multiple: true },
    check: { type: 'boolean', default: false },
    watch: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (values.help) return 'help';
  if (values.check && values.watch) throw new UsageError('--check and --watch cannot be combined');
  return {
    configPath: resolve(values.config ?? 'supergraph.yaml'),
    outPath: resolve(values.out ?? 'supergraph.graphql'),
    apiOutPath: resolve(values['api-out'] ?? 'api-schema.graphql'),
    copyPaths: (values['copy-to'] ?? []).map((path) => resolve(path)),
    isCheck: values.check,
    isWatch: values.watch,
  };
}

async function attemptComposition(options: CliOptions): Promise<Attempt> {
  let result;
  try {
    result = await composeSupergraph(options.configPath);
  } catch (error) {
    if (!(error instanceof SupergraphConfigError)) throw error;
    console.error(error.message);
    return { status: 'invalid-config' };
  }
  const watchedFiles = [options.configPath, ...result.config.subgraphs.map((subgraph) => subgraph.schemaPath)];
  if (!result.ok) {
    console.error(formatCompositionReport(result).trimEnd());
    return { status: 'failed', watchedFiles };
  }
  if (result.hints.length > 0) console.error(formatCompositionReport(result).trimEnd());
  const supergraph = renderSupergraphFile(result.supergraphSdl, options);
  return {
    status: 'composed',
    outputs: [
      { path: options.outPath, contents: supergraph },
      ...options.copyPaths.map((path) => ({ path, contents: supergraph })),
      {
        path: options.apiOutPath,
        contents: renderApiSchemaFile(result.supergraphSdl, { ...options, outPath: options.apiOutPath }),
      },
    ],
    subgraphCount: result.config.subgraphs.length,
    hintCount: result.hints.length,
    watchedFiles,
  };
}

/** Composes and writes; returns the files a watcher should follow. */
async function composeAndWrite(options: CliOptions): Promise<{ isSuccess: boolean; watchedFiles?: string[] }> {
  const attempt = await attemptComposition(options);
  if (attempt.status !== 'composed') {
    return { isSuccess: false, ...(attempt.status === 'failed' ? { watchedFiles: attempt.watchedFiles } : {}) };
  }
  const names = attempt.outputs.map((output) => formatDisplayPath(output.path));
  let isWritten = false;
  for (const [index, output] of attempt.outputs.entries()) {
    try {
      // Not short-circuited: every stale output is written.
      isWritten = (await writeSupergraphFileIfChanged(output.path, output.contents)) || isWritten;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      console.error(
        `cannot write ${names[index]} (${code === 'ENOENT' ? 'its directory does not exist' : describeFileError(error)})`,
      );
      return { isSuccess: false, watchedFiles: attempt.watchedFiles };
    }
  }
  const hints = `${attempt.hintCount} ${attempt.hintCount === 1 ? 'hint' : 'hints'}`;
  console.log(
    isWritten
      ? `composed ${attempt.subgraphCount} subgraphs -> ${names.join(', ')} (${hints})`
      : `composed ${attempt.subgraphCount} subgraphs: ${listOf(names)} are up to date (${hints})`,
  );
  return { isSuccess: true, watchedFiles: attempt.watchedFiles };
}

/** `a and b`, `a, b and c`. */
function listOf(names: string[]): string {
  return names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

async function checkOutput(options: CliOptions): Promise<boolean> {
  const attempt = await attemptComposition(options);
  if (attempt.status !== 'composed') return false;
  let isCurrent = true;
  for (const output of attempt.outputs) {
    const existing = await readSupergraphFile(output.path);
    if (existing === output.contents) continue;
    console.error(`${formatDisplayPath(output.path)} is ${existing === undefined ? 'missing' : 'stale'}: run npm run compose`);
    isCurrent = false;
  }
  if (isCurrent) {
    const names = attempt.outputs.map((output) => formatDisplayPath(output.path));
    console.log(`${listOf(names)} are up to date (${attempt.subgraphCount} subgraphs)`);
  }
  return isCurrent;
}

async function watchAndCompose(options: CliOptions): Promise<void> {
  let watchedFiles = [options.configPath];
  let isRunning = false;
  let isPending = false;

  // Runs never overlap: a change that arrives mid-run triggers exactly one more run afterwards.
  const runComposition = async (): Promise<void> => {
    if (isRunning) {
      isPending = true;
      return;
    }
    isRunning = true;
    try {
      do {
        isPending = false;
        try {
          const outcome = await composeAndWrite(options);
          // A broken config lists no files; keep following the previous ones until it is fixed.
          watchedFiles = outcome.watchedFiles ?? watchedFiles;
        } catch (error) {
          console.error(error instanceof Error ? error.message : String(error));
        }
        watcher.setFiles(watchedFiles);
      } while (isPending);
    } finally {
      isRunning = false;
    }
  };

  const watcher = watchFiles(() => void runComposition());
  const stop = (): void => {
    watcher.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);

  await runComposition();
  console.log(`watching ${formatDisplayPath(options.configPath)} and its subgraph schemas for changes (Ctrl-C to stop)`);
}

async function runCli(args: string[]): Promise<number> {
  let options;
  try {
    options = parseCliArgs(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`compose: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (options === 'help') {
    console.log(USAGE);
    return 0;
  }
  if (options.isWatch) {
    await watchAndCompose(options);
    return 0;
  }
  if (options.isCheck) return (await checkOutput(options)) ? 0 : 1;
  return (await composeAndWrite(options)).isSuccess ? 0 : 1;
}

try {
  // exitCode rather than exit(): let stdout/stderr drain, and leave watch mode running.
  process.exitCode = await runCli(process.argv.slice(2));
} catch (error) {
  console.error(`compose: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
