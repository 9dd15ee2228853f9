import { CanActivate, ExecutionContext, Injectable, NotFoundException, PipeTransform } from '@nestjs/common';

/** Starlette's `{id:uuid}` convertor: 32 hex digits, hyphens optional, any case. */
export const PATH_UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
/** The form ids are stored and answered in (what clients almost always send). */
const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * No route matched, the way Starlette sees it: a path whose `{id}` segment is not a UUID matches no
 * `{id:uuid}` route. The exception filter answers 405 when another route serves the path with another
 * method, else 404 `{"detail":"Not Found"}`.
 */
export class RouteMiss extends NotFoundException {
  constructor() {
    super({ detail: 'Not Found' });
  }
}

/**
 * Runs before any pipe, so a bad id is a routing miss even when the body is invalid too
 * (`PATCH /api/flows/not-a-uuid` with a bad body is 404, not 422).
 */
@Injectable()
export class UuidRouteGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const id = context.getArgByIndex<{ params?: Record<string, string> }>(0).params?.id;
    if (id !== undefined && !PATH_UUID.test(id)) throw new RouteMiss();
    return true;
  }
}

/** The canonical lower-case hyphenated form of a path id (already checked by UuidRouteGuard). */
@Injectable()
export class UuidPathPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (CANONICAL_UUID.test(value)) return value;
    if (!PATH_UUID.test(value)) throw new RouteMiss();
    const hex = value.replace(/-/g, '').toLowerCase();
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
}
