import { api, data } from './client';
import type { ItemPage } from './types';
import type { ListFilters } from '@/lib/list-query';

export type ListParams = Partial<Omit<ListFilters, 'page' | 'pageSize'>> & { page?: number; pageSize?: number; awaiting?: 'acknowledgement' | 'adjustment' | 'signature' | 'review' | 'dispatch' | 'rating'; overdue?: 'true' | 'false' };

export function listItems(params: ListParams): Promise<ItemPage> {
  return data<ItemPage>(api.GET('/api/v1/proposals', { params: { query: params } }));
}
