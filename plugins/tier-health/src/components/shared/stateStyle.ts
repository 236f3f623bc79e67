import type {
  Availability,
  ReportedClusterState,
} from '@internal/plugin-tier-health-common';

/** Banner colours: the states are named after colours, so they must look like them. */
export const STATE_COLOURS: Record<
  ReportedClusterState,
  { background: string; text: string }
> = {
  // grey: no colour claims anything about a cluster whose data is too old
  Unknown: { background: '#616161', text: '#ffffff' },
  Green: { background: '#2e7d32', text: '#ffffff' },
  Yellow: { background: '#f9a825', text: '#000000' },
  Red: { background: '#c62828', text: '#ffffff' },
  Black: { background: '#111111', text: '#ffffff' },
};

export const STATE_MEANING: Record<ReportedClusterState, string> = {
  Unknown:
    'no recent data: the cluster has not answered for two refresh intervals',
  Green: 'all nodes Ready; every tier fully available',
  Yellow: 'degraded; tiers 1–2 still available',
  Red: 'tiers 1–2 alive only in limp-home mode, or down',
  Black: 'control plane lost; manual recovery',
};

export const AVAILABILITY_COLOURS: Record<Availability, string> = {
  available: '#2e7d32',
  degraded: '#f9a825',
  unavailable: '#c62828',
};

export const TIER_NAMES: Record<number, string> = {
  1: 'Tier 1 · core control plane',
  2: 'Tier 2 · critical infrastructure',
  3: 'Tier 3 · important services',
  4: 'Tier 4 · application workloads',
};
