import { expect, test } from '@playwright/test';
import { expectAccessible, signIn } from './console.fixture';

test('the login page has 用户名, 密码 and 登录, refuses a wrong password readably, and signs in', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/login/);
  await expectAccessible(page);
  await page.getByLabel('用户名').fill('clerk');
  await page.getByLabel('密码').fill('not-the-password');
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByRole('alert')).toContainText('用户名或密码不正确');
  await signIn(page, 'clerk');
  await expect(page).toHaveURL(/\/workbench/);
  await expectAccessible(page);
});
