import type { CompositionSuccess } from '@apollo/composition';
import {
  getLocation,
  isTypeDefinitionNode,
  isTypeExtensionNode,
  Kind,
  type ASTNode,
  type DocumentNode,
  type EnumValueDefinitionNode,
  type FieldDefinitionNode,
  type GraphQLError,
  type InputValueDefinitionNode,
  type Source,
} from 'graphql';

/** @apollo/composition does not export its hint class from the package root. */
type CompositionHint = CompositionSuccess['hints'][number];

/** Where in a subgraph schema a diagnostic points. Lines and columns start at 1. */
export interface DiagnosticLocation {
  subgraph: string;
  /** The schema file, when the SDL came from one. */
  file?: string;
  line: number;
  column: number;
}

/** A composition error or hint, reduced to what a person (or a CI annotation) needs. */
export interface CompositionDiagnostic {
  /** `error` fails composition; hints are `warning` (Apollo's WARN level) or `info`. */
  severity: 'error' | 'warning' | 'info';
  /** Apollo's error or hint code, e.g. `INVALID_FIELD_SHARING`. */
  code: string;
  message: string;
  /** Subgraphs involved, in config order. */
  subgraphs: string[];
  /** Schema coordinate such as `Product.name` or `Query.product(id:)`, when one can be derived. */
  coordinate?: string;
  locations: DiagnosticLocation[];
}

/** A subgraph's SDL as parsed for composition; the `Source` identifies its AST nodes in errors. */
export interface ParsedSubgraph {
  name: string;
  file?: string;
  source: Source;
  document: DocumentNode;
}

/** A node as composition hands it out; some carry the name of their subgraph. */
type CompositionNode = ASTNode & { subgraph?: string };

const COORDINATE_IN_MESSAGE = /"([_A-Za-z]\w*\.[_A-Za-z]\w*(?:\([_A-Za-z]\w*:\))?)"/;
const SUBGRAPH_LIST_IN_MESSAGE = /subgraphs? ((?:"[^"]+"(?:,\s*|\s+and\s+)?)+)/g;
const SUBGRAPH_PREFIX = /^\[([^\]]+)\] /;

/** Describes an error returned by `composeServices`. */
export function describeCompositionError(error: GraphQLError, subgraphs: readonly ParsedSubgraph[]): CompositionDiagnostic {
  const code = typeof error.extensions['code'] === 'string' ? error.extensions['code'] : 'COMPOSITION_ERROR';
  return buildDiagnostic('error', code, error.message, error.nodes ?? [], undefined, subgraphs);
}

/** Describes a hint returned by a successful `composeServices`. */
export function describeCompositionHint(hint: CompositionHint, subgraphs: readonly ParsedSubgraph[]): CompositionDiagnostic {
  const severity = hint.definition.level.name === 'WARN' ? 'warning' : 'info';
  return buildDiagnostic(severity, hint.definition.code, hint.message, hint.nodes ?? [], hint.coordinate, subgraphs);
}

/**
 * Describes a schema file that is not even valid GraphQL syntax. Composition never sees it, but the
 * person editing it needs the same kind of report, with the same code Apollo gives invalid schemas.
 */
export function describeSyntaxError(error: GraphQLError, subgraph: { name: string; file?: string }): CompositionDiagnostic {
  const locations = (error.locations ?? []).map((location) => ({
    subgraph: subgraph.name,
    ...(subgraph.file === undefined ? {} : { file: subgraph.file }),
    line: location.line,
    column: location.column,
  }));
  return { severity: 'error', code: 'INVALID_GRAPHQL', message: error.message, subgraphs: [subgraph.name], locations };
}

function buildDiagnostic(
  severity: CompositionDiagnostic['severity'],
  code: string,
  rawMessage: string,
  nodes: readonly CompositionNode[],
  knownCoordinate: string | undefined,
  subgraphs: readonly ParsedSubgraph[],
): CompositionDiagnostic {
  const involved = new Set<string>();
  const locations: DiagnosticLocation[] = [];
  let nodeCoordinate: string | undefined;

  for (const node of nodes) {
    const subgraph = subgraphs.find((candidate) => candidate.source === node.loc?.source);
    if (subgraph && node.loc) {
      const { line, column } = getLocation(subgraph.source, node.loc.start);
      locations.push({ subgraph: subgraph.name, ...(subgraph.file === undefined ? {} : { file: subgraph.file }), line, column });
      nodeCoordinate ??= findCoordinateAt(subgraph.document, node.loc.start);
      involved.add(subgraph.name);
    } else if (node.subgraph !== undefined) {
      involved.add(node.subgraph);
    }
  }

  // Subgraph validation errors read "[products] Unknown type ..."; the report names the subgraph on
  // its own line, so the prefix is moved there.
  let message = rawMessage;
  const prefix = SUBGRAPH_PREFIX.exec(rawMessage)?.[1];
  if (prefix !== undefined && subgraphs.some((subgraph) => subgraph.name === prefix)) {
    involved.add(prefix);
    message = rawMessage.slice(prefix.length + 3);
  }
  // Errors without nodes (satisfiability) still name the subgraphs in their text.
  for (const name of findSubgraphNamesInMessage(rawMessage)) {
    if (subgraphs.some((subgraph) => subgraph.name === name)) involved.add(name);
  }

  const coordinate = knownCoordinate ?? nodeCoordinate ?? COORDINATE_IN_MESSAGE.exec(rawMessage)?.[1];
  return {
    severity,
    code,
    message,
    subgraphs: subgraphs.map((subgraph) => subgraph.name).filter((name) => involved.has(name)),
    ...(coordinate === undefined ? {} : { coordinate }),
    locations,
  };
}

function findSubgraphNamesInMessage(message: string): string[] {
  const names: string[] = [];
  for (const match of message.matchAll(SUBGRAPH_LIST_IN_MESSAGE)) {
    for (const quoted of (match[1] ?? '').matchAll(/"([^"]+)"/g)) {
      if (quoted[1] !== undefined) names.push(quoted[1]);
    }
  }
  return names;
}

/** The schema coordinate of the innermost type, field, argument or enum value around `offset`. */
function findCoordinateAt(document: DocumentNode, offset: number): string | undefined {
  const contains = (node: ASTNode): boolean => node.loc !== undefined && node.loc.start <= offset && offset < node.loc.end;
  const definition = document.definitions.find(contains);
  if (!definition) return undefined;

  if (definition.kind === Kind.DIRECTIVE_DEFINITION) {
    const argument = definition.arguments?.find(contains);
    return argument ? `@${definition.name.value}(${argument.name.value}:)` : `@${definition.name.value}`;
  }
  if (!isTypeDefinitionNode(definition) && !isTypeExtensionNode(definition)) return undefined;

  const typeName = definition.name.value;
  const members = ('fields' in definition ? definition.fields : 'values' in definition ? definition.values : undefined) as
    readonly (FieldDefinitionNode | InputValueDefinitionNode | EnumValueDefinitionNode)[] | undefined;
  const member = members?.find(contains);
  if (!member) return typeName;
  const argument = member.kind === Kind.FIELD_DEFINITION ? member.arguments?.find(contains) : undefined;
  return argument ? `${typeName}.${member.name.value}(${argument.name.value}:)` : `${typeName}.${member.name.value}`;
}
