import type { RouteDef } from './routes.ts';

/** The outcome of matching a request line against the route table. */
export type Match =
  | { kind: 'found'; route: RouteDef; params: Record<string, string> }
  | { kind: 'method_not_allowed'; allow: string[] }
  | { kind: 'not_found' };

interface Compiled {
  route: RouteDef;
  pattern: RegExp;
  names: string[];
}

function compile(route: RouteDef): Compiled {
  const names: string[] = [];
  const source = route.path
    .split(/(\{[a-z]+\})/i)
    .map((part) => {
      const name = /^\{([a-z]+)\}$/i.exec(part)?.[1];
      if (name) {
        names.push(name);
        return '([^/]+)';
      }
      return part.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
    })
    .join('');
  return { route, pattern: new RegExp(`^${source}$`), names };
}

/** Matches method + path against routes; raw params are percent-decoded, not yet validated. */
export class Router {
  readonly #compiled: Compiled[];

  constructor(routes: readonly RouteDef[]) {
    this.#compiled = routes.map(compile);
  }

  /** Finds the route for a request; a malformed percent-escape counts as no match. */
  match(method: string, path: string): Match {
    const allow = new Set<string>();
    for (const c of this.#compiled) {
      const m = c.pattern.exec(path);
      if (!m) continue;
      if (c.route.method !== method) {
        allow.add(c.route.method);
        continue;
      }
      const params: Record<string, string> = {};
      for (const [i, name] of c.names.entries()) {
        const raw = m[i + 1] ?? '';
        try {
          params[name] = decodeURIComponent(raw);
        } catch (err) {
          if (err instanceof URIError) return { kind: 'not_found' };
          throw err;
        }
      }
      return { kind: 'found', route: c.route, params };
    }
    return allow.size > 0 ? { kind: 'method_not_allowed', allow: [...allow].sort() } : { kind: 'not_found' };
  }
}
