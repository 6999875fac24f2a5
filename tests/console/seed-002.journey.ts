import { type Browser, expect, type Page, test } from '@playwright/test';
import texts from '../../apps/standalone/demo/seed-002.texts.json';
import { act, expectAccessible, screenshot, signIn, submitAction, type UserId } from './console.fixture';

/**
 * Seed 002 (朝天区政协 七届三次 第〔15〕号, 关于加强全区未成年人关爱保护工作的建议) handled end to end in the
 * browser, each role signing in in turn: register, assign, acknowledge, co-opinions, draft, sign, review,
 * dispatch, rate, close, publish. Each step is a button the item page offered that role.
 */
test.describe.configure({ mode: 'serial' });

let itemPath = '';
let repliedAt = '';

async function as(browser: Browser, user: UserId, viewport?: { width: number; height: number }): Promise<Page> {
  const context = await browser.newContext(viewport ? { viewport } : {});
  const page = await context.newPage();
  await signIn(page, user);
  return page;
}

const FIELDS: Record<string, string> = { 'lead-units': '主办单位', 'co-units': '协办单位', 'supervising-units': '督办单位' };

async function pick(page: Page, testId: string, label: string): Promise<void> {
  await page.getByTestId(testId).click();
  await page.getByRole('listbox', { name: FIELDS[testId] }).getByRole('option', { name: label, exact: true }).click();
  await page.keyboard.press('Escape');
}

test('the office registers seed 002 and assigns it with the unit tree', async ({ browser }) => {
  const page = await as(browser, 'clerk');
  await page.getByRole('link', { name: '登记新件' }).first().click();
  await expectAccessible(page);
  await page.getByRole('textbox', { name: '届次', exact: true }).fill('七届三次');
  await page.getByRole('textbox', { name: '编号', exact: true }).fill('第〔15〕号');
  await page.getByRole('textbox', { name: '标题', exact: true }).fill('关于加强全区未成年人关爱保护工作的建议');
  await page.getByRole('textbox', { name: '正文', exact: true }).fill(texts.body);
  await page.getByRole('textbox', { name: /提出人/ }).fill('member-liu-anze|刘安泽|领衔\nmember-xu-lijuan|徐丽娟');
  await page.getByRole('button', { name: '提交' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('关于加强全区未成年人关爱保护工作的建议');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('待登记');
  itemPath = new URL(page.url()).pathname;
  await expectAccessible(page);

  await act(page, /登记/);
  await page.getByRole('radio', { name: '立案', exact: true }).check({ force: true });
  await submitAction(page);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('已立案');

  await act(page, '交办');
  await pick(page, 'lead-units', '区民政局');
  for (const co of ['区教科局', '区司法局', '区公安分局', '区妇联']) await pick(page, 'co-units', co);
  await pick(page, 'supervising-units', '区政府办公室');
  await page.getByRole('textbox', { name: '领办领导', exact: true }).fill('杨金军');
  await page.getByTestId('rule-set').click();
  await page.locator('.el-select-dropdown:visible .el-select-dropdown__item', { hasText: 'sc-gov-2024' }).click();
  await submitAction(page);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('办理中');
  await expect(page.getByTestId('deadlines')).toContainText('答复');
  // A deadline shows its date in ISO order, its weekday and the working days left.
  await expect(page.getByTestId('deadlines')).toContainText(/\d{4}-\d{2}-\d{2} 周[一二三四五六日] · 剩 \d+ 个工作日/);
  await expect(page.getByTestId('actions')).not.toContainText('交办');
});

test('the co-handling units give their opinions; the lead acknowledges and drafts the reply with a print preview', async ({ browser }) => {
  for (const user of ['h-jiaoke', 'h-sifa', 'h-gongan', 'h-fulian'] as const) {
    const page = await as(browser, user);
    await page.goto(itemPath);
    // A co-unit is offered its own opinion, never the lead's reply.
    await expect(page.getByTestId('actions')).not.toContainText('起草答复');
    await act(page, '提交协办意见');
    await page.getByRole('textbox', { name: '意见', exact: true }).fill(`${user} 会办意见：同意主办单位意见，配合做好相关工作。`);
    await submitAction(page);
    await page.context().close();
  }
  const page = await as(browser, 'h-minzheng');
  await screenshot(page, 'workbench-handler');
  await page.goto(itemPath);
  await act(page, '签收');
  await submitAction(page);
  await expect(page.getByText('已签收').first()).toBeVisible();
  await act(page, '起草答复');
  await page.getByRole('textbox', { name: '文号', exact: true }).fill('朝民函〔2023〕15号');
  await page.getByRole('textbox', { name: '答复正文', exact: true }).fill(texts.reply);
  await page.getByRole('textbox', { name: '联系人', exact: true }).fill('贺威');
  await page.getByRole('textbox', { name: '联系电话', exact: true }).fill('13795952836');
  await page.getByRole('button', { name: '打印预览' }).click();
  await expect(page.getByTestId('reply-letter')).toContainText('朝民函〔2023〕15号');
  await expect(page.getByTestId('reply-letter')).toContainText('刘安泽、徐丽娟');
  await submitAction(page);
  await expect(page.getByTestId('reply')).toContainText('已起草');
});

test('the signer signs, the supervisor reviews, the lead dispatches', async ({ browser }) => {
  const signer = await as(browser, 's-minzheng');
  await expect(signer.getByTestId('card-toSign')).toContainText('1');
  await screenshot(signer, 'workbench-signer');
  await signer.goto(itemPath);
  await expect(signer.getByTestId('actions').getByRole('button')).toHaveText([/^签发/]);
  await act(signer, '签发');
  await submitAction(signer);

  const supervisor = await as(browser, 'supervisor');
  await expect(supervisor.getByTestId('card-toReview')).toContainText('1');
  await supervisor.goto(itemPath);
  await act(supervisor, '督办审核');
  await submitAction(supervisor);

  const lead = await as(browser, 'h-minzheng');
  await lead.goto(itemPath);
  await act(lead, '答复（发出）');
  await submitAction(lead);
  await expect(lead.getByRole('heading', { level: 1 })).toContainText('已答复');
  repliedAt = new Date().toISOString();
});

test('the proposers rate on a phone: an unsatisfied rating without reasons is refused in words, then both rate', async ({ browser }) => {
  const phone = { width: 390, height: 844 };
  const xu = await as(browser, 'member-xu-lijuan', phone);
  await screenshot(xu, 'workbench-proposer');
  await expect(xu.getByTestId('card-toRate')).toContainText('1');
  await xu.goto(itemPath);
  // Nothing is wider than the phone's screen.
  expect(await xu.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
  // The progress timeline: submitted, accepted, in hand done; replied is where it stands.
  await expect(xu.getByTestId('progress').locator('.el-step__head.is-success')).toHaveCount(3);
  await act(xu, '评价答复');
  await xu.getByTestId('satisfaction').getByText('不满意').click();
  await xu.getByTestId('action-submit').click();
  await expect(xu.getByTestId('refusal')).toContainText('请填写意见或理由');
  await expect(xu.getByTestId('refusal')).toContainText('COMMENT_REQUIRED');
  await xu.getByTestId('satisfaction').getByText('满意', { exact: true }).click();
  await submitAction(xu);
  await expect(xu.getByTestId('progress').locator('.el-step__head.is-success')).toHaveCount(4);
  await expectAccessible(xu);

  const liu = await as(browser, 'member-liu-anze', phone);
  await liu.goto(itemPath);
  await act(liu, '评价答复');
  await liu.getByRole('textbox', { name: '意见', exact: true }).fill('非常满意');
  await submitAction(liu);
  await expect(liu.getByTestId('evaluations')).toContainText('非常满意');
});

test('the office closes and publishes with the redaction preview; the public page shows it without signing in', async ({ browser, page }) => {
  const clerk = await as(browser, 'clerk');
  await clerk.goto(itemPath);
  await act(clerk, '办结');
  await submitAction(clerk);
  await expect(clerk.getByRole('heading', { level: 1 })).toContainText('已办结');
  await act(clerk, '公开答复');
  await expect(clerk.getByTestId('public-text')).toHaveValue(/尊敬的刘安泽/);
  await submitAction(clerk);
  await screenshot(clerk, 'workbench-office-item');

  await page.goto('/public');
  await expect(page.getByTestId('public-reply').first()).toContainText('关于加强全区未成年人关爱保护工作的建议');
  await expect(page.locator('body')).not.toContainText('13795952836');
  await expectAccessible(page);
});

test('the auditor reads the history as a timeline and the item as it was before the rating', async ({ browser }) => {
  const auditor = await as(browser, 'auditor');
  await screenshot(auditor, 'workbench-auditor');
  await auditor.goto(`${itemPath}/history`);
  await expect(auditor.getByTestId('chain')).toContainText('哈希链完整');
  const timeline = auditor.getByTestId('timeline');
  for (const step of ['签发 Reply signed', '督办审核 Reply reviewed', '答复 Reply dispatched', '办结 Closed', '公开 Reply published']) await expect(timeline).toContainText(step);
  await expect(timeline).toContainText('区民政局 签发人');
  await expectAccessible(auditor);

  await auditor.goto(`${itemPath}?asOf=${encodeURIComponent(repliedAt)}`);
  await expect(auditor.getByTestId('as-of-banner')).toBeVisible();
  await expect(auditor.getByRole('heading', { level: 1 })).toContainText('已答复');
  await auditor.goto(itemPath);
  await expect(auditor.getByRole('heading', { level: 1 })).toContainText('已办结');
});
