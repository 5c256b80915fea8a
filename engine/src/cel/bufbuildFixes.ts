/**
 * One-time correction to @bufbuild/cel 0.6.x, applied when this module loads.
 *
 * Its native map answers has(key) with `get(key) != undefined`, so a key whose
 * value is null counts as absent: `has(self.x)` and `"x" in self` are false for
 * `{x: null}`. In CEL (cel-go, hence Kubernetes) key presence does not depend
 * on the value, and the API server keeps nulls on `nullable: true` fields.
 * Checked by test/engine/cel.test.ts ("null values are present").
 */
import { celMap } from '@bufbuild/cel';

interface NativeMapLike {
  get(key: unknown): unknown;
  has(key: unknown): boolean;
}

const nativeMapPrototype = Object.getPrototypeOf(celMap(new Map())) as NativeMapLike;

nativeMapPrototype.has = function has(this: NativeMapLike, key: unknown): boolean {
  return this.get(key) !== undefined;
};
