// Paths shared by the real-editor launchers and the host setup.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The compiled suite: extensionTestsPath. */
export const OUT_SUITE = join(REPO_ROOT, 'out', 'editor-suite');
/** The fixtures; launchers open a temporary copy. */
export const WORKSPACE_SRC = join(REPO_ROOT, 'test', 'editor', 'workspace');
/** package.json + package-lock.json of Node 24 and of code-server. */
export const HOST_SRC = join(REPO_ROOT, 'test', 'editor', 'host');
/** Where the editor host is installed, one folder per hash of the lockfiles (git-ignored). */
export const HOST_CACHE = process.env.ISTIO_EDITOR_HOST_DIR ? resolve(process.env.ISTIO_EDITOR_HOST_DIR) : join(REPO_ROOT, '.editor-host');
