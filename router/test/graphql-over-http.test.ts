import { describe, expect, it } from 'vitest';
import { post, startRouter } from './router-harness.js';

// Every refusal in the media type the client negotiated: Apollo Client 4 prefers
// application/graphql-response+json, and with it reads a 4xx with a GraphQL body as GraphQL errors
// (their codes in graphQLErrors), not as a failed network call. Older clients keep application/json.

const APOLLO_CLIENT_ACCEPT = 'application/graphql-response+json,application/json;q=0.9';
const nested = (levels: number) =>
  `{ categories { ${'products { nodes { category { '.repeat(levels)}id${' } } }'.repeat(levels)} } }`;

interface Answer {
  status: number;
  mediaType: string | undefined;
  codes: string[];
}

async function answerOf(response: Response): Promise<Answer> {
  const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
  return {
    status: response.status,
    mediaType: response.headers.get('content-type')?.split(';')[0],
    codes: (body.errors ?? []).map((error) => error.extensions?.code ?? '(none)'),
  };
}

/** One request of each kind the router refuses before (or instead of) running it. */
async function refusals(url: string, accept: Record<string, string>): Promise<Record<string, Answer>> {
  const send = async (body: object | string, headers: Record<string, string> = {}) =>
    answerOf(await post(url, body, { ...accept, ...headers }));
  return {
    badToken: await send({ query: '{ __typename }' }, { authorization: 'Bearer not-a-token' }),
    notJson: await send('{"query":'),
    tooLarge: await send({ query: `{ __typename } # ${'x'.repeat(2048)}` }),
    notGraphQL: await send({ query: '{ categories {' }),
    unknownField: await send({ query: '{ nope }' }),
    // Refused before the gateway, which would throw on each of these (an HTTP 500).
    unknownOperationName: await send({ query: '{ __typename }', operationName: 'Nope' }),
    noOperationName: await send({ query: 'query A { __typename } query B { __typename }' }),
    subscription: await send({ query: 'subscription { __typename }' }),
    tooDeep: await send({ query: nested(4) }),
  };
}

const EXPECTED_REFUSALS = {
  badToken: [401, 'UNAUTHENTICATED'],
  notJson: [400, 'BAD_REQUEST'],
  tooLarge: [413, 'PAYLOAD_TOO_LARGE'],
  notGraphQL: [400, 'GRAPHQL_PARSE_FAILED'],
  unknownField: [400, 'GRAPHQL_VALIDATION_FAILED'],
  unknownOperationName: [400, 'OPERATION_RESOLUTION_FAILURE'],
  noOperationName: [400, 'OPERATION_RESOLUTION_FAILURE'],
  subscription: [400, 'GRAPHQL_VALIDATION_FAILED'],
  tooDeep: [400, 'QUERY_TOO_DEEP'],
} as const;

/** The router with small limits, so every refusal above can happen. */
const startStrictRouter = () => startRouter({ REQUEST_BODY_LIMIT: '1kb', QUERY_MAX_DEPTH: '6' });

describe('GraphQL over HTTP', () => {
  it('answers each refusal in application/graphql-response+json, with its status and code, when the client prefers it', async () => {
    const url = await startStrictRouter();

    const answers = await refusals(url, { accept: APOLLO_CLIENT_ACCEPT });

    for (const [kind, [status, code]] of Object.entries(EXPECTED_REFUSALS)) {
      expect(answers[kind], kind).toEqual({ status, mediaType: 'application/graphql-response+json', codes: [code] });
    }
  });

  it('answers the same statuses and codes in application/json to a client that asks for it or says nothing', async () => {
    const url = await startStrictRouter();

    for (const accept of [{ accept: 'application/json' }, { accept: '*/*' }, {}] as Record<string, string>[]) {
      const answers = await refusals(url, accept);
      for (const [kind, [status, code]] of Object.entries(EXPECTED_REFUSALS)) {
        expect(answers[kind], `${kind} with ${JSON.stringify(accept)}`).toEqual({
          status,
          mediaType: 'application/json',
          codes: [code],
        });
      }
    }
  });

  it('answers an operation off the safelist 400 in the negotiated type', async () => {
    const url = await startRouter({ PERSISTED_OPERATIONS: 'safelist' });

    const unlisted = { query: '{ categories { slug } }' };
    expect(await answerOf(await post(url, unlisted, { accept: APOLLO_CLIENT_ACCEPT }))).toEqual({
      status: 400,
      mediaType: 'application/graphql-response+json',
      codes: ['PERSISTED_QUERY_NOT_IN_SAFELIST'],
    });
    expect(await answerOf(await post(url, unlisted))).toEqual({
      status: 400,
      mediaType: 'application/json',
      codes: ['PERSISTED_QUERY_NOT_IN_SAFELIST'],
    });
  });

  it('answers a rate-limited request 429 with Retry-After in the negotiated type', async () => {
    const url = await startRouter({ RATE_LIMIT_PER_MINUTE: '1' });

    const answers: Response[] = [];
    for (let attempt = 0; attempt < 6 && answers.at(-1)?.status !== 429; attempt += 1) {
      answers.push(await post(url, { query: '{ __typename }' }, { accept: APOLLO_CLIENT_ACCEPT }));
    }
    const limited = answers.at(-1)!;

    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await answerOf(limited)).toEqual({
      status: 429,
      mediaType: 'application/graphql-response+json',
      codes: ['RATE_LIMITED'],
    });
  });

  it('names what could not be resolved: the unknown operation, the missing operationName, the missing type', async () => {
    const url = await startRouter();

    const messages = [];
    for (const body of [
      { query: 'query A { __typename } query B { __typename }', operationName: 'C' },
      { query: 'query A { __typename } query B { __typename }' },
      { query: 'subscription Watch { __typename }' },
    ]) {
      const answer = (await (await post(url, body)).json()) as { errors: { message: string }[] };
      messages.push(answer.errors.map((error) => error.message));
    }

    expect(messages).toEqual([
      ['Unknown operation named "C".'],
      ['Must provide operation name if query contains multiple operations.'],
      ['This graph has no subscription type: it serves queries and mutations.'],
    ]);
  });

  it('runs the named operation of a document of several', async () => {
    const url = await startRouter();

    const response = await post(url, { query: 'query A { __typename } query B { b: __typename }', operationName: 'B' });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { b: 'Query' } });
  });

  it('answers data in the negotiated type with 200', async () => {
    const url = await startRouter();

    const response = await post(url, { query: '{ __typename }' }, { accept: APOLLO_CLIENT_ACCEPT });

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/graphql-response\+json/);
    expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
  });
});
