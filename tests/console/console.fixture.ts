import AxeBuilder from '@axe-core/playwright';
import { type APIRequestContext, expect, type Page, request } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { UNIT_NAMES } from '../../apps/standalone/demo/seed-002';
import { join } from 'node:path';

export const CONSOLE_PORT = Number(process.env.BANLI_CONSOLE_TEST_PORT ?? 3917);
export const BASE = `http://127.0.0.1:${CONSOLE_PORT}`;
export const PASSWORD = 'Correct-Horse-Battery-9';
export const SCREENSHOTS = join(__dirname, 'screenshots');

/** The people of seed 002 (朝天区政协 七届三次 第〔15〕号) and the offices around it, each a local account. */
export const USERS = {
  admin: { name: '系统管理员', roles: ['admin', 'office'] },
  clerk: { name: '提案委 王办事员', roles: ['office'] },
  'h-minzheng': { name: '区民政局 承办人', roles: ['handler'], unit: 'ct-minzheng' },
  'h-jiaoke': { name: '区教科局 承办人', roles: ['handler'], unit: 'ct-jiaoke' },
  'h-sifa': { name: '区司法局 承办人', roles: ['handler'], unit: 'ct-sifa' },
  'h-gongan': { name: '区公安分局 承办人', roles: ['handler'], unit: 'ct-gongan' },
  'h-fulian': { name: '区妇联 承办人', roles: ['handler'], unit: 'ct-fulian' },
  's-minzheng': { name: '区民政局 签发人', roles: ['signer'], unit: 'ct-minzheng' },
  supervisor: { name: '区政府办 督办员', roles: ['supervisor'], unit: 'ct-zhengfuban' },
  'member-liu-anze': { name: '刘安泽', roles: ['proposer'] },
  'member-xu-lijuan': { name: '徐丽娟', roles: ['proposer'] },
  auditor: { name: '审计员', roles: ['auditor'] },
} as const;
export type UserId = keyof typeof USERS;

/** Seed 002's units, named as its record names them. */
export const UNITS: Record<string, string> = UNIT_NAMES;

/** Signs in through the login page, as a person does. */
export async function signIn(page: Page, user: UserId): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('用户名').fill(user);
  await page.getByLabel('密码').fill(PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByTestId('who')).toContainText(USERS[user].name);
}

/** An API client signed in by cookie as `user`, carrying the session's CSRF token on writes (for arranging a test's starting point). */
export async function apiAs(user: UserId): Promise<{ api: APIRequestContext; csrf: string }> {
  const api = await request.newContext({ baseURL: BASE });
  const answer = await api.post('/api/v1/session', { data: { username: user, password: PASSWORD } });
  expect(answer.status()).toBe(200);
  const csrf = ((await answer.json()) as { csrfToken: string }).csrfToken;
  return { api, csrf };
}

/** No serious or critical accessibility violation on the page as it stands. */
export async function expectAccessible(page: Page): Promise<void> {
  // Checked once the page has settled: no loading mask, no transition under way.
  await expect(page.locator('.el-loading-mask')).toHaveCount(0);
  await page.waitForTimeout(300);
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')}: ${n.failureSummary ?? ''}`).join(' | ')})`)).toEqual([]);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Opens an item from its page and runs one of the actions the page offers. */
export async function act(page: Page, action: string | RegExp): Promise<void> {
  await page.getByTestId('actions').getByRole('button', { name: action }).click();
}

export async function submitAction(page: Page): Promise<void> {
  await page.getByTestId('action-submit').click();
  // The dialog closes only when the service recorded the step; a refusal keeps it open with the reason.
  await expect(page.getByTestId('action-submit')).toHaveCount(0);
  await expect(page.getByText('已办理').last()).toBeVisible();
}
