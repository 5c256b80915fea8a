import type { Rule } from './rule';

/** Every semantic rule, grouped by kind (one file per kind). */
export const RULES: readonly Rule[] = [];
