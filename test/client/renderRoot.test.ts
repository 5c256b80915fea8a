import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { renderRoot } from '../../client/src/kube/renderRoot';
import { ROOT } from '../helpers/build';

const FIX = join(ROOT, 'test', 'fixtures');

describe('renderRoot: the overlay or chart a file belongs to', () => {
  it('finds the nearest kustomization.yaml folder from a patch, and the chart from a template', () => {
    assert.equal(renderRoot(join(FIX, 'kustomize', 'overlays', 'bad-patch'), 'kustomize'), join(FIX, 'kustomize', 'overlays', 'bad-patch'));
    assert.equal(renderRoot(join(FIX, 'helm', 'authz-chart', 'templates'), 'helm'), join(FIX, 'helm', 'authz-chart'));
  });

  it('stops at the workspace folder', () => {
    assert.equal(renderRoot(join(FIX, 'kustomize', 'overlays'), 'kustomize', join(FIX, 'kustomize', 'overlays')), undefined);
    assert.equal(renderRoot(join(FIX, 'helm'), 'helm', FIX), undefined);
  });
});
