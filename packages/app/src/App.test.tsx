import { render } from '@testing-library/react';
import App from './App';

describe('App', () => {
  it('renders the sign-in page offering the configured providers', async () => {
    process.env = {
      NODE_ENV: 'test',
      APP_CONFIG: [
        {
          data: {
            app: { title: 'Test', signIn: { providers: ['guest'] } },
            backend: { baseUrl: 'http://localhost:7007' },
          },
          context: 'test',
        },
      ] as any,
    };

    const rendered = render(App.createRoot());

    // the sign-in page is lazy-loaded; a busy CI machine may need a while
    expect(
      await rendered.findByText('Guest', undefined, { timeout: 30_000 }),
    ).toBeInTheDocument();
  }, 60_000);
});
