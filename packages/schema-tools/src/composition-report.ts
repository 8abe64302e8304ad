import type { CompositionDiagnostic, DiagnosticLocation } from './composition-diagnostics.js';
import { formatDisplayPath } from './display-path.js';

export interface CompositionReportOptions {
  /** Directory that file paths are shown relative to. Default: `process.cwd()`. */
  cwd?: string;
}

/**
 * Renders composition errors and hints for a terminal: one block per diagnostic (severity and code,
 * subgraphs, coordinate, `file:line:column` for each location, then the message), and a closing
 * summary line when there are errors. Plain text, so it reads the same in CI logs.
 */
export function formatCompositionReport(
  report: { errors?: readonly CompositionDiagnostic[]; hints?: readonly CompositionDiagnostic[] },
  options: CompositionReportOptions = {},
): string {
  const cwd = options.cwd ?? process.cwd();
  const errors = report.errors ?? [];
  const blocks = [...errors, ...(report.hints ?? [])].map((diagnostic) => formatDiagnostic(diagnostic, cwd));
  if (errors.length > 0) {
    blocks.push(`composition failed: ${errors.length} ${errors.length === 1 ? 'error' : 'errors'}`);
  }
  return blocks.length === 0 ? '' : `${blocks.join('\n\n')}\n`;
}

function formatDiagnostic(diagnostic: CompositionDiagnostic, cwd: string): string {
  const lines = [`${diagnostic.severity} ${diagnostic.code}`];
  if (diagnostic.subgraphs.length > 0) {
    lines.push(`  ${diagnostic.subgraphs.length === 1 ? 'subgraph:  ' : 'subgraphs: '} ${diagnostic.subgraphs.join(', ')}`);
  }
  if (diagnostic.coordinate !== undefined) {
    lines.push(`  coordinate: ${diagnostic.coordinate}`);
  }
  for (const location of diagnostic.locations) {
    lines.push(`  location:   ${formatLocation(location, cwd)}`);
  }
  // Some messages span lines (satisfiability errors embed a query); keep them inside the block.
  lines.push(...diagnostic.message.split('\n').map((line) => (line === '' ? '' : `  ${line}`)));
  return lines.join('\n');
}

function formatLocation(location: DiagnosticLocation, cwd: string): string {
  const position =
    location.file === undefined
      ? `line ${location.line}, column ${location.column}`
      : `${formatDisplayPath(location.file, cwd)}:${location.line}:${location.column}`;
  return `${position} (${location.subgraph})`;
}
