/** Identifies one stored object; only the group of `apiVersion` matters. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}
