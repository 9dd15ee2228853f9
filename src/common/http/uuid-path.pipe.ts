import { Injectable, NotFoundException, PipeTransform } from '@nestjs/common';

/** Starlette's `{id:uuid}` convertor: 32 hex digits, hyphens optional, any case. */
const PATH_UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/**
 * A path id that is not a UUID means no route matched (404 "Not Found"), as in Prefect,
 * not a validation error. Returns the canonical lower-case hyphenated form.
 */
@Injectable()
export class UuidPathPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!PATH_UUID.test(value)) throw new NotFoundException({ detail: 'Not Found' });
    const hex = value.replace(/-/g, '').toLowerCase();
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
}
