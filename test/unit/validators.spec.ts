import { coerceBool, coerceDateTime, coerceInt, coerceUuid } from '../../src/prefect-compat/validation/validators';

describe('lax coercion (pydantic v2 lax mode)', () => {
  it('integers accept "5", 5.0 and true but not 5.5 or "x"', () => {
    expect(coerceInt('5').value).toBe(5);
    expect(coerceInt(5.0).value).toBe(5);
    expect(coerceInt(true).value).toBe(1);
    expect(coerceInt(5.5).error?.type).toBe('int_from_float');
    expect(coerceInt('x').error?.type).toBe('int_parsing');
    expect(coerceInt(null).error?.type).toBe('int_type');
  });

  it('booleans accept the words pydantic accepts', () => {
    for (const v of [true, 'true', 'yes', '1', 1, 'on', 'T']) expect(coerceBool(v)).toBe(true);
    for (const v of [false, 'false', 'no', '0', 0, 'off']) expect(coerceBool(v)).toBe(false);
    for (const v of ['maybe', 2, null, []]) expect(coerceBool(v)).toBeUndefined();
  });

  it('UUIDs accept hyphenated, plain hex, upper case, braces and urn:uuid: forms', () => {
    const canonical = '6f8ba5c4-8b07-4c39-9a4e-0d58e55bb0e5';
    for (const v of [
      canonical,
      canonical.replace(/-/g, ''),
      canonical.toUpperCase(),
      `{${canonical}}`,
      `urn:uuid:${canonical}`,
    ]) {
      expect(coerceUuid(v)).toBe(canonical);
    }
    expect(coerceUuid('not-a-uuid')).toBeUndefined();
    expect(coerceUuid(42)).toBeUndefined();
  });

  it('datetimes keep the offset, default to UTC, and reject impossible dates', () => {
    expect(coerceDateTime('2024-01-02T03:04:05.123456+02:00')).toBe('2024-01-02T03:04:05.123456+02:00');
    expect(coerceDateTime('2024-01-02T03:04:05')).toBe('2024-01-02T03:04:05Z');
    expect(coerceDateTime('2024-01-02')).toBe('2024-01-02T00:00:00Z');
    expect(coerceDateTime('2024-02-30T00:00:00Z')).toBeUndefined();
    expect(coerceDateTime('yesterday')).toBeUndefined();
    expect(coerceDateTime(0)).toBe('1970-01-01T00:00:00.000Z');
  });
});
