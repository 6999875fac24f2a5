import { expect, test } from '@playwright/test';
import { assignedItem } from './arrange';
import { act, expectAccessible, screenshot, signIn, submitAction, type UserId } from './console.fixture';

test('an adjustment request: the co-unit asks, the office sees it queued and refuses it with a reason', async ({ page, browser }) => {
  const id = await assignedItem('第〔31〕号', '关于完善农村饮水安全工程的建议', { leadUnits: ['ct-minzheng'], coUnits: ['ct-sifa'] });
  await signIn(page, 'h-sifa');
  await page.goto(`/items/${id}`);
  await act(page, '申请调整');
  await page.getByRole('textbox', { name: '理由', exact: true }).fill('饮水工程不属于司法局职责，建议改由区水利局协办');
  await submitAction(page);
  // Waiting for the office, the unit can neither acknowledge nor ask again.
  await expect(page.getByTestId('actions')).not.toContainText('签收');
  await expect(page.getByTestId('actions')).not.toContainText('申请调整');

  const clerk = await (await browser.newContext()).newPage();
  await signIn(clerk, 'clerk');
  await expect(clerk.getByTestId('card-adjustments')).toContainText(/[1-9]/);
  await clerk.getByTestId('card-adjustments').click();
  await clerk.getByRole('link', { name: '关于完善农村饮水安全工程的建议' }).click();
  await act(clerk, /审批调整申请/);
  await expect(clerk.getByRole('dialog')).toContainText('饮水工程不属于司法局职责');
  await expect(clerk.getByRole('switch', { name: '同意' })).not.toBeChecked();
  await clerk.getByRole('textbox', { name: '理由', exact: true }).fill('涉及农村饮水安全的法治宣传，仍请司法局协办');
  await submitAction(clerk);
  await expect(clerk.getByTestId('actions')).not.toContainText('审批调整申请');

  await page.reload();
  await expect(page.getByTestId('actions')).toContainText('签收');
});

test('a batch urge: the supervisor selects items in the list, previews, and sees each item’s result', async ({ page }) => {
  const ids = [
    await assignedItem('第〔41〕号', '关于加强校园周边交通安全的建议', { leadUnits: ['ct-gongan'] }),
    await assignedItem('第〔42〕号', '关于增设社区养老服务站的建议', { leadUnits: ['ct-minzheng'] }),
  ];
  await signIn(page, 'supervisor');
  // The board's live feed, open beside the list, hears each urge over the SSE stream.
  const board = await page.context().newPage();
  await board.goto('/board');
  await board.getByRole('tab', { name: '实时动态' }).click();
  await expect(board.getByText('等待新的办理动态…')).toBeVisible();
  await page.goto('/items?session=七届四次&sort=number');
  await expect(page.getByTestId('list-total')).toContainText(/共 [2-9] 件/);
  for (const title of ['关于加强校园周边交通安全的建议', '关于增设社区养老服务站的建议']) {
    await page.getByRole('row', { name: new RegExp(title) }).locator('.el-checkbox').click();
  }
  await page.getByTestId('urge-selected').click();
  await expect(page.getByTestId('urge-preview')).toContainText('关于加强校园周边交通安全的建议');
  await expect(page.getByTestId('urge-preview')).toContainText('关于增设社区养老服务站的建议');
  await page.getByRole('textbox', { name: '催办内容' }).fill('请于本周内报送办理进度');
  await page.getByRole('button', { name: '提交' }).click();
  const results = page.getByTestId('urge-results');
  await expect(results.getByText(/已催办/)).toHaveCount(2);
  await expect(board.getByTestId('feed').getByText('催办')).toHaveCount(2);
  for (const id of ids) {
    await page.goto(`/items/${id}`);
    await expect(page.locator('body')).toContainText('请于本周内报送办理进度');
  }
});

test('the list keeps its filters in the URL: a shared link opens the same list, and a saved view reopens it', async ({ page }) => {
  await signIn(page, 'clerk');
  await page.goto('/items');
  await page.getByRole('textbox', { name: '标题或编号含' }).fill('养老');
  await page.getByRole('button', { name: '查询' }).click();
  await expect(page).toHaveURL(/q=%E5%85%BB%E8%80%81/);
  await expect(page.getByTestId('item-table')).toContainText('关于增设社区养老服务站的建议');
  await expect(page.getByTestId('item-table')).not.toContainText('关于加强校园周边交通安全的建议');
  const shared = page.url();
  await page.getByRole('button', { name: '保存为视图' }).click();
  await page.getByRole('textbox', { name: '视图名称' }).fill('养老类');
  await page.getByRole('dialog').getByRole('button', { name: '保存' }).click();
  await page.goto('/items');
  await page.getByRole('link', { name: '养老类' }).click();
  await expect(page.getByTestId('item-table')).toContainText('关于增设社区养老服务站的建议');
  await expect(page.getByTestId('item-table')).not.toContainText('关于加强校园周边交通安全的建议');
  const other = await (await page.context().browser()!.newContext()).newPage();
  await signIn(other, 'supervisor');
  await other.goto(shared);
  await expect(other.getByTestId('item-table')).toContainText('关于增设社区养老服务站的建议');
  await expectAccessible(page);
});

test('every role’s workbench, and each main page, passes axe; each workbench is kept as a screenshot', async ({ browser }) => {
  const pages: Record<UserId, string[]> = {
    admin: ['/workbench', '/users', '/units'],
    clerk: ['/workbench', '/items', '/items/new', '/board'],
    'h-minzheng': ['/workbench', '/items'],
    's-minzheng': ['/workbench'],
    supervisor: ['/workbench', '/board'],
    'member-liu-anze': ['/workbench'],
    auditor: ['/workbench', '/audit'],
  } as Record<UserId, string[]>;
  for (const [user, paths] of Object.entries(pages) as [UserId, string[]][]) {
    const page = await (await browser.newContext()).newPage();
    await signIn(page, user);
    for (const path of paths) {
      await page.goto(path);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await expectAccessible(page);
      if (path === '/workbench') await screenshot(page, `workbench-${user}`);
    }
    await page.context().close();
  }
});

test('the auditor verifies the whole store with progress; a page the role may not open sends it home', async ({ page }) => {
  await signIn(page, 'auditor');
  await page.goto('/audit');
  await page.getByTestId('verify').click();
  await expect(page.getByTestId('verify-result')).toContainText('全部完整');
  await page.goto('/users');
  await expect(page).toHaveURL(/\/workbench/);
});

test('signing out ends the session: the API refuses the old cookie and the console asks to sign in', async ({ page }) => {
  await signIn(page, 'clerk');
  const cookies = await page.context().cookies();
  const session = cookies.find((c) => c.name === 'banli_session')!;
  expect(session.httpOnly).toBe(true);
  expect(session.sameSite).toBe('Strict');
  // No token is kept where a script could read it.
  expect(await page.evaluate<string>('JSON.stringify({ ...localStorage })')).not.toMatch(/banli_session|csrf|token/i);
  await page.getByRole('button', { name: '退出' }).click();
  await expect(page).toHaveURL(/\/login/);
  const reuse = await page.request.get('/api/v1/proposals', { headers: { cookie: `banli_session=${session.value}` } });
  expect(reuse.status()).toBe(401);
  await page.goto('/items');
  await expect(page).toHaveURL(/\/login\?next=/);
});

test('the office imports items from the old system: each line imported or refused in words, a repeat left as it is', async ({ page }) => {
  const line = (number: string, leadUnits: string[]) =>
    JSON.stringify({
      submit: { kind: 'cppcc-proposal', session: '六届五次', number, title: `关于旧系统第${number}号提案的建议`, body: '……', proposers: [{ id: 'member-liu-anze', name: '刘安泽', lead: true }] },
      submittedAt: '2024-01-10T02:00:00Z',
      steps: [
        { command: 'RegisterProposal', data: { decision: 'accepted' }, occurredAt: '2024-01-12T02:00:00Z' },
        { command: 'AssignProposal', data: { mode: 'lead-with-co', leadUnits, ruleSet: 'cppcc-generic' }, occurredAt: '2024-01-15T02:00:00Z' },
      ],
    });
  await signIn(page, 'clerk');
  await page.getByRole('menuitem', { name: '导入' }).click();
  await page.getByRole('textbox', { name: '导入内容（每行一件）' }).fill(`${line('71', ['ct-minzheng'])}\n${line('72', ['ct-nowhere'])}`);
  await page.getByRole('button', { name: '导入', exact: true }).click();
  await expect(page.getByTestId('import-counts')).toHaveText('已导入 1 件，已存在 0 件，未导入 1 件');
  await expect(page.getByTestId('import-outcomes')).toContainText('单位目录中没有这个单位');
  await expectAccessible(page);
  await page.getByRole('button', { name: '导入', exact: true }).click();
  await expect(page.getByTestId('import-counts')).toHaveText('已导入 0 件，已存在 1 件，未导入 1 件');
  await page.getByTestId('import-outcomes').getByRole('link').first().click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('关于旧系统第71号提案的建议');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('办理中');
});

