import { createBackend } from '@backstage/backend-defaults';
import { databaseReadinessServiceFactory } from './modules/readiness';
import { authStartupChecks } from './modules/startupChecks';

const backend = createBackend();

// readiness answers 503 while PostgreSQL does not (K8s/portal/idp-portal's readiness probe)
backend.add(databaseReadinessServiceFactory);

// events between replicas (K8s/portal runs two): the events backend's bus, stored in PostgreSQL,
// carries signals, notifications and catalog events to the replica a browser is connected to
backend.add(import('@backstage/plugin-events-backend'));

// serves the built frontend in production and in CI
backend.add(import('@backstage/plugin-app-backend'));

// sign-in: guest on a laptop, OIDC in production (see app-config*.yaml)
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
backend.add(import('@backstage/plugin-auth-backend-module-oidc-provider'));
// OIDC without auth.session.secret stops the backend at startup, naming key and variable
backend.add(authStartupChecks);

// catalog: the portal's entities live in the GitOps repo (K8s/) and catalog-info.yaml
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));
// Groups and Components the templates commit appear without manual registration
backend.add(import('@internal/plugin-catalog-backend-module-gitops'));

// templates commit to the GitOps repo; ArgoCD applies
backend.add(import('@backstage/plugin-scaffolder-backend'));
// gitops:render:*, gitops:policy:check and gitops:commit (push, or pull request in production);
// day 2: update/roll back/decommission a service, team members, offboard a team, with the
// forms' pre-fill and diff review routes
backend.add(import('@internal/plugin-scaffolder-backend-module-gitops'));

// permission framework: platform-team may do everything, other users act for their own teams
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(import('@internal/plugin-permission-backend-module-idp-policy'));

// search: in-memory on SQLite, Postgres full-text search when the database is Postgres
backend.add(import('@backstage/plugin-search-backend'));
backend.add(import('@backstage/plugin-search-backend-module-pg'));
backend.add(import('@backstage/plugin-search-backend-module-catalog'));
backend.add(import('@backstage/plugin-search-backend-module-techdocs'));

// TechDocs: each component's mkdocs.yml + docs/ built by local MkDocs on first view
backend.add(import('@backstage/plugin-techdocs-backend'));

// cluster and GitOps status
backend.add(import('@backstage/plugin-kubernetes-backend'));
// pod logs for the owners of the pods (the Kubernetes proxy stays with platform-team)
backend.add(import('@internal/plugin-kubernetes-pod-logs-backend'));
backend.add(import('@roadiehq/backstage-plugin-argo-cd-backend'));
// its write routes need argocd.application.sync/write; its failures name the ArgoCD instance
backend.add(import('@internal/plugin-argocd-backend-module-guard'));
// Kyverno policy reports: one shared per-cluster index; entity, overview and policy routes
backend.add(import('@internal/plugin-policy-reports-backend'));
// tier health: cluster state Green/Yellow/Red/Black and failure-domain analysis
backend.add(import('@internal/plugin-tier-health-backend'));

backend.add(import('@backstage/plugin-user-settings-backend'));
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));
// tells a team when their Application degrades, a high policy fails or the tier state changes
backend.add(import('@internal/plugin-notifications-backend-module-idp'));

// Backstage logs a failed startup but keeps the process running; exit so that a misconfigured
// pod restarts visibly (CrashLoopBackOff) instead of idling unready.
backend.start().catch(error => {
  process.stderr.write(`Backend failed to start: ${error?.message ?? error}\n`);
  process.exit(1);
});
