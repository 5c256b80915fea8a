/**
 * Durations as istiod's webhook checks them (pkg/config/validation/agent: ValidateDuration;
 * validation.go: validateCORSPolicy maxAge, validateConnectionPool tcp.idleTimeout). Values are
 * Go duration strings (time.ParseDuration, the same parser the CRDs' CEL duration() uses).
 * The CRDs' CEL rules already reject unparsable values and values below 1ms on most fields, so
 * these helpers only add what CEL does not check: millisecond (or second) precision, and the
 * minimum on fields without a CEL rule.
 */
import { parseGoDuration } from '../../cel/goDuration';

const NANOS_PER_MS = 1_000_000n;
const NANOS_PER_S = 1_000_000_000n;

export interface DurationCheck {
  /** Check the >= 1ms minimum (only for fields the CRD has no CEL rule for). */
  checkMinimum?: boolean;
  /** 0 is allowed and means "disabled" (DestinationRule tcp.idleTimeout). */
  allowZero?: boolean;
  /** Required precision: 'ms' (ValidateDuration) or 's' (corsPolicy.maxAge). */
  precision?: 'ms' | 's';
}

/** Why the duration string is not accepted by istiod beyond what CEL reports, or undefined. */
export function durationProblem(field: string, value: string, opts: DurationCheck = {}): string | undefined {
  const parsed = parseGoDuration(value);
  if (!parsed.ok) return undefined; // reported by the schema/CEL layer
  const nanos = parsed.nanos;
  if (opts.allowZero && nanos === 0n) return undefined;
  if (nanos < NANOS_PER_MS) {
    return opts.checkMinimum ? `${field} '${value}' must be at least 1ms${opts.allowZero ? ' (or 0s to disable it)' : ''}.` : undefined;
  }
  if (nanos % NANOS_PER_MS !== 0n) {
    return `${field} '${value}' has sub-millisecond precision; istiod only accepts durations to millisecond precision (e.g. ${nanos / NANOS_PER_MS}ms).`;
  }
  if (opts.precision === 's' && nanos % NANOS_PER_S !== 0n) {
    return `${field} '${value}' must be a whole number of seconds (istiod: "max_age duration is accurate only to seconds precision"), e.g. ${nanos / NANOS_PER_S || 1n}s.`;
  }
  return undefined;
}
