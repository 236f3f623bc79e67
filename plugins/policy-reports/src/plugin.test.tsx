import { act, screen } from '@testing-library/react';
import { renderTestApp } from '@backstage/frontend-test-utils';
import { policyReportsApiRef } from './api';
import {
  mockPolicyReportsApi,
  overviewResponse,
  policyResponse,
  results,
} from './components/testData';
import { policyReportsPlugin } from './plugin';

// the whole app renders, which takes seconds on a busy machine; the queries wait up to 10 s
jest.setTimeout(20_000);

describe('policyReportsPlugin', () => {
  it('mounts the compliance page at /policy-compliance', async () => {
    const api = mockPolicyReportsApi();
    api.getOverview.mockResolvedValue(overviewResponse(results));
    await act(async () => {
      renderTestApp({
        features: [policyReportsPlugin],
        initialRouteEntries: ['/policy-compliance'],
        apis: [[policyReportsApiRef, api]],
      });
    });
    expect(
      await screen.findByRole(
        'link',
        { name: 'disallow-latest-tag' },
        { timeout: 10_000 },
      ),
    ).toHaveAttribute(
      'href',
      '/policy-compliance/policies/disallow-latest-tag',
    );
    // the page is in the sidebar
    expect(
      screen.getAllByRole('link', { name: 'Policy compliance' })[0],
    ).toHaveAttribute('href', '/policy-compliance');
  });

  it('mounts the policy detail page with its policy name from the URL', async () => {
    const api = mockPolicyReportsApi();
    api.getPolicy.mockResolvedValue(policyResponse());
    await act(async () => {
      renderTestApp({
        features: [policyReportsPlugin],
        initialRouteEntries: [
          '/policy-compliance/policies/disallow-latest-tag',
        ],
        apis: [[policyReportsApiRef, api]],
      });
    });
    expect(await screen.findByText('Disallow Latest Tag')).toBeInTheDocument();
    expect(api.getPolicy).toHaveBeenCalledWith('disallow-latest-tag');
  });
});
