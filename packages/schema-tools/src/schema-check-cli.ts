// `npm run schema:check`: will this change break clients? Run from the repository root through tsx.
// Exit codes: 0 pass, 1 the check failed, 2 the check could not run (bad command line or input).
import { resolve } from 'node:path';
import { readCommandLine, UsageError } from './command-line.js';
import { AcceptedChangesError } from './accepted-changes.js';
import { defaultBaseSpec, type BaseSpec } from './base-supergraph.js';
import { runSchemaCheck, SchemaCheckInputError, type SchemaCheckOptions } from './schema-check.js';
import { formatSchemaCheckReport } from './schema-check-report.js';
import { SupergraphConfigError } from './supergraph-config.js';

const USAGE = `Usage: npm run schema:check -- [options]

Composes the supergraph from the working tree and fails when composition fails, when a change would
break clients compared with the base (default: supergraph.graphql as committed on main), or when an
operation in operations/ no longer validates. Dangerous changes are reported and pass; breaking ones
pass only when listed in schema-changes/accepted.yaml.

Options:
  --subgraph <name>   check a proposed schema for this subgraph against the others ...
  --schema <path>     ... read from this file (both or neither)
  --base <git ref>    compare with supergraph.graphql at this ref (default: main, else origin/main)
  --base-file <path>  compare with this supergraph file instead
  --json              print the report as JSON on stdout
  --config <path>     composition config (default: ./supergraph.yaml)
  --operations <dir>  client operations to validate (default: ./operations)
  --accepted <path>   accepted breaking changes (default: ./schema-changes/accepted.yaml)
  -h, --help          show this help

Exit codes: 0 pass, 1 the check failed, 2 the check could not run.`;

function parseCliArgs(args: string[]): { options: SchemaCheckOptions; isJson: boolean } | 'help' {
  const values = readCommandLine(args, {
    subgraph: { type: 'string' },
    schema: { type: 'string' },
    base: { type: 'string' },
    'base-file': { type: 'string' },
    json: { type: 'boolean', default: false },
    config: { type: 'string' },
    operations: { type: 'string' },
    accepted: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (values.help) return 'help';
  if ((values.subgraph === undefined) !== (values.schema === undefined)) {
    throw new UsageError('--subgraph and --schema go together: the subgraph to replace and the file with its proposed schema');
  }
  if (values.base !== undefined && values['base-file'] !== undefined)
    throw new UsageError('--base and --base-file cannot be combined');

  const supergraphPath = resolve('supergraph.graphql');
  let base: BaseSpec = defaultBaseSpec(supergraphPath);
  if (values.base !== undefined) base = { kind: 'git', refs: [values.base], path: supergraphPath, isExplicit: true };
  if (values['base-file'] !== undefined) base = { kind: 'file', path: resolve(values['base-file']) };
  return {
    isJson: values.json,
    options: {
      configPath: resolve(values.config ?? 'supergraph.yaml'),
      base,
      operationsDirectory: resolve(values.operations ?? 'operations'),
      acceptedChangesPath: resolve(values.accepted ?? 'schema-changes/accepted.yaml'),
      ...(values.subgraph !== undefined && values.schema !== undefined
        ? { proposed: { subgraph: values.subgraph, schemaPath: resolve(values.schema) } }
        : {}),
    },
  };
}

function isInputError(error: unknown): error is Error {
  return (
    error instanceof SupergraphConfigError || error instanceof AcceptedChangesError || error instanceof SchemaCheckInputError
  );
}

async function runCli(args: string[]): Promise<number> {
  const isJson = args.includes('--json');
  const refuse = (message: string, withUsage: boolean): number => {
    if (isJson) console.log(JSON.stringify({ verdict: 'error', error: message }, null, 2));
    else console.error(`schema:check: ${message}${withUsage ? `\n\n${USAGE}` : ''}`);
    return 2;
  };

  let parsed;
  try {
    parsed = parseCliArgs(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return refuse(error.message, true);
  }
  if (parsed === 'help') {
    console.log(USAGE);
    return 0;
  }
  try {
    const report = await runSchemaCheck(parsed.options);
    console.log(parsed.isJson ? JSON.stringify(report, null, 2) : formatSchemaCheckReport(report).trimEnd());
    return report.verdict === 'pass' ? 0 : 1;
  } catch (error) {
    if (!isInputError(error)) throw error;
    return refuse(error.message, false);
  }
}

try {
  // exitCode rather than exit(): let stdout drain (a JSON report can be large).
  process.exitCode = await runCli(process.argv.slice(2));
} catch (error) {
  console.error(`schema:check: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 2;
}
