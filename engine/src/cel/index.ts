/**
 * CEL for CRD `x-kubernetes-validations` rules, with the Kubernetes API
 * server's semantics: the CEL standard library and strings extension from
 * @bufbuild/cel (conformance-tested, RE2 regexes), plus the Kubernetes library
 * functions the Istio CRDs use (duration, url, isURL) and the rest of its
 * url, ip, cidr and quantity libraries, and Go's
 * parsing rules for int(string) and duration(string).
 *
 * Rules are untyped here (the API server type-checks them against the schema
 * when the CRD is created); compileRule() checks syntax, that every function
 * exists, and that only `self`/`oldSelf` are free variables.
 */
import { celEnv, isCelError, parse, plan, CelScalar, type CelEnv, type CelInput } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import './bufbuildFixes';
import { BoundedCache } from './boundedCache';
import { ipFunctions } from './ipLibrary';
import { kubernetesFunctions } from './k8sLibrary';
import { opaqueRegistry } from './opaqueTypes';
import { quantityFunctions } from './quantityLibrary';
import { compileRe2 } from './regex';
import { stringsOverrides } from './stringsLibrary';
import { freeNames } from './ast';
import { fromCelValue, toCelInput } from './values';

export type CelOutcome = { ok: true; value: unknown } | { ok: false; error: string };
export type CompileOutcome = { ok: true } | { ok: false; error: string };

export interface EvaluateOptions {
  /** The previous value, for transition rules (rules that mention oldSelf). */
  oldSelf?: unknown;
}

const VARIABLES = { self: CelScalar.DYN, oldSelf: CelScalar.DYN } as const;

/** Type names usable as values, e.g. `type(self) == int`. */
const TYPE_IDENTIFIERS = new Set(['int', 'uint', 'double', 'bool', 'string', 'bytes', 'list', 'map', 'null_type', 'type', 'dyn']);

function isDeclared(name: string): boolean {
  return Object.hasOwn(VARIABLES, name) || TYPE_IDENTIFIERS.has(name) || name.startsWith('google.protobuf.');
}

const kubernetesEnv: CelEnv = celEnv({
  registry: opaqueRegistry,
  variables: VARIABLES,
  funcs: [...strings, ...stringsOverrides, ...kubernetesFunctions, ...ipFunctions, ...quantityFunctions],
  re2: { compile: compileRe2 },
});

function isFunction(name: string): boolean {
  return kubernetesEnv.funcs.find(name) !== undefined;
}

type Program = (bindings: Record<string, CelInput>) => unknown;

interface CompiledRule {
  program: Program;
  usesOldSelf: boolean;
}

type Compiled = { ok: true; rule: CompiledRule } | { ok: false; error: string };

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function compile(rule: string): Compiled {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(rule);
  } catch (e) {
    return { ok: false, error: `syntax error: ${messageOf(e)}` };
  }
  const names = freeNames(parsed.expr, isFunction);
  const unknownVariable = names.variables.find((v) => !isDeclared(v));
  if (unknownVariable !== undefined) {
    return { ok: false, error: `undeclared reference to '${unknownVariable}'` };
  }
  const unknownFunction = names.functions.find((f) => !isFunction(f));
  if (unknownFunction !== undefined) {
    return { ok: false, error: `undeclared reference to function '${unknownFunction}'` };
  }
  try {
    return {
      ok: true,
      rule: { program: plan(kubernetesEnv, parsed) as Program, usesOldSelf: names.variables.includes('oldSelf') },
    };
  } catch (e) {
    return { ok: false, error: messageOf(e) };
  }
}

/** Compiled rules by source text: the CRDs hold a few dozen distinct rules. */
const compiledRuleCache = new BoundedCache<string, Compiled>(1024);

function compiled(rule: string): Compiled {
  return compiledRuleCache.getOrCreate(rule, compile);
}

export function compileRule(rule: string): CompileOutcome {
  const c = compiled(rule);
  return c.ok ? { ok: true } : { ok: false, error: c.error };
}

/** True when the rule mentions oldSelf: the API server runs it only on update. */
export function isTransitionRule(rule: string): boolean {
  const c = compiled(rule);
  return c.ok && c.rule.usesOldSelf;
}

export function evaluateRule(rule: string, self: unknown, opts: EvaluateOptions = {}): CelOutcome {
  return evaluateRuleOn(rule, () => toCelInput(self), opts);
}

/**
 * evaluateRule with `self` already converted (lazily, once): several rules on one value share a
 * conversion, which is most of an evaluation's cost on large values.
 */
export function evaluateRuleOn(rule: string, self: () => CelInput, opts: EvaluateOptions = {}): CelOutcome {
  const c = compiled(rule);
  if (!c.ok) return { ok: false, error: c.error };
  if (c.rule.usesOldSelf && !('oldSelf' in opts)) {
    return { ok: false, error: 'oldSelf is only available when updating an existing object' };
  }
  try {
    const bindings: Record<string, CelInput> = { self: self() };
    if ('oldSelf' in opts) bindings.oldSelf = toCelInput(opts.oldSelf);
    const result = c.rule.program(bindings);
    if (isCelError(result)) return { ok: false, error: result.message };
    return { ok: true, value: fromCelValue(result as never) };
  } catch (e) {
    return { ok: false, error: messageOf(e) };
  }
}
