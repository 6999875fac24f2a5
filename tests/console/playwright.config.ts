import { defineConfig } from '@playwright/test';
import { CONSOLE_PORT } from './console.fixture';

/**
 * The console's journeys in Debian's Chromium (no browser is downloaded: PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1),
 * against the real built service on a temporary data directory (global-setup starts it, teardown stops it by PID).
 */
export default defineConfig({
  testDir: '.',
  testMatch: '*.journey.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  outputDir: 'results',
  globalSetup: './global-setup.ts',
  globalTeardown: './global-teardown.ts',
  use: {
    baseURL: `http://127.0.0.1:${CONSOLE_PORT}`,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 1366, height: 860 },
    launchOptions: { executablePath: process.env.BANLI_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] },
    actionTimeout: 15_000,
    trace: 'off',
    screenshot: 'only-on-failure',
  },
});
