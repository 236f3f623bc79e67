import type { KubernetesObject } from '@internal/kube-model';

/** The PriorityClasses every cluster has built in. */
const BUILT_IN_PRIORITY_CLASSES: Record<string, number> = {
  'system-node-critical': 2000001000,
  'system-cluster-critical': 2000000000,
};

/**
 * Resolves pod priorities like the Priority admission plugin: the named PriorityClass's value,
 * or the global default class (whose name is then set on the pod), or 0.
 */
export class PriorityResolver {
  private readonly values = new Map<string, number>();
  private readonly globalDefault?: { name: string; value: number };

  /** @param priorityClasses - the PriorityClass objects in the store */
  constructor(priorityClasses: readonly KubernetesObject[]) {
    let globalDefault: { name: string; value: number } | undefined;
    for (const pc of priorityClasses) {
      const value = Number((pc as { value?: unknown }).value ?? 0);
      this.values.set(pc.metadata.name, Number.isFinite(value) ? value : 0);
      if ((pc as { globalDefault?: unknown }).globalDefault === true) {
        if (!globalDefault || value > globalDefault.value) {
          globalDefault = { name: pc.metadata.name, value };
        }
      }
    }
    this.globalDefault = globalDefault;
  }

  /**
   * The class name and value a pod with this `priorityClassName` gets. An unknown class name
   * (its PriorityClass not yet applied) resolves to 0 rather than rejecting the pod.
   */
  resolve(className: string | undefined): {
    className?: string;
    value: number;
  } {
    if (className) {
      return {
        className,
        value:
          this.values.get(className) ??
          BUILT_IN_PRIORITY_CLASSES[className] ??
          0,
      };
    }
    if (this.globalDefault) {
      return {
        className: this.globalDefault.name,
        value: this.globalDefault.value,
      };
    }
    return { value: 0 };
  }
}
