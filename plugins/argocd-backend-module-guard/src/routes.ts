import type { Router } from 'express';
import { BasicPermission } from '@backstage/plugin-permission-common';
import {
  argocdApplicationSyncPermission,
  argocdApplicationWritePermission,
} from './permissions';

/** One route an express router mounts. */
export interface MountedRoute {
  method: string;
  path: string;
}

/** Methods that only read; every other method is a write. */
export const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The routes an express router mounts, read from its stack (nested routers included), so tests
 * cover what the router really serves rather than a list someone wrote down.
 */
export function listMountedRoutes(router: Router, prefix = ''): MountedRoute[] {
  const stack = (router as unknown as { stack: any[] }).stack ?? [];
  return stack.flatMap((layer): MountedRoute[] => {
    if (layer.route) {
      const methods = Object.keys(layer.route.methods ?? {}).filter(
        m => m !== '_all',
      );
      return methods.map(m => ({
        method: m.toUpperCase(),
        path: `${prefix}${layer.route.path}`,
      }));
    }
    if (layer.handle?.stack) return listMountedRoutes(layer.handle, prefix);
    return [];
  });
}

/** Writes that drive a sync (or stop one); every other write changes Applications. */
const SYNC_ROUTES: Array<{ method: string; path: RegExp }> = [
  { method: 'POST', path: /^\/sync\/?$/ },
  {
    method: 'DELETE',
    path: /^\/argoInstance\/[^/]+\/applications\/[^/]+\/operation\/?$/,
  },
];

/**
 * The permission a request to Roadie's ArgoCD backend needs, or undefined for a read. Decided
 * by method, so a write route a later Roadie version adds is denied until a rule allows it.
 */
export function requiredPermission(
  method: string,
  path: string,
): BasicPermission | undefined {
  const m = method.toUpperCase();
  if (READ_METHODS.has(m)) return undefined;
  if (SYNC_ROUTES.some(r => r.method === m && r.path.test(path))) {
    return argocdApplicationSyncPermission;
  }
  return argocdApplicationWritePermission;
}
