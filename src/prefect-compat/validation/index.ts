/** What DTOs use to declare pydantic-speaking fields and bodies (compat V1-V6). */
export { FieldsBody } from './body-kind';
export { FreeFormJson, IsDict, IsDictList, IsLabels, IsList } from './free-form';
export { IsEnumList, IsStrList, IsUuidList } from './list-validators';
export { pydanticCheck } from './pydantic-check';
export type { NullableOption } from './pydantic-check';
export type { SubError } from './pydantic-error';
export {
  IsEnumValue,
  IsLaxBool,
  IsLaxDateTime,
  IsLaxInt,
  IsLaxUuid,
  IsModel,
  IsStr,
  IsText,
  MatchesPattern,
  NoNulChar,
  NonEmptyish,
  Required,
} from './scalar-validators';
export { NestedModel } from './nested-model';
