import {
  coerceBool,
  coerceDateTime,
  coerceInt,
  coerceUuid,
  enumError,
  pyTruthy,
  textError,
  uuidError,
} from '../../src/prefect-compat/validation/coerce';

/** pydantic v2 lax mode, rule by rule (compat C5, V4). */
describe('lax coercion (pydantic v2 lax mode)', () => {
  it.each<[unknown, number | undefined, string | undefined]>([
    ['5', 5, undefined],
    [' 5 ', 5, undefined],
    ['1_000', 1000, undefined],
    ['5.0', 5, undefined],
    ['-7', -7, undefined],
    [5.0, 5, undefined],
    [true, 1, undefined],
    [false, 0, undefined],
    [5.5, undefined, 'int_from_float'],
    ['5.', undefined, 'int_parsing'],
    ['1__0', undefined, 'int_parsing'],
    ['x', undefined, 'int_parsing'],
    ['99999999999999999999', undefined, 'int_parsing_size'],
    [2 ** 60, undefined, 'int_parsing_size'],
    [Infinity, undefined, 'finite_number'],
    [null, undefined, 'int_type'],
    [[1], undefined, 'int_type'],
  ])('coerceInt(%j) is %j (error %s)', (input, value, errorType) => {
    const r = coerceInt(input);
    expect(r.value).toBe(value);
    expect(r.error?.type).toBe(errorType);
  });

  it.each<[unknown, boolean | undefined]>([
    [true, true],
    ['true', true],
    ['yes', true],
    ['1', true],
    [1, true],
    ['on', true],
    ['T', true],
    ['Y', true],
    [false, false],
    ['false', false],
    ['no', false],
    ['0', false],
    [0, false],
    ['off', false],
    ['f', false],
    [' true', undefined],
    ['maybe', undefined],
    [2, undefined],
    [null, undefined],
    [[], undefined],
  ])('coerceBool(%j) is %j', (input, expected) => expect(coerceBool(input)).toBe(expected));

  const canonical = '6f8ba5c4-8b07-4c39-9a4e-0d58e55bb0e5';
  it.each<[unknown, string | undefined]>([
    [canonical, canonical],
    [canonical.replace(/-/g, ''), canonical],
    [canonical.toUpperCase(), canonical],
    [`{${canonical}}`, canonical],
    [`urn:uuid:${canonical}`, canonical],
    [`{${canonical.replace(/-/g, '')}}`, undefined],
    ['6f8ba5c48b07-4c39-9a4e-0d58e55bb0e5', undefined],
    ['not-a-uuid', undefined],
    [42, undefined],
  ])('coerceUuid(%j) is %j', (input, expected) => expect(coerceUuid(input)).toBe(expected));

  it.each<[unknown, string]>([
    ['nope', 'uuid_parsing'],
    [42, 'uuid_type'],
    [null, 'uuid_type'],
  ])('uuidError(%j) is %s', (input, type) => expect(uuidError(input).type).toBe(type));

  it.each<[unknown, string | undefined]>([
    ['2024-01-02T03:04:05.123456+02:00', '2024-01-02T03:04:05.123456+02:00'],
    ['2024-01-02T03:04:05', '2024-01-02T03:04:05Z'],
    ['2024-01-02 03:04', '2024-01-02T03:04:00Z'],
    ['2024-01-02T03:04:05+0530', '2024-01-02T03:04:05+05:30'],
    ['2024-01-02T03:04:05-07', '2024-01-02T03:04:05-07:00'],
    ['2024-01-02', '2024-01-02T00:00:00Z'],
    ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00Z'],
    ['2023-02-29T00:00:00Z', undefined],
    ['2024-02-30T00:00:00Z', undefined],
    ['2024-01-02T24:00:00Z', undefined],
    ['yesterday', undefined],
    [0, '1970-01-01T00:00:00.000Z'],
    [1_700_000_000_000, '2023-11-14T22:13:20.000Z'],
    [true, undefined],
  ])('coerceDateTime(%j) is %j', (input, expected) => expect(coerceDateTime(input)).toBe(expected));

  it.each<[unknown, boolean]>([
    [null, false],
    [undefined, false],
    [false, false],
    [0, false],
    ['', false],
    [[], false],
    [{}, false],
    ['0', true],
    [[0], true],
    [{ a: null }, true],
    [-1, true],
  ])('pyTruthy(%j) is %j', (input, expected) => expect(pyTruthy(input)).toBe(expected));

  it.each<[string, string | undefined]>([
    ['plain', undefined],
    ['emoji 😀 is a proper pair', undefined],
    ['a\u0000b', 'value_error'],
    ['lone \ud800 half', 'string_unicode'],
    ['lone \udc00 low half', 'string_unicode'],
  ])('textError(%j) is %s', (input, type) => expect(textError(input)?.type).toBe(type));

  it.each<[string[], string]>([
    [['and_', 'or_'], "'and_' or 'or_'"],
    [['A', 'B', 'C'], "'A', 'B' or 'C'"],
    [['ONLY'], "'ONLY'"],
  ])('enumError(%j) lists %s', (values, expected) => {
    expect(enumError(values)).toEqual({ type: 'enum', msg: `Input should be ${expected}`, ctx: { expected } });
  });
});
