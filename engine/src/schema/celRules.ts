/**
 * CEL `x-kubernetes-validations`: the one place the schema layer calls the CEL evaluator.
 * Rules run on create semantics: transition rules (oldSelf) are skipped, and nothing runs when the
 * walk found a type error (the API server then reports "some validation rules were not checked").
 */
import { compileRule, evaluateRule, evaluateRuleOn, isTransitionRule } from '../cel';
import type { CelInput } from '@bufbuild/cel';
import { BoundedCache } from '../cel/boundedCache';
import { toCelInput } from '../cel/values';
import type { Path } from '../model/locate';
import { parseFieldPath } from './paths';
import { celView } from './celView';
import type { ValidationRule } from './types';
import { nodeRange, type CelTask, type WalkState } from './walk';

export type RuleVerdict = { ok: true } | { ok: false; message: string; detail?: string };

/**
 * Evaluates one rule on a present value: ok, or why the API server would reject the object.
 * `input` converts the value for CEL (memoize it when several rules share the value).
 */
export function evaluateValidationRule(rule: ValidationRule, self: unknown, input: () => CelInput = () => toCelInput(self)): RuleVerdict | undefined {
  if (isTransitionRule(rule.rule) || !compileRule(rule.rule).ok) return undefined;
  const key = verdictKey(rule, self);
  return key === undefined ? evaluate(rule, self, input) : VERDICTS.getOrCreate(key, () => evaluate(rule, self, input));
}

/**
 * Verdicts of small values, by (rule, value): the same ports, durations, hosts and selectors recur
 * across the documents of a workspace, and a rule is a pure function of its value.
 */
const VERDICTS = new BoundedCache<string, RuleVerdict>(20_000);
const MAX_MEMO_JSON = 256;

/** Whether `v` is surely larger than `max` characters of JSON, found without serialising all of it. */
function largerThan(v: unknown, max: number): boolean {
  let budget = max;
  const visit = (x: unknown): boolean => {
    if (typeof x === 'string') budget -= x.length + 2;
    else if (Array.isArray(x)) {
      budget -= 2;
      for (const item of x) if (budget < 0 || visit(item)) return true;
    } else if (x !== null && typeof x === 'object') {
      budget -= 2;
      for (const [k, item] of Object.entries(x)) {
        budget -= k.length + 3;
        if (budget < 0 || visit(item)) return true;
      }
    } else budget -= 1;
    return budget < 0;
  };
  return visit(v);
}

function verdictKey(rule: ValidationRule, self: unknown): string | undefined {
  if (typeof self === 'number' && !Number.isFinite(self)) return undefined;
  // A large value (an inline key set of megabytes) is not memoised: stringifying it costs more than the rule.
  if (largerThan(self, MAX_MEMO_JSON)) return undefined;
  const json = JSON.stringify(self);
  if (json === undefined || json.length > MAX_MEMO_JSON) return undefined;
  return `${rule.rule}\u0000${rule.messageExpression ?? ''}\u0000${rule.message ?? ''}\u0000${json}`;
}

function evaluate(rule: ValidationRule, self: unknown, input: () => CelInput): RuleVerdict {
  const outcome = evaluateRuleOn(rule.rule, input);
  if (outcome.ok && outcome.value === true) return { ok: true };
  // The message (an expression for some rules) is computed only for a failing rule.
  const message = rule.messageExpression ? messageFromExpression(rule, self) : (rule.message ?? `failed rule: ${rule.rule}`);
  return outcome.ok ? { ok: false, message } : { ok: false, message, detail: outcome.error };
}

function messageFromExpression(rule: ValidationRule, self: unknown): string {
  const m = evaluateRule(rule.messageExpression ?? '', self);
  return m.ok && typeof m.value === 'string' && m.value.trim() !== '' ? m.value : (rule.message ?? `failed rule: ${rule.rule}`);
}

function targetPath(task: CelTask, rule: ValidationRule): Path {
  const extra = rule.fieldPath ? parseFieldPath(rule.fieldPath) : [];
  return extra ? [...task.path, ...extra] : task.path;
}

/** Is `path` a prefix of (or equal to) `inner`? */
function encloses(path: Path, inner: Path): boolean {
  return path.length <= inner.length && path.every((step, i) => step === inner[i]);
}

export function runCelTasks(st: WalkState): void {
  if (st.typeErrors > 0) return;
  const oversized = st.oversized ?? [];
  for (const task of st.celTasks) {
    if (oversized.some((p) => encloses(task.path, p))) continue;
    // What the rules see: escaped property names (celView), converted for CEL once for all of them.
    const self = celView(task.value, task.schema);
    let converted: CelInput | undefined;
    const input = (): CelInput => (converted ??= toCelInput(self));
    for (const rule of task.rules) {
      const verdict = evaluateValidationRule(rule, self, input);
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
