import { mockServices } from '@backstage/backend-test-utils';
import { ConflictError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import {
  redactInternalAddresses,
  userFacingError,
  withUserFacingErrors,
} from './userFacingErrors';

describe('userFacingError', () => {
  it('keeps name and message, drops the stack and internal addresses', () => {
    const original = new ConflictError(
      'push to http://127.0.0.1:7191/acme/gitops.git failed: connect ECONNREFUSED 10.0.0.7:5432',
    );
    const clean = userFacingError(original);
    expect(clean.name).toBe('ConflictError');
    expect(clean.message).toBe(
      'push to http://<internal address>/acme/gitops.git failed: connect ECONNREFUSED <internal address>',
    );
    expect(String(clean.stack)).toBe(`ConflictError: ${clean.message}`);
    expect(String(clean.stack)).not.toMatch(/\n\s+at /);
  });

  it('redacts cluster-internal names and localhost, keeps public hosts', () => {
    expect(
      redactInternalAddresses(
        'argocd-server.argocd.svc:8080, localhost:7007, [::1]:7007, https://github.com/acme/gitops',
      ),
    ).toBe(
      '<internal address>, <internal address>, <internal address>, https://github.com/acme/gitops',
    );
  });
});

describe('withUserFacingErrors', () => {
  it('logs the full error on the server and throws the clean one', async () => {
    const logger = mockServices.logger.mock();
    const action = withUserFacingErrors(
      createTemplateAction({
        id: 'test:fail',
        async handler() {
          throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
        },
      }),
      logger,
    );
    const error = await action
      .handler(createMockActionContext({ input: {} }))
      .catch(e => e);
    expect(error.message).toBe('connect ECONNREFUSED <internal address>');
    expect(error.stack).toBe('Error: connect ECONNREFUSED <internal address>');
    expect(logger.error).toHaveBeenCalledWith(
      expect.stringContaining('test:fail'),
      expect.objectContaining({
        message: 'connect ECONNREFUSED 127.0.0.1:5432',
      }),
    );
  });
});
