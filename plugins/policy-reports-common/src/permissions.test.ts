import {
  policyReportsEntityReadPermission,
  policyReportsOverviewReadPermission,
} from './permissions';

describe('permissions', () => {
  it.each([
    [
      policyReportsEntityReadPermission,
      'policyReports.entity.read',
      'resource',
    ],
    [
      policyReportsOverviewReadPermission,
      'policyReports.overview.read',
      'basic',
    ],
  ])('defines %#', (permission, name, type) => {
    expect(permission.name).toBe(name);
    expect(permission.type).toBe(type);
    expect(permission.attributes.action).toBe('read');
  });
});
