/**
 * Free variables and called functions of a parsed CEL expression (macros are
 * already expanded into comprehensions, whose iteration and accumulator
 * variables are bound only inside the loop).
 */
import type { parse } from '@bufbuild/cel';

type Expr = ReturnType<typeof parse>['expr'];

export interface FreeNames {
  variables: string[];
  /** Named functions and methods; operators (`_+_`, `@in`, `!_`) are left out. */
  functions: string[];
}

const OPERATOR = /^[_@!]/;

/**
 * `isQualifiedFunction(name)` tells whether a dotted name such as
 * `ip.isCanonical` names a function, so that `ip.isCanonical(x)` counts as a
 * call to it rather than a method call on a variable `ip`.
 */
export function freeNames(root: Expr, isQualifiedFunction: (name: string) => boolean): FreeNames {
  const variables = new Set<string>();
  const functions = new Set<string>();
  const visit = (e: Expr | undefined, bound: ReadonlySet<string>): void => {
    if (e === undefined) return;
    const k = e.exprKind;
    switch (k.case) {
      case 'identExpr':
        if (!bound.has(k.value.name)) variables.add(k.value.name);
        return;
      case 'selectExpr':
        visit(k.value.operand, bound);
        return;
      case 'callExpr': {
        const target = k.value.target?.exprKind;
        if (target?.case === 'identExpr' && !bound.has(target.value.name)) {
          const qualified = `${target.value.name}.${k.value.function}`;
          if (isQualifiedFunction(qualified)) {
            functions.add(qualified);
            for (const a of k.value.args) visit(a, bound);
            return;
          }
        }
        if (!OPERATOR.test(k.value.function)) functions.add(k.value.function);
        visit(k.value.target, bound);
        for (const a of k.value.args) visit(a, bound);
        return;
      }
      case 'listExpr':
        for (const el of k.value.elements) visit(el, bound);
        return;
      case 'structExpr':
        for (const entry of k.value.entries) {
          if (entry.keyKind.case === 'mapKey') visit(entry.keyKind.value, bound);
          visit(entry.value, bound);
        }
        return;
      case 'comprehensionExpr': {
        const c = k.value;
        visit(c.iterRange, bound);
        visit(c.accuInit, bound);
        const withAccu = new Set([...bound, c.accuVar]);
        const inLoop = new Set([...withAccu, c.iterVar, ...(c.iterVar2 ? [c.iterVar2] : [])]);
        visit(c.loopCondition, inLoop);
        visit(c.loopStep, inLoop);
        visit(c.result, withAccu);
        return;
      }
      default:
        return;
    }
  };
  visit(root, new Set());
  return { variables: [...variables], functions: [...functions] };
}
