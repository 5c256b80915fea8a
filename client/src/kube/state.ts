/**
 * Which context and namespace the extension uses: its own choice (kept in a workspace
 * store, never written to the kubeconfig), else the kubeconfig's current-context and that
 * context's namespace. Follows the kubeconfig files through file-system events.
 * No `vscode` import: the store is a two-method interface vscode.Memento satisfies.
 */
import { readKubeconfig, type KubeContext, type Kubeconfig } from './kubeconfig';
import type { Target } from './safety';
import { watchFiles, type Disposable } from './watch';

export interface Store {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

export const CONTEXT_KEY = 'istioSecurity.kube.context';
export const NAMESPACE_KEY = 'istioSecurity.kube.namespace';

export interface Selection {
  /** The context the extension will use, if any. */
  context?: KubeContext;
  /** Whether the context is the extension's own choice (else the kubeconfig's current-context). */
  chosen: boolean;
  namespace: string;
  /** Why there is no context, when there is none. */
  problem?: string;
}

/** Pure: the selection from a kubeconfig and the stored choices. */
export function resolveSelection(config: Kubeconfig, storedContext: string | undefined, storedNamespace: string | undefined): Selection {
  const chosen = storedContext !== undefined && config.contexts.some((c) => c.name === storedContext);
  const name = chosen ? storedContext : config.currentContext;
  const context = config.contexts.find((c) => c.name === name);
  const namespace = storedNamespace || context?.namespace || 'default';
  if (context) return { context, chosen, namespace };
  const problem =
    config.contexts.length === 0
      ? `no context in ${config.files.join(', ')}`
      : storedContext
        ? `context "${storedContext}" is not in the kubeconfig`
        : 'the kubeconfig has no current-context: select one';
  return { chosen: false, namespace, problem };
}

export function targetOf(s: Selection): Target | undefined {
  return s.context ? { context: s.context.name, server: s.context.server ?? '', namespace: s.namespace } : undefined;
}

export class KubeState implements Disposable {
  private config: Kubeconfig = { files: [], contexts: [] };
  private watcher: Disposable | undefined;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly store: Store,
    private files: string[],
  ) {}

  /** Reads the kubeconfig and starts following its files. */
  async start(): Promise<void> {
    await this.reload();
    this.follow();
  }

  /** Points at other kubeconfig files (the setting changed). */
  async setFiles(files: string[]): Promise<void> {
    this.files = files;
    this.follow();
    await this.reload();
  }

  async reload(): Promise<void> {
    this.config = await readKubeconfig(this.files);
    this.emit();
  }

  get kubeconfig(): Kubeconfig {
    return this.config;
  }

  selection(): Selection {
    return resolveSelection(this.config, this.store.get<string>(CONTEXT_KEY), this.store.get<string>(NAMESPACE_KEY));
  }

  contextNamed(name: string): KubeContext | undefined {
    return this.config.contexts.find((c) => c.name === name);
  }

  async chooseContext(name: string): Promise<void> {
    await this.store.update(CONTEXT_KEY, name);
    // A namespace chosen for another context rarely fits the new one: use the context's own.
    await this.store.update(NAMESPACE_KEY, undefined);
    this.emit();
  }

  async chooseNamespace(namespace: string | undefined): Promise<void> {
    await this.store.update(NAMESPACE_KEY, namespace || undefined);
    this.emit();
  }

  onDidChange(listener: () => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  dispose(): void {
    this.watcher?.dispose();
    this.listeners.clear();
  }

  private follow(): void {
    this.watcher?.dispose();
    this.watcher = watchFiles(this.files, () => void this.reload());
  }

  private emit(): void {
    for (const l of [...this.listeners]) l();
  }
}
