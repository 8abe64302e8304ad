import { parse as parseUrl } from 'node:url';
import type { Request, Response } from 'express';
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

/** How many texts that passed the token limit are remembered, so that a client's repeated operation is lexed once. */
const PASSED_TEXTS_KEPT = 256;
/** Longer texts are lexed every time: what is remembered stays under PASSED_TEXTS_KEPT x this many characters. */
const LONGEST_TEXT_KEPT = 16_384;

/**
 * Refuses an operation text longer than `maxTokens` tokens with 400 TOO_MANY_TOKENS, before Apollo
 * Server parses it. It runs in front of Apollo Server (in the router's handler after
 * authentication) because a plugin cannot refuse a request before parsing without it becoming a
 * 500. Every text that can run passes through here: an automatic persisted query is only stored
 * from a request that carried its full text.
 *
 * The check is true when every operation text of the request is within `maxTokens`, false when it
 * was answered 400 TOO_MANY_TOKENS. Texts that passed are remembered (a bounded set, emptied when
 * full): the same operation sent again is not lexed again. A text that did not pass is never
 * remembered.
 */
export function createTokenCheck(maxTokens: number): (req: Request, res: Response) => boolean {
  const passed = new Set<string>();
  const isWithinLimit = (text: string): boolean => {
    if (passed.has(text)) return true;
    if ((countTokens(text, maxTokens) ?? 0) > maxTokens) return false;
    if (text.length <= LONGEST_TEXT_KEPT) {
      if (passed.size >= PASSED_TEXTS_KEPT) passed.clear();
      passed.add(text);
    }
    return true;
  };
  return (req, res) => {
    if (readOperationTexts(req).every(isWithinLimit)) return true;
    sendRefusal(res, new TooManyTokensError(maxTokens));
    return false;
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
