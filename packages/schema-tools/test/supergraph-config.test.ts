import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { composeSupergraph, loadSupergraphConfig, parseSupergraphConfig, SupergraphConfigError } from '../src/index.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

describe('loadSupergraphConfig', () => {
  it('reads the subgraphs in config order with schema files resolved next to the config', async () => {
    const config = await loadSupergraphConfig(`${fixtures}valid/supergraph.yaml`);

    expect(config.federationVersion).toBe('=2.14.4');
    expect(config.subgraphs).toEqual([
      {
        name: 'products',
        routingUrl: 'http://localhost:4102/graphql',
        schemaFile: './products.graphql',
        schemaPath: `${fixtures}valid/products.graphql`,
      },
      {
        name: 'reviews',
        routingUrl: 'http://localhost:4105/graphql',
        schemaFile: './reviews.graphql',
        schemaPath: `${fixtures}valid/reviews.graphql`,
      },
    ]);
  });

  it('names the missing key when a subgraph has no schema.file', async () => {
    const loading = loadSupergraphConfig(`${fixtures}missing-schema-file/supergraph.yaml`);

    await expect(loading).rejects.toThrow(SupergraphConfigError);
    await expect(loading).rejects.toThrow(/missing-schema-file\/supergraph\.yaml: subgraphs\.products\.schema\.file is missing$/);
  });

  it('names the config file when it cannot be read', async () => {
    await expect(loadSupergraphConfig(`${fixtures}no-such-dir/supergraph.yaml`)).rejects.toThrow(
      /no-such-dir\/supergraph\.yaml: cannot read the config file \(file not found\)/,
    );
  });
});

describe('parseSupergraphConfig', () => {
  it('reports every problem at once, each naming its key', () => {
    const text = [
      'federation_version: 1',
      'subgraphs:',
      '  users:',
      '    routing_ur: http://localhost:4001/graphql',
      '    schema:',
      '      file: ./users.graphql',
      '  orders:',
      '    routing_url: not a url',
      '    schema:',
      '      subgraph_url: http://localhost:4003/graphql',
    ].join('\n');

    let error: unknown;
    try {
      parseSupergraphConfig(text, '/repo/supergraph.yaml');
    } catch (caught) {
      error = caught;
    }

    expect(error).toBeInstanceOf(SupergraphConfigError);
    expect((error as SupergraphConfigError).problems.map((problem) => problem.replace(/^.*supergraph\.yaml: /, ''))).toEqual([
      'federation_version must be a Federation 2 version such as =2.14.4 or 2 (got 1)',
      'subgraphs.users.routing_ur is not a known key (expected: routing_url, schema)',
      'subgraphs.users.routing_url is missing',
      'subgraphs.orders.routing_url must be an absolute URL such as http://localhost:4001/graphql (got "not a url")',
      "subgraphs.orders.schema.subgraph_url is not supported: composition is static, point subgraphs.orders.schema.file at the subgraph's schema file",
    ]);
  });

  it('reports invalid YAML with its position', () => {
    expect(() => parseSupergraphConfig('subgraphs:\n  users: [\n', '/repo/supergraph.yaml')).toThrow(
      /supergraph\.yaml: invalid YAML: .*line 3/,
    );
  });

  it('rejects a config whose subgraphs list is empty', () => {
    expect(() => parseSupergraphConfig('federation_version: 2\nsubgraphs: {}\n', '/repo/supergraph.yaml')).toThrow(
      /supergraph\.yaml: subgraphs is empty: list at least one subgraph/,
    );
  });
});

describe('composeSupergraph with an unreadable schema file', () => {
  it('names the subgraph key and the file that cannot be read', async () => {
    await expect(composeSupergraph(`${fixtures}unreadable-schema-file/supergraph.yaml`)).rejects.toThrow(
      /unreadable-schema-file\/supergraph\.yaml: subgraphs\.reviews\.schema\.file: cannot read .*unreadable-schema-file\/reviews\.graphql \(file not found\)/,
    );
  });
});
