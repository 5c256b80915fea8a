import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './io';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Node marks a separate value starting with '-' (other than '-' itself) as ambiguous: it looks like an option. */
function looksLikeOption(value: string): boolean {
  return value.length > 1 && value.startsWith('-');
}

/** The first problem with the arguments, in istio-sec's words; undefined when they parse. */
export function argumentProblem(args: readonly string[], options: Options, allowPositionals: boolean): string | undefined {
  const { tokens } = parseArgs({ args: [...args], options, allowPositionals: true, strict: false, tokens: true });
  for (const t of tokens) {
    if (t.kind === 'positional' && !allowPositionals) return `unexpected argument '${t.value}'`;
    if (t.kind !== 'option') continue;
    const spec = options[t.name];
    if (!spec) return `unknown option '${t.rawName}'`;
    if (spec.type === 'boolean' && t.value !== undefined) return `option '${t.rawName}' takes no value`;
    if (spec.type === 'string' && t.value === undefined) return `option '${t.rawName}' needs a value`;
    if (spec.type === 'string' && t.value !== undefined && !t.inlineValue && looksLikeOption(t.value)) {
      return `option '${t.rawName}' needs a value, not the option '${t.value}' (write ${t.rawName}=${t.value} if that is the value)`;
    }
  }
  return undefined;
}

/** node:util parseArgs, strict, with argument errors reported as a UsageError in istio-sec's own words. */
export function parseCliArgs<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  const problem = argumentProblem(config.args ?? [], config.options ?? {}, config.allowPositionals === true);
  if (problem !== undefined) throw new UsageError(problem);
  return parseArgs(config);
}
