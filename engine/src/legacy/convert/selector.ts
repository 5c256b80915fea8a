import type { Path } from '../../model/locate';
import type { ParsedDoc } from '../../model/parse';
import type { ConvertContext, KeyComment } from './types';

/**
 * A workload selector derived from a service name. A service name does not give pod labels:
 * the common `app: <name>` convention is assumed and every guess carries a TODO comment and a note.
 */
export interface GuessedSelector {
  /** Short service name (first DNS label). */
  service: string;
  /** Namespace from a fully qualified name (`<svc>.<ns>.svc...`), if any. */
  namespace?: string;
  labels: Record<string, string>;
}

export const SELECTOR_NOTE = 'migrate-guessed-selector';

export function selectorTodo(service: string): string {
  return ` TODO(istio-sec): confirm that pods of service ${service} carry label app=${service}`;
}

/** Service forms: `reviews`, `reviews.ns`, `reviews.ns.svc.cluster.local`. Wildcards return undefined. */
export function parseServiceName(name: string): { service: string; namespace?: string } | undefined {
  if (name === '' || name.includes('*')) return undefined;
  const [service, namespace] = name.split('.');
  return { service, namespace: namespace || undefined };
}

/** `*` or `*.<ns>.svc.cluster.local`: every service of a namespace (no selector needed). */
export function isAllServices(name: string): boolean {
  return name === '*' || /^\*\.[a-z0-9-]+\.svc(\.|$)/.test(name);
}

export function guessSelector(name: string): GuessedSelector | undefined {
  const parsed = parseServiceName(name);
  if (!parsed) return undefined;
  return { ...parsed, labels: { app: parsed.service } };
}

/** Records the guess: a note on the source, and the TODO comment above `selector` in the generated spec. */
export function announceGuess(ctx: ConvertContext, doc: ParsedDoc, at: Path, g: GuessedSelector, comments: KeyComment[]): void {
  comments.push({ path: ['spec', 'selector'], text: selectorTodo(g.service) });
  ctx.note(
    doc,
    at,
    SELECTOR_NOTE,
    'information',
    `Service ${g.service}: the workload selector app=${g.service} is a guess (a service name does not give pod labels); confirm the pods carry that label.`,
  );
}
