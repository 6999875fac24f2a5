import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import { whenSignedOut } from '@/api/client';
import type { Role } from '@/api/types';
import { useSession } from '@/stores/session';

declare module 'vue-router' {
  interface RouteMeta {
    /** Open without signing in. */
    public?: boolean;
    /** Who may open it (any signed-in user when absent). */
    roles?: Role[];
    /** Shown in the menu under this message key. */
    menu?: string;
  }
}

/** Every route of the console, with the roles it is for (docs/console.md lists the same). Pages load on demand. */
export const routes: RouteRecordRaw[] = [
  { path: '/login', name: 'login', component: () => import('@/pages/LoginPage.vue'), meta: { public: true } },
  { path: '/public', name: 'public', component: () => import('@/pages/PublicPage.vue'), meta: { public: true } },
  {
    path: '/',
    component: () => import('@/layouts/ConsoleLayout.vue'),
    children: [
      { path: '', redirect: { name: 'workbench' } },
      { path: 'workbench', name: 'workbench', component: () => import('@/pages/WorkbenchPage.vue'), meta: { menu: 'menu.workbench' } },
      { path: 'items', name: 'items', component: () => import('@/pages/ItemsPage.vue'), meta: { menu: 'menu.items' } },
      { path: 'items/new', name: 'new-item', component: () => import('@/pages/NewItemPage.vue'), meta: { roles: ['office'], menu: 'menu.newItem' } },
      { path: 'import', name: 'import', component: () => import('@/pages/ImportPage.vue'), meta: { roles: ['office'], menu: 'menu.import' } },
      { path: 'items/:id', name: 'item', component: () => import('@/pages/ItemPage.vue'), props: true },
      { path: 'items/:id/history', name: 'history', component: () => import('@/pages/HistoryPage.vue'), props: true },
      { path: 'board', name: 'board', component: () => import('@/pages/BoardPage.vue'), meta: { roles: ['supervisor', 'office'], menu: 'menu.board' } },
      { path: 'audit', name: 'audit', component: () => import('@/pages/AuditPage.vue'), meta: { roles: ['auditor', 'admin'], menu: 'menu.audit' } },
      { path: 'units', name: 'units', component: () => import('@/pages/UnitsPage.vue'), meta: { roles: ['office', 'admin'], menu: 'menu.units' } },
      { path: 'users', name: 'users', component: () => import('@/pages/UsersPage.vue'), meta: { roles: ['admin'], menu: 'menu.users' } },
      { path: ':rest(.*)*', name: 'not-found', component: () => import('@/pages/NotFoundPage.vue') },
    ],
  },
];

export const router = createRouter({ history: createWebHistory('/'), routes });

router.beforeEach(async (to) => {
  const session = useSession();
  if (!session.checked) await session.load().catch(() => null);
  if (to.meta.public) return true;
  if (!session.user) return { name: 'login', query: to.fullPath === '/' ? {} : { next: to.fullPath } };
  if (to.meta.roles && !session.has(...to.meta.roles)) return { name: 'workbench' };
  return true;
});

whenSignedOut(() => {
  const session = useSession();
  if (!session.user) return;
  session.forget();
  const here = router.currentRoute.value;
  if (!here.meta.public) void router.push({ name: 'login', query: { next: here.fullPath, expired: '1' } });
});
