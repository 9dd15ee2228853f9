import { Condition, Column } from './columns';
import { and, combine, fragment } from './sql-fragment';

/** A parsed text search: any include term, no exclude term, every required term. */
export interface TextSearchQuery {
  include: string[];
  exclude: string[];
  required: string[];
}

function unescapePhrase(phrase: string): string {
  return phrase.replace(/\\(["\\])/g, '$1');
}

/**
 * Prefect's text search syntax (server/utilities/text_search_parser.py): space-separated terms are ORed, `-` or
 * `!` excludes a term, `+` requires one, `"quoted phrases"` (with \" and \\ escapes) are one term; a prefix
 * followed by a space is dropped.
 */
export function parseTextSearch(query: string): TextSearchQuery {
  const result: TextSearchQuery = { include: [], exclude: [], required: [] };
  const isSpace = (c: string | undefined) => c !== undefined && /\s/.test(c);
  const add = (prefix: string | null, term: string) =>
    (prefix === '-' || prefix === '!' ? result.exclude : prefix === '+' ? result.required : result.include).push(term);
  let i = 0;
  while (i < query.length) {
    if (isSpace(query[i])) {
      i++;
      continue;
    }
    let prefix: string | null = null;
    if ('-!+'.includes(query[i])) {
      i++;
      if (i < query.length && !isSpace(query[i])) prefix = query[i - 1];
      else continue;
    }
    if (query[i] === '"') {
      const start = ++i;
      while (i < query.length) {
        if (query[i] === '\\' && i + 1 < query.length) i += 2;
        else if (query[i] === '"') break;
        else i++;
      }
      const phrase = unescapePhrase(query.slice(start, i));
      if (i < query.length) i++;
      if (phrase.trim()) add(prefix, phrase);
      continue;
    }
    const start = i;
    while (i < query.length && !isSpace(query[i]) && query[i] !== '"') i++;
    const term = query.slice(start, i);
    if (term) add(prefix, term);
  }
  return result;
}

/**
 * The conditions of a text search over a text expression, matched case-insensitively as a substring (Prefect's
 * `lower(text).contains(lower(term))`: `%` and `_` in a term stay wildcards).
 */
export function textSearchConditions(text: Column, query: string): Condition[] {
  if (!query.trim()) return [];
  const { include, exclude, required } = parseTextSearch(query);
  const contains = (term: string) => fragment(`${text.sql} LIKE '%' || lower(?) || '%'`, term);
  const conditions: Condition[] = [];
  if (include.length) conditions.push(combine('or_', include.map(contains)));
  if (exclude.length)
    conditions.push(and(exclude.map((term) => fragment(`NOT (${contains(term).sql})`, ...contains(term).params))));
  if (required.length) conditions.push(and(required.map(contains)));
  return conditions;
}
