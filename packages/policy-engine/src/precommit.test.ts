import { CANNOT_CHECK_MESSAGE, precommitDecision } from './precommit';
import type { RuleResult } from './types';

const result = (r: Partial<RuleResult>): RuleResult => ({
  policy: 'p',
  rule: 'r',
  result: 'pass',
  message: '',
  enforce: true,
  scored: true,
  ...r,
});

describe('precommitDecision', () => {
  it.each<[string, Partial<RuleResult>, string | undefined, string]>([
    [
      'Enforce fail blocks',
      { result: 'fail', message: 'bad' },
      undefined,
      'block',
    ],
    ['Audit fail warns', { result: 'fail', enforce: false }, undefined, 'warn'],
    ['pass is nothing', { result: 'pass' }, undefined, 'none'],
    [
      'skip because the rule does not apply is nothing',
      { result: 'skip', message: 'preconditions not met' },
      undefined,
      'none',
    ],
    [
      'Enforce skip for an unsupported construct blocks by default',
      { result: 'skip', message: 'unsupported by the embedded engine: cel' },
      undefined,
      'block',
    ],
    [
      '... and warns when configured',
      { result: 'skip', message: 'unsupported by the embedded engine: cel' },
      'warn',
      'warn',
    ],
    [
      '... and blocks when configured fail',
      { result: 'skip', message: 'unsupported by the embedded engine: cel' },
      'fail',
      'block',
    ],
    [
      'Audit skip for an unsupported construct warns',
      {
        result: 'skip',
        enforce: false,
        message: 'unsupported by the embedded engine: cel',
      },
      undefined,
      'warn',
    ],
    [
      'Enforce error blocks',
      { result: 'error', message: 'failed to evaluate preconditions: x' },
      undefined,
      'block',
    ],
  ])('%s', (_name, r, handling, action) => {
    const decision = precommitDecision(result(r), {
      unverifiableEnforce: handling as 'fail' | 'warn' | undefined,
    });
    expect(decision.action).toBe(action);
  });

  it('names the reason', () => {
    expect(
      precommitDecision(
        result({
          result: 'skip',
          message: 'unsupported by the embedded engine: cel',
        }),
      ),
    ).toEqual({
      action: 'block',
      message: `${CANNOT_CHECK_MESSAGE} (unsupported by the embedded engine: cel)`,
    });
  });
});
