import { DatabaseReadiness } from './readiness';

function lifecycle() {
  const hooks: Record<'startup' | 'beforeShutdown', Array<() => void>> = {
    startup: [],
    beforeShutdown: [],
  };
  return {
    addStartupHook: (hook: () => void) => hooks.startup.push(hook),
    addBeforeShutdownHook: (hook: () => void) =>
      hooks.beforeShutdown.push(hook),
    start: () => hooks.startup.forEach(h => h()),
    stop: () => hooks.beforeShutdown.forEach(h => h()),
  };
}

describe('DatabaseReadiness', () => {
  const logger = { warn: jest.fn() };

  it('is not ready before startup and during shutdown', async () => {
    const lc = lifecycle();
    const health = new DatabaseReadiness(lc, async () => {}, logger);
    expect((await health.getReadiness()).status).toBe(503);
    lc.start();
    expect((await health.getReadiness()).status).toBe(200);
    lc.stop();
    expect((await health.getReadiness()).status).toBe(503);
    expect((await health.getLiveness()).status).toBe(200);
  });

  it('answers 503 without host or port when the database fails, and logs why', async () => {
    const lc = lifecycle();
    let down = true;
    const health = new DatabaseReadiness(
      lc,
      async () => {
        if (down) throw new Error('connect ECONNREFUSED 10.0.0.7:5432');
      },
      logger,
    );
    lc.start();
    const readiness = await health.getReadiness();
    expect(readiness).toEqual({
      status: 503,
      payload: { status: 'error', message: 'Database unavailable' },
    });
    expect(JSON.stringify(readiness)).not.toMatch(/10\.0\.0\.7|5432/);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('ECONNREFUSED 10.0.0.7:5432'),
    );
    down = false;
    expect((await health.getReadiness()).status).toBe(200);
  });

  it('answers 503 when the database hangs past the timeout', async () => {
    const lc = lifecycle();
    const health = new DatabaseReadiness(
      lc,
      () => new Promise<void>(() => {}),
      logger,
      50,
    );
    lc.start();
    expect((await health.getReadiness()).status).toBe(503);
  });

  it('is ready without a probe (SQLite)', async () => {
    const lc = lifecycle();
    const health = new DatabaseReadiness(lc, undefined, logger);
    lc.start();
    expect((await health.getReadiness()).status).toBe(200);
  });
});
