import { expect } from '@playwright/test';
import { apiAs } from './console.fixture';

/** Registers and assigns an item through the API as the office, to start a journey from "assigned". */
export async function assignedItem(number: string, title: string, assignment: { leadUnits: string[]; coUnits?: string[]; supervisingUnits?: string[] }): Promise<string> {
  const { api, csrf } = await apiAs('clerk');
  const headers = { 'x-csrf-token': csrf };
  const submitted = await api.post('/api/v1/proposals', {
    headers,
    data: { kind: 'cppcc-proposal', session: '七届四次', number, title, body: `${title}：具体建议如下……`, proposers: [{ id: 'member-liu-anze', name: '刘安泽', lead: true }] },
  });
  expect(submitted.status(), await submitted.text()).toBe(201);
  const { id } = (await submitted.json()) as { id: string };
  expect((await api.post(`/api/v1/proposals/${id}/registration`, { headers, data: { decision: 'accepted' } })).status()).toBe(200);
  const assigned = await api.post(`/api/v1/proposals/${id}/assignment`, { headers, data: { mode: 'lead-with-co', ruleSet: 'sc-gov-2024', coUnits: [], ...assignment } });
  expect(assigned.status(), await assigned.text()).toBe(200);
  await api.dispose();
  return id;
}
