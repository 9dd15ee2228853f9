/**
 * Property decorators for the fields of filter DTOs: one per operator kind, each pairing
 * the pydantic-speaking validator with its OpenAPI description. Filter DTOs stay thin
 * declarations of which operators a column offers.
 */
import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { ValidateIf, ValidateNested } from 'class-validator';
import { STATE_TYPES, StateType } from '../../database/state-type';
import { OPERATORS } from './sql-fragment';
import {
  IsEnumList,
  IsEnumValue,
  IsLaxBool,
  IsLaxDateTime,
  IsLaxInt,
  IsModel,
  IsStrList,
  IsText,
  IsUuidList,
  NestedModel,
} from '../../prefect-compat/validation';

type Docs = { description: string; example?: unknown };

/** `any_` / `not_any_` / `id_` over UUIDs. */
export const UuidListField = (docs: Docs): PropertyDecorator =>
  applyDecorators(
    ApiPropertyOptional({ type: [String], format: 'uuid', nullable: true, ...docs }),
    IsUuidList({ nullable: true, unique: true }),
  );

/** `any_` / `not_any_` / `all_` / `type_` over strings. */
export const StrListField = (docs: Docs): PropertyDecorator =>
  applyDecorators(
    ApiPropertyOptional({ type: [String], nullable: true, ...docs }),
    IsStrList({ nullable: true, unique: true }),
  );

/** `any_` / `not_any_` over state types. */
export const StateTypeListField = (docs: Docs): PropertyDecorator =>
  applyDecorators(
    ApiPropertyOptional({ enum: StateType, enumName: 'StateType', isArray: true, nullable: true, ...docs }),
    IsEnumList(STATE_TYPES, { nullable: true, unique: true }),
  );

/** `like_`: a substring, or null for none (NUL rejected: PostgreSQL text cannot hold it). */
export const LikeField = (docs: Docs): PropertyDecorator =>
  applyDecorators(ApiPropertyOptional({ type: String, nullable: true, ...docs }), IsText({ nullable: true }));

/** `is_null_` / `eq_` / `exists_`. */
export const BoolField = (docs: Docs & { default?: boolean }): PropertyDecorator =>
  applyDecorators(ApiPropertyOptional({ type: Boolean, nullable: true, ...docs }), IsLaxBool({ nullable: true }));

/** `before_` / `after_`. */
export const TimestampField = (docs: Docs): PropertyDecorator =>
  applyDecorators(
    ApiPropertyOptional({ type: String, format: 'date-time', nullable: true, ...docs }),
    IsLaxDateTime({ nullable: true }),
  );

/** `ge_` / `le_` (only in the deprecated, ignored concurrency-limit filter). */
export const IntField = (docs: Docs): PropertyDecorator =>
  applyDecorators(ApiPropertyOptional({ type: 'integer', nullable: true, ...docs }), IsLaxInt({ nullable: true }));

/** `operator`: and_ (default) or or_. Not Optional in Prefect: an explicit null is an `enum` error. */
export const OperatorField = (): PropertyDecorator =>
  applyDecorators(
    ApiPropertyOptional({
      enum: OPERATORS,
      enumName: 'Operator',
      default: 'and_',
      description: "Operator for combining filter criteria. Defaults to 'and_'.",
    }),
    IsEnumValue(OPERATORS),
  );

/**
 * A nested filter object. null means absent; anything but an object is `model_attributes_type`;
 * its own fields (and unknown keys) are validated with their full loc.
 */
export const NestedFilter = (cls: new () => object, docs: Docs & { deprecated?: boolean }): PropertyDecorator =>
  applyDecorators(
    ApiPropertyOptional({ type: () => cls, nullable: true, ...docs }),
    ValidateIf((_object: object, value: unknown) => value !== null && value !== undefined),
    IsModel({ nullable: true }),
    ValidateNested(),
    NestedModel(() => cls),
  );
