import type { Express } from 'express';
import { PATH_UUID } from './uuid-path.pipe';

interface Layer {
  route?: { path: string };
  /** The matched params, or false when the path does not match. */
  match(path: string): { params: Record<string, string> } | false;
}

/**
 * Knows which paths the app serves, the way Starlette routes them (an `:id` segment matches only a
 * UUID), to tell "wrong method" (405) from "no such path" (404) and to find trailing-slash variants.
 */
export class RouteTable {
  private layers: Layer[] = [];

  /** Reads Express's router once the app is initialised. */
  load(app: Express): void {
    const router = (app as unknown as { router?: { stack: Layer[] } }).router;
    // Wildcard routes are middleware mounts, not endpoints.
    this.layers = (router?.stack ?? []).filter((l) => l.route && !l.route.path.includes('*'));
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
