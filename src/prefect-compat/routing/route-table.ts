import type { Express } from 'express';
import { PATH_UUID } from './uuid-path.pipe';

interface Layer {
  route?: { path: string };
  /** The matched params, or false when the path does not match. */
  match(path: string): { params: Record<string, string> } | false;
}

const routerStack = (app: Express): Layer[] => (app as unknown as { router?: { stack: Layer[] } }).router?.stack ?? [];

/**
 * Runs `register` and takes the router layers it added out of the router again (to put back with placeAfterRoutes).
 */
export function routerLayersAddedBy(app: Express, register: () => void): Layer[] {
  const stack = routerStack(app);
  const before = stack.length;
  register();
  return stack.splice(before);
}

/**
 * Puts `layers` back after the last route, so before NestJS's not-found and error handlers. Express tries every
 * layer in order until one matches, so the Swagger UI's ten layers (registered before NestJS adds the controllers'
 * routes) were matched against the path of every API request first; after the routes they cost those nothing.
 * No API path starts with /api/docs or /api/openapi, so the order changes no answer.
 */
export function placeAfterRoutes(app: Express, layers: Layer[]): void {
  const stack = routerStack(app);
  let last = stack.length - 1;
  while (last >= 0 && !stack[last].route) last--;
  stack.splice(last + 1, 0, ...layers);
}

/**
 * Knows which paths the app serves, the way Starlette routes them (an `:id` segment matches only a
 * UUID), to tell "wrong method" (405) from "no such path" (404) and to find trailing-slash variants.
 */
export class RouteTable {
  private layers: Layer[] = [];

  /** Reads Express's router once the app is initialised. */
  load(app: Express): void {
    // Wildcard routes are middleware mounts, not endpoints.
    this.layers = routerStack(app).filter((l) => l.route && !l.route.path.includes('*'));
  }

  pathExists(path: string): boolean {
    return this.layers.some((l) => {
      try {
        const matched = l.match(path);
        if (!matched) return false;
        const id = matched.params.id;
        return id === undefined || PATH_UUID.test(id);
      } catch {
        return false;
      }
    });
  }
}
