import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** package.json's version, found from src/ (ts-node) or dist/src/ (the build). */
export function appVersion(): string {
  for (const candidate of [join(__dirname, '..', 'package.json'), join(__dirname, '..', '..', 'package.json')]) {
    if (existsSync(candidate)) {
      const pkg = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'flow-registry' && pkg.version) return pkg.version;
    }
  }
  return 'unknown';
}
