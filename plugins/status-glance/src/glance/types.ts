/**
 * How a signal looks at a glance, best to worst as `GLANCE_STATES` orders them. `unknown` is
 * worse than `ok` and `progressing`: a component whose state cannot be read is not shown Green.
 */
export type GlanceState =
  | 'ok'
  | 'progressing'
  | 'unknown'
  | 'warning'
  | 'error';

/** Best first. */
export const GLANCE_STATES: readonly GlanceState[] = [
  'ok',
  'progressing',
  'unknown',
  'warning',
  'error',
];

/** The entity tab (or page) a chip links to. */
export type GlanceTab =
  | 'argocd'
  | 'policies'
  | 'kubernetes'
  | 'platform-health';

export interface GlanceChip {
  key: string;
  /** what the chip is about: `ArgoCD`, `Policies`, `Tier`, `Cluster`, `Pods` */
  title: string;
  /** the chip's text after the title: `Degraded`, `2 fail · 1 warn`, `1/2 ready · 3 restarts` */
  label: string;
  state: GlanceState;
  tab: GlanceTab;
  /** more words for a tooltip: what exactly, how old */
  detail?: string;
  /** false for context that is not the component's own (its cluster's state) */
  countsTowardsOverall: boolean;
}

/** A source the glance could not read, named. */
export interface UnreachableSource {
  /** `ArgoCD instance "sandbox"`, `cluster "sandbox"` */
  name: string;
  /** which view says so */
  via: 'ArgoCD' | 'Kubernetes' | 'Policy reports' | 'Tier health';
  reason: string;
}

/** The deployment running now, as ArgoCD's history has it. */
export interface CurrentDeployment {
  revision?: string;
  deployedAt?: string;
  author?: string;
  subject?: string;
  app: string;
}

export interface EntityGlance {
  entityRef: string;
  /** the worst state of the chips that count */
  state: GlanceState;
  /** one word for `state`: `Healthy`, `Progressing`, `Unknown`, `Warning`, `Degraded` */
  headline: string;
  chips: GlanceChip[];
  deployment?: CurrentDeployment;
  unreachable: UnreachableSource[];
}
