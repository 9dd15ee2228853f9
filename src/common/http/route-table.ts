import type { Express } from 'express';

interface Layer {
  route?: { path: string };
  match(path: string): boolean;
}

/** Knows which paths the app serves, to tell "wrong method" (405) from "no such path" (404). */
export class RouteTable {
  private layers: Layer[] = [];

  /** Reads Express's router once the app is initialised. */
  load(app: Express): void {
    const router = (app as unknown as { router?: { stack: Layer[] } }).router;
    // Wildcard routes are middleware mounts (e.g. the MikroORM request context), not endpoints.
    this.layers = (router?.stack ?? []).filter((l) => l.route && !l.route.path.includes('*'));
  }

  pathExists(path: string): boolean {
    return this.layers.some((l) => {
      try {
        return l.match(path);
      } catch {
        return false;
      }
    });
  }
}
