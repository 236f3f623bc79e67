/**
 * The IDP Portal's permission policy: platform-team may do everything; other signed-in users
 * read the catalog and run templates, whose actions act only for their own teams.
 *
 * @packageDocumentation
 */
export { permissionModuleIdpPolicy as default } from './module';
export { IdpPermissionPolicy, RULES, decide, defaultRule } from './policy';
