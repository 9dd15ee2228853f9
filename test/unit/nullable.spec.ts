import 'reflect-metadata';
import { validateSync } from 'class-validator';
import {
  IsDict,
  IsEnumValue,
  IsLabels,
  IsLaxBool,
  IsLaxDateTime,
  IsLaxInt,
  IsLaxUuid,
  IsList,
  IsModel,
  IsStr,
  IsStrList,
  IsUuidList,
} from '../../src/prefect-compat/validation';
import { decodeConstraint } from '../../src/prefect-compat/validation/pydantic-check';

/** compat V1: every typed decorator rejects null with its type's error unless it says nullable (Optional[X]). */
const cases: [string, (o?: { nullable?: boolean }) => PropertyDecorator, string, string][] = [
  ['IsStr', (o) => IsStr(o), 'string_type', 'Input should be a valid string'],
  ['IsLaxBool', (o) => IsLaxBool(o), 'bool_type', 'Input should be a valid boolean'],
  ['IsLaxInt', (o) => IsLaxInt(o), 'int_type', 'Input should be a valid integer'],
  ['IsLaxUuid', (o) => IsLaxUuid(o), 'uuid_type', 'UUID input should be a string, bytes or UUID object'],
  ['IsLaxDateTime', (o) => IsLaxDateTime(o), 'datetime_type', 'Input should be a valid datetime'],
  ['IsEnumValue', (o) => IsEnumValue(['and_', 'or_'], o), 'enum', "Input should be 'and_' or 'or_'"],
  ['IsDict', (o) => IsDict(o), 'dict_type', 'Input should be a valid dictionary'],
  ['IsLabels', (o) => IsLabels(o), 'dict_type', 'Input should be a valid dictionary'],
  ['IsList', (o) => IsList(o), 'list_type', 'Input should be a valid list'],
  ['IsStrList', (o) => IsStrList(o), 'list_type', 'Input should be a valid list'],
  ['IsUuidList', (o) => IsUuidList(o), 'list_type', 'Input should be a valid list'],
  [
    'IsModel',
    (o) => IsModel(o),
    'model_attributes_type',
    'Input should be a valid dictionary or object to extract fields from',
  ],
];

describe('nullable option (compat V1)', () => {
  it.each(cases)('%s: null is its type error by default, accepted with nullable: true', (_name, make, type, msg) => {
    class Strict {
      value: unknown = null;
    }
    make()(Strict.prototype, 'value');
    class Optional {
      value: unknown = null;
    }
    make({ nullable: true })(Optional.prototype, 'value');

    const [error] = validateSync(new Strict());
    const messages = Object.values(error.constraints ?? {}).flatMap((m) => decodeConstraint(m) ?? []);
    expect(messages).toEqual([expect.objectContaining({ type, msg, input: null })]);
    expect(validateSync(new Optional())).toEqual([]);
  });

  it('an absent value is never a null: no error either way', () => {
    class Absent {
      value?: unknown;
    }
    IsLaxBool()(Absent.prototype, 'value');
    expect(validateSync(new Absent())).toEqual([]);
  });
});
