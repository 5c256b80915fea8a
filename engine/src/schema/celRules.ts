/**
 * CEL `x-kubernetes-validations`: the one place the schema layer calls the CEL evaluator.
 * Rules run on create semantics: transition rules (oldSelf) are skipped, and nothing runs when the
 * walk found a type error (the API server then reports "some validation rules were not checked").
 */
import { compileRule, evaluateRule, isTransitionRule } from '../cel';
import type { Path } from '../model/locate';
import { parseFieldPath } from './paths';
import type { ValidationRule } from './types';
import { nodeRange, type CelTask, type WalkState } from './walk';

export type RuleVerdict = { ok: true } | { ok: false; message: string; detail?: string };

/** Evaluates one rule on a present value: ok, or why the API server would reject the object. */
export function evaluateValidationRule(rule: ValidationRule, self: unknown): RuleVerdict | undefined {
  if (isTransitionRule(rule.rule) || !compileRule(rule.rule).ok) return undefined;
  const outcome = evaluateRule(rule.rule, self);
  const message = rule.messageExpression ? messageFromExpression(rule, self) : (rule.message ?? `failed rule: ${rule.rule}`);
  if (!outcome.ok) return { ok: false, message, detail: outcome.error };
  return outcome.value === true ? { ok: true } : { ok: false, message };
}

function messageFromExpression(rule: ValidationRule, self: unknown): string {
  const m = evaluateRule(rule.messageExpression ?? '', self);
  return m.ok && typeof m.value === 'string' && m.value.trim() !== '' ? m.value : (rule.message ?? `failed rule: ${rule.rule}`);
}

function targetPath(task: CelTask, rule: ValidationRule): Path {
  const extra = rule.fieldPath ? parseFieldPath(rule.fieldPath) : [];
  return extra ? [...task.path, ...extra] : task.path;
}

export function runCelTasks(st: WalkState): void {
  if (st.typeErrors > 0) return;
  for (const task of st.celTasks) {
    for (const rule of task.rules) {
      const verdict = evaluateValidationRule(rule, task.value);
      if (!verdict || verdict.ok) continue;
      const detail = verdict.detail ? ` (the rule could not be evaluated: ${verdict.detail})` : '';
      st.out.push({
        code: 'schema-cel',
        severity: 'error',
        message: `${task.display || st.rootLabel || 'The document'}: ${verdict.message}${detail}.`.replace(/\.\.$/, '.'),
        range: nodeRange(st.doc, targetPath(task, rule)),
      });
    }
  }
}
