/**
 * Shared pieces of the property-based tests: bounded run counts, reproducible seeds, hostile strings and JSON.
 * Reproduce a failure with the seed (and path) fast-check prints: FC_SEED=<seed> FC_PATH=<path> npx jest <file>.
 */
import fc from 'fast-check';
import type { Response } from 'supertest';

/** Runs per property; FC_RUNS raises it for a longer local hunt. */
export const PROPERTY_RUNS = Number(process.env.FC_RUNS ?? 200);

export function propertyParameters<T>(numRuns = PROPERTY_RUNS): fc.Parameters<T> {
  return {
    numRuns,
    seed: process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined,
    path: process.env.FC_PATH,
    // On failure the report carries the seed, the path and the shrunk counterexample.
  };
}

/** Lone UTF-16 surrogates: valid in a JSON string escape, not representable in UTF-8 (or PostgreSQL). */
const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));

/** Values that have broken servers before: NUL, controls, bidi, BOM, emoji sequences, SQL, escapes, path tricks. */
export const NASTY_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\u0001\u001f\u007f',
  '🚀',
  '👩‍👩‍👧‍👦',
  '\u202eevil',
  '\ufeffbom',
  "'; DROP TABLE flow; --",
  '%_\\',
  '%zz',
  '..',
  '.',
  '\\u0000',
  '$1',
  '?',
  '::jsonb',
  '\ud800',
  'x\udfffy',
  'constructor',
  'toString',
  '__proto__',
  'hasOwnProperty',
];

/** Any string a client can put in JSON: printable or not, all planes, lone surrogates, sometimes very long. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }), weight: 4 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 30 }), weight: 4 },
  { arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 30 }), weight: 2 },
  { arbitrary: fc.constantFrom(...NASTY_STRINGS), weight: 3 },
  { arbitrary: fc.string({ unit: fc.oneof(loneSurrogate, fc.constantFrom('a', '\u0000')), maxLength: 6 }), weight: 1 },
  { arbitrary: fc.string({ unit: 'grapheme', minLength: 2_000, maxLength: 4_000 }), weight: 1 },
);

/** Any JSON value, with hostile strings in keys and values. */
export const hostileJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.constantFrom(2 ** 53 + 1, -(2 ** 63), 1e308, 5e-324),
    hostileString,
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(hostileString, tie('value'), { maxKeys: 5 }),
  ),
})).value;

/** The body as the client would send it (undefined keys dropped, -0 written as 0, ...). */
export function asSent<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Sends any JSON value (including top-level strings, numbers, null) as an application/json body. */
export function sendJson(test: import('supertest').Test, value: unknown): Promise<Response> {
  return test
    .set('Content-Type', 'application/json')
    .send(JSON.stringify(value))
    .then((r) => r);
}

/** A 4xx answer must still be well-formed JSON of one of the error shapes of compat E1-E3. */
export function expectClientError(res: Response): void {
  expect(res.status).toBeGreaterThanOrEqual(400);
  expect(res.status).toBeLessThan(500);
  expect(res.headers['content-type']).toMatch(/application\/json/);
  if (res.status === 422 && 'exception_detail' in res.body) {
    expect(res.body.exception_message).toBe('Invalid request received.');
    expect(res.body.exception_detail.length).toBeGreaterThan(0);
    for (const e of res.body.exception_detail) {
      expect(typeof e.type).toBe('string');
      expect(e.loc[0]).toBe('body');
    }
  } else {
    expect(typeof (res.body.detail ?? res.body.exception_message)).toBe('string');
  }
}
