import { Injectable, NotFoundException, PipeTransform } from '@nestjs/common';

/**
 * A `{name}` path parameter is one segment (compat R2). Starlette routes the percent-decoded path, so an encoded
 * `/` (%2F) in a name separates segments there and reaches no `{name}` route: 404 `Not Found`, not the resource's
 * own 404. Express matched the route before decoding the parameter, so the rule is applied here; it is not a
 * RouteMiss, whose 405 check would find this very route.
 */
@Injectable()
export class PathSegmentPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (value.includes('/')) throw new NotFoundException({ detail: 'Not Found' });
    return value;
  }
}
