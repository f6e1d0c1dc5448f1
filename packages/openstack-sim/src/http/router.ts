import type { Handler } from './types.js';

interface Route {
  methods: readonly string[];
  segments: readonly string[];
  handler: Handler;
}

export type RouteMatch =
  | { kind: 'found'; handler: Handler; params: Record<string, string> }
  | { kind: 'method-not-allowed'; allowed: string[] }
  | { kind: 'not-found' };

/**
 * A small path router. Patterns are `/`-separated; `:name` captures one segment (decoded).
 * Paths are matched with and without a trailing slash.
 */
export class Router {
  private readonly routes: Route[] = [];

  on(methods: string | readonly string[], pattern: string, handler: Handler): this {
    this.routes.push({
      methods: typeof methods === 'string' ? [methods] : methods,
      segments: split(pattern),
      handler,
    });
    return this;
  }

  match(method: string, path: string): RouteMatch {
    const parts = split(path);
    const allowed = new Set<string>();
    for (const route of this.routes) {
      const params = matchSegments(route.segments, parts);
      if (!params) continue;
      if (route.methods.includes(method)) return { kind: 'found', handler: route.handler, params };
      for (const m of route.methods) allowed.add(m);
    }
    return allowed.size > 0 ? { kind: 'method-not-allowed', allowed: [...allowed] } : { kind: 'not-found' };
  }
}

function split(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0);
}

function matchSegments(pattern: readonly string[], parts: readonly string[]): Record<string, string> | undefined {
  if (pattern.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i] as string;
    const v = parts[i] as string;
    if (p.startsWith(':')) {
      try {
        params[p.slice(1)] = decodeURIComponent(v);
      } catch {
        return undefined;
      }
    } else if (p !== v) {
      return undefined;
    }
  }
  return params;
}
