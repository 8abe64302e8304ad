import { formatCompositionReport } from './composition-report.js';
import type { OperationError } from './operation-check.js';
import type { CheckedChange, SchemaCheckReport } from './schema-check.js';

const CRITICALITY_LABEL = { BREAKING: 'breaking', DANGEROUS: 'dangerous', NON_BREAKING: 'non-breaking' } as const;

/**
 * Renders a schema check for a terminal or a CI log, in the composition report's style: a section
 * per stage (composition, changes, operations), one block per finding with `file:line:column`
 * positions, and a closing verdict line. Paths in the report are already relative.
 */
export function formatSchemaCheckReport(report: SchemaCheckReport): string {
  const sections = [
    formatHeading(report),
    formatComposition(report),
    formatChanges(report),
    formatOperations(report),
    formatVerdict(report),
  ];
  return `${sections.filter((section) => section !== '').join('\n\n')}\n`;
}

function formatHeading(report: SchemaCheckReport): string {
  const subject = report.proposed
    ? `${report.proposed.subgraph} as proposed in ${report.proposed.schemaFile}, with the other subgraphs from the working tree,`
    : 'the working tree';
  return `schema check: ${subject} against ${report.base.label}`;
}

function formatComposition({ composition }: SchemaCheckReport): string {
  // The composition report's paths are relative already; `cwd` only matters for absolute ones.
  const diagnostics = formatCompositionReport({ errors: composition.errors, hints: composition.hints }).trimEnd();
  const status = composition.ok
    ? `composition: ok (${composition.subgraphs.length} subgraphs: ${composition.subgraphs.join(', ')})`
    : 'composition: failed';
  return diagnostics === '' ? status : `${status}\n\n${diagnostics}`;
}

function formatChanges(report: SchemaCheckReport): string {
  if (!report.composition.ok) return 'changes: not compared (composition failed)';
  if (!report.base.isCompared) return `changes: not compared, the base cannot be read (${report.base.unavailableReason})`;
  const { summary } = report;
  const counts = [
    [summary.breaking, 'breaking'],
    [summary.acceptedBreaking, 'accepted breaking'],
    [summary.dangerous, 'dangerous'],
    [summary.nonBreaking, 'non-breaking'],
  ] as const;
  const heading = `changes: ${
    counts
      .filter(([count]) => count > 0)
      .map(([count, label]) => `${count} ${label}`)
      .join(', ') || 'none'
  }`;
  const blocks = report.changes
    .filter((change) => change.criticality !== 'NON_BREAKING')
    .map((change) => formatChange(change, report));
  // Safe changes get a line each, except description edits, which are only counted (--json lists them).
  const safe = report.changes.filter((change) => change.criticality === 'NON_BREAKING');
  const descriptionCount = safe.filter((change) => change.type.includes('_DESCRIPTION_')).length;
  const safeLines = safe.filter((change) => !change.type.includes('_DESCRIPTION_')).map(formatSafeChange);
  if (descriptionCount > 0)
    safeLines.push(`non-breaking: ${descriptionCount} description ${descriptionCount === 1 ? 'change' : 'changes'}`);
  if (safeLines.length > 0) blocks.push(safeLines.join('\n'));
  blocks.push(
    ...report.acceptedChanges.stale.map(
      (entry) =>
        `warning ${report.acceptedChanges.file} accepts ${entry.type} ${entry.path}, which matches no change: remove the entry once the change is on the base`,
    ),
  );
  return [heading, ...blocks].join('\n\n');
}

function formatChange(change: CheckedChange, report: SchemaCheckReport): string {
  const lines = [`${CRITICALITY_LABEL[change.criticality]} ${change.type}${change.accepted ? ' (accepted)' : ''}`];
  lines.push(`  coordinate: ${change.coordinate}`);
  if (change.subgraphs.length > 0)
    lines.push(`  ${change.subgraphs.length === 1 ? 'subgraph:  ' : 'subgraphs: '} ${change.subgraphs.join(', ')}`);
  lines.push(`  ${change.message}`);
  if (change.criticality === 'DANGEROUS' && change.reason !== undefined) lines.push(`  why:        ${change.reason}`);
  change.usedBy.forEach((use, index) => {
    lines.push(
      `  ${index === 0 ? 'used by:   ' : '           '} ${use.operation ?? 'an anonymous operation'} (${use.file}:${use.line}:${use.column})`,
    );
  });
  if (change.accepted) {
    lines.push(`  accepted:   by ${change.accepted.acceptedBy} on ${change.accepted.date}: ${change.accepted.reason}`);
  } else if (change.criticality === 'BREAKING') {
    lines.push(
      `  to accept:  add to ${report.acceptedChanges.file}, under accepted:`,
      `                - type: ${change.type}`,
      `                  path: ${change.path}`,
      '                  reason: <why clients can live with it>',
      '                  acceptedBy: <your name>',
      '                  date: <YYYY-MM-DD>',
    );
  }
  return lines.join('\n');
}

function formatSafeChange(change: CheckedChange): string {
  const owners = change.subgraphs.length > 0 ? ` (${change.subgraphs.join(', ')})` : '';
  const coordinate = change.coordinate === '' ? '' : ` ${change.coordinate}`;
  return `non-breaking ${change.type}${coordinate}${owners}: ${change.message}`;
}

function formatOperations({ operations }: SchemaCheckReport): string {
  if (!operations.isChecked) return 'operations: not checked (composition failed)';
  const files = `${operations.files.length} ${operations.files.length === 1 ? 'file' : 'files'}`;
  if (operations.errors.length === 0) return `operations: ${files}, all valid`;
  const heading = `operations: ${operations.errors.length} ${operations.errors.length === 1 ? 'error' : 'errors'} in ${files}`;
  return [heading, ...operations.errors.map(formatOperationError)].join('\n\n');
}

function formatOperationError(error: OperationError): string {
  const lines = [`error ${error.file}:${error.line}:${error.column}`];
  if (error.definition !== null) {
    const name = error.operation ?? '(anonymous)';
    lines.push(`  ${error.definition === 'fragment' ? 'fragment: ' : 'operation:'}  ${name}`);
  }
  if (error.coordinate !== null) lines.push(`  coordinate: ${error.coordinate}`);
  lines.push(`  ${error.message}`);
  return lines.join('\n');
}

function formatVerdict({ verdict, summary }: SchemaCheckReport): string {
  const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;
  const parts =
    verdict === 'fail'
      ? [
          summary.compositionErrors > 0 ? plural(summary.compositionErrors, 'composition error') : '',
          summary.breaking > 0 ? plural(summary.breaking, 'breaking change') : '',
          summary.operationErrors > 0 ? plural(summary.operationErrors, 'operation error') : '',
        ]
      : [
          summary.acceptedBreaking > 0 ? plural(summary.acceptedBreaking, 'accepted breaking change') : '',
          summary.dangerous > 0 ? plural(summary.dangerous, 'dangerous change') : '',
          summary.staleAcceptances > 0 ? plural(summary.staleAcceptances, 'stale acceptance') : '',
        ];
  const details = parts.filter((part) => part !== '').join(', ');
  return `schema check ${verdict === 'fail' ? 'failed' : 'passed'}${details === '' ? '' : `: ${details}`}`;
}
