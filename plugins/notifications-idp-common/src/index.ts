/**
 * The contract between the portal's notification detectors (notifications-backend-module-idp)
 * and its notifications page (the app's notifications module): the kinds it sends and the tag
 * that names a notification's team.
 *
 * @packageDocumentation
 */
export {
  NOTIFICATION_KINDS,
  NOTIFICATION_TOPICS,
  teamTag,
  teamTags,
  type NotificationKind,
} from './kinds';
