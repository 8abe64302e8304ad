import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  getLocation,
  getNamedType,
  GraphQLError,
  Kind,
  NoUnusedFragmentsRule,
  parse,
  Source,
  specifiedRules,
  TypeInfo,
  validate,
  visit,
  visitWithTypeInfo,
  type ASTNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type ValidationRule,
} from 'graphql';
import { describeFileError } from './supergraph-config.js';

/** A client operation file, read. */
export interface OperationFile {
  /** Its path, as reports show it. */
  file: string;
  text: string;
}

/** Why one operation (or fragment) does not validate against the schema. */
export interface OperationError {
  file: string;
  /** Lines and columns start at 1. */
  line: number;
  column: number;
  /** The name of the operation or fragment the error is in; null for an anonymous operation or a syntax error. */
  operation: string | null;
  /** `query`, `mutation`, `subscription` or `fragment`; null for a syntax error. */
  definition: 'query' | 'mutation' | 'subscription' | 'fragment' | null;
  /** The schema element the error is about, when there is one: `Product.sku`, `Query.product(id:)`. */
  coordinate: string | null;
  /** graphql-js's message, e.g. `Cannot query field "sku" on type "Product".` */
  message: string;
}

/** Reads every `*.graphql` file directly inside `directory`, by name; none when the directory does not exist. */
export async function readOperationFiles(directory: string, displayDirectory: string): Promise<OperationFile[]> {
  let names: string[];
  try {
    names = (await readdir(directory)).filter((name) => name.endsWith('.graphql')).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new Error(`cannot read ${displayDirectory} (${describeFileError(error)})`, { cause: error });
  }
  return Promise.all(
    names.map(async (name) => ({ file: `${displayDirectory}/${name}`, text: await readFile(join(directory, name), 'utf8') })),
  );
}

/**
 * Validates each operation file against a schema as a client sends it: the file's own definitions
 * and the fragments it spreads from other files in the set (as the codegen client preset and Apollo
 * Client put a document together). An error is reported once, in the file and definition it is in.
 */
export function validateOperations(schema: GraphQLSchema, files: readonly OperationFile[]): OperationError[] {
  const parsed = files.map(parseOperationFile);
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const { document } of parsed) {
    for (const definition of document?.definitions ?? []) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION && !fragments.has(definition.name.value)) {
        fragments.set(definition.name.value, definition);
      }
    }
  }
  const errors = parsed.flatMap(({ file, document, syntaxError }) =>
    document ? validateDocument(schema, withSpreadFragments(document, fragments), file) : [syntaxError],
  );
  const seen = new Set<string>();
  return errors.filter((error) => {
    const key = `${error.file}:${error.line}:${error.column}:${error.message}`;
    return !seen.has(key) && Boolean(seen.add(key));
  });
}

type ParsedFile =
  { file: string; document: DocumentNode; syntaxError?: never } | { file: string; document?: never; syntaxError: OperationError };

function parseOperationFile({ file, text }: OperationFile): ParsedFile {
  try {
    return { file, document: parse(new Source(text, file)) };
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    const { line, column } = error.locations?.[0] ?? { line: 1, column: 1 };
    return {
      file,
      syntaxError: { file, line, column, operation: null, definition: null, coordinate: null, message: error.message },
    };
  }
}

/** The document with every fragment it spreads, directly or through another fragment, that another file defines. */
function withSpreadFragments(document: DocumentNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>): DocumentNode {
  const defined = new Set(
    document.definitions.flatMap((definition) => (definition.kind === Kind.FRAGMENT_DEFINITION ? [definition.name.value] : [])),
  );
  const added: FragmentDefinitionNode[] = [];
  const pending: ASTNode[] = [...document.definitions];
  while (pending.length > 0) {
    visit(pending.pop()!, {
      FragmentSpread(spread) {
        const fragment = fragments.get(spread.name.value);
        if (!fragment || defined.has(fragment.name.value)) return;
        defined.add(fragment.name.value);
        added.push(fragment);
        pending.push(fragment);
      },
    });
  }
  return added.length === 0 ? document : { ...document, definitions: [...document.definitions, ...added] };
}

// A file of fragments alone is there to be spread by others; its fragments are not "unused".
function rulesFor(document: DocumentNode): readonly ValidationRule[] {
  const hasOperation = document.definitions.some((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  return hasOperation ? specifiedRules : specifiedRules.filter((rule) => rule !== NoUnusedFragmentsRule);
}

function validateDocument(schema: GraphQLSchema, document: DocumentNode, fallbackFile: string): OperationError[] {
  const errors = validate(schema, document, rulesFor(document));
  const coordinates = findErrorCoordinates(schema, document, errors);
  return errors.map((error) => {
    const node = primaryNode(error);
    const source = node?.loc?.source;
    const { line, column } =
      node?.loc && source ? getLocation(source, node.loc.start) : (error.locations?.[0] ?? { line: 1, column: 1 });
    const definition = node?.loc && source ? findDefinitionAt(document, source, node.loc.start) : undefined;
    return {
      file: source?.name ?? fallbackFile,
      line,
      column,
      operation: definition?.name ?? null,
      definition: definition?.kind ?? null,
      coordinate: coordinates.get(error) ?? null,
      message: error.message,
    };
  });
}

// An error about a variable used in the wrong place lists the declaration first and the use last;
// the use is where the schema changed.
function primaryNode(error: GraphQLError): ASTNode | undefined {
  return error.nodes?.[error.nodes.length - 1];
}

function findDefinitionAt(
  document: DocumentNode,
  source: Source,
  offset: number,
): { name: string | null; kind: NonNullable<OperationError['definition']> } | undefined {
  const definition = document.definitions.find(
    (candidate) => candidate.loc?.source === source && candidate.loc.start <= offset && offset < candidate.loc.end,
  );
  if (definition?.kind === Kind.OPERATION_DEFINITION) return { name: definition.name?.value ?? null, kind: definition.operation };
  if (definition?.kind === Kind.FRAGMENT_DEFINITION) return { name: definition.name.value, kind: 'fragment' };
  return undefined;
}

const REQUIRED_ARGUMENT = /argument "([_A-Za-z]\w*)" of type .* is required/;
const REQUIRED_INPUT_FIELD = /^Field "(?:[_A-Za-z]\w*\.)?([_A-Za-z]\w*)" of required type/;

/**
 * The schema coordinate each validation error is about, found by walking the document with type
 * information to the error's node: the field a selection names, the argument, the enum value or
 * input field a literal uses, the type a variable declares.
 */
function findErrorCoordinates(
  schema: GraphQLSchema,
  document: DocumentNode,
  errors: readonly GraphQLError[],
): Map<GraphQLError, string> {
  const errorsByNode = new Map<ASTNode, GraphQLError[]>();
  for (const error of errors) {
    const node = primaryNode(error);
    if (node) errorsByNode.set(node, [...(errorsByNode.get(node) ?? []), error]);
  }
  const coordinates = new Map<GraphQLError, string>();
  if (errorsByNode.size === 0) return coordinates;

  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      enter(node) {
        for (const error of errorsByNode.get(node) ?? []) {
          const coordinate = describeCoordinate(node, error, typeInfo);
          if (coordinate !== undefined) coordinates.set(error, coordinate);
        }
      },
    }),
  );
  return coordinates;
}

function describeCoordinate(node: ASTNode, error: GraphQLError, typeInfo: TypeInfo): string | undefined {
  switch (node.kind) {
    case Kind.FIELD: {
      const parent = typeInfo.getParentType()?.name;
      if (parent === undefined) return undefined;
      const argument = REQUIRED_ARGUMENT.exec(error.message)?.[1];
      return argument === undefined ? `${parent}.${node.name.value}` : `${parent}.${node.name.value}(${argument}:)`;
    }
    case Kind.ARGUMENT: {
      const parent = typeInfo.getParentType()?.name;
      const field = typeInfo.getFieldDef()?.name;
      return parent === undefined || field === undefined ? undefined : `${parent}.${field}(${node.name.value}:)`;
    }
    case Kind.VARIABLE: {
      // A variable whose type no longer fits where it is used: the coordinate of that argument.
      const argument = typeInfo.getArgument()?.name;
      const parent = typeInfo.getParentType()?.name;
      const field = typeInfo.getFieldDef()?.name;
      return argument === undefined || parent === undefined || field === undefined
        ? undefined
        : `${parent}.${field}(${argument}:)`;
    }
    case Kind.ENUM: {
      const type = typeInfo.getInputType();
      return type ? `${getNamedType(type).name}.${node.value}` : undefined;
    }
    case Kind.OBJECT_FIELD: {
      const type = typeInfo.getParentInputType();
      return type ? `${getNamedType(type).name}.${node.name.value}` : undefined;
    }
    case Kind.OBJECT: {
      const type = typeInfo.getInputType();
      const field = REQUIRED_INPUT_FIELD.exec(error.message)?.[1];
      return type && field !== undefined ? `${getNamedType(type).name}.${field}` : undefined;
    }
    case Kind.NAMED_TYPE:
      return node.name.value;
    default:
      return undefined;
  }
}
