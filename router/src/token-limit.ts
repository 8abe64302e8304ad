import { parse as parseUrl } from 'node:url';
import type { Request, RequestHandler } from 'express';
import { Lexer, Source, TokenKind } from 'graphql';
import { sendRefusal, TooManyTokensError } from './errors.js';

/**
 * How many lexical tokens `text` holds, counting no further than `max + 1`: enough to know it is too
 * many without lexing the rest. Comments are not tokens. Null when the text does not lex, which the
 * GraphQL parser will report as the syntax error it is.
 */
export function countTokens(text: string, max: number): number | null {
  const lexer = new Lexer(new Source(text));
  let count = 0;
  try {
    while (lexer.advance().kind !== TokenKind.EOF) {
      count += 1;
      if (count > max) break;
    }
  } catch {
    return null;
  }
  return count;
}

/**
 * Refuses an operation text longer than `maxTokens` tokens with 400 TOO_MANY_TOKENS, before Apollo
 * Server parses it. It runs in front of Apollo Server because a plugin cannot refuse a request
 * before parsing without it becoming a 500. Every text that can run passes through here: an
 * automatic persisted query is only stored from a request that carried its full text.
 */
export function limitTokens(maxTokens: number): RequestHandler {
  return (req, res, next) => {
    const tooLong = readOperationTexts(req).some((text) => (countTokens(text, maxTokens) ?? 0) > maxTokens);
    if (!tooLong) {
      next();
      return;
    }
    sendRefusal(res, new TooManyTokensError(maxTokens));
  };
}

// Every operation text in the request, read as Apollo Server's Express integration reads it: from
// the JSON body of a POST (a batch is an array), or from the `query` parameters of a GET.
function readOperationTexts(req: Request): string[] {
  if (req.method === 'GET') return new URLSearchParams(parseUrl(req.url).search ?? '').getAll('query');
  const bodies: unknown[] = Array.isArray(req.body) ? req.body : [req.body];
  return bodies.flatMap((body) => {
    const query = typeof body === 'object' && body !== null ? (body as { query?: unknown }).query : undefined;
    return typeof query === 'string' ? [query] : [];
  });
}
