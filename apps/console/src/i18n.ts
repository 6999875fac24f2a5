import { createI18n } from 'vue-i18n';
import { en } from './locales/en';
import { zhCN } from './locales/zh-CN';

export type Locale = 'zh-CN' | 'en';

const saved = typeof localStorage === 'undefined' ? null : localStorage.getItem('banli.locale');

/** Chinese first; English for whoever chooses it (the choice, not a token, is kept in the browser). */
export const i18n = createI18n({
  legacy: false,
  locale: saved === 'en' ? 'en' : 'zh-CN',
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN, en },
});

export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale;
  localStorage.setItem('banli.locale', locale);
  document.documentElement.lang = locale;
}
