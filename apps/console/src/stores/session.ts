import { defineStore } from 'pinia';
import { ref } from 'vue';
import { api, ApiProblem, data, useCsrfToken } from '@/api/client';
import type { Role, SessionAnswer, User } from '@/api/types';

/** Who is signed in. The session itself is an HttpOnly cookie the browser keeps; the console holds only the CSRF token, in memory. */
export const useSession = defineStore('session', () => {
  const user = ref<User | null>(null);
  const checked = ref(false);

  async function load(): Promise<User | null> {
    try {
      const answer = await data<SessionAnswer>(api.GET('/api/v1/session'));
      user.value = answer.user;
      useCsrfToken(answer.csrfToken);
    } catch (error) {
      if (!(error instanceof ApiProblem) || error.status !== 401) throw error;
      user.value = null;
    }
    checked.value = true;
    return user.value;
  }

  async function signIn(username: string, password: string): Promise<User> {
    const answer = await data<SessionAnswer>(api.POST('/api/v1/session', { body: { username, password } }));
    user.value = answer.user;
    useCsrfToken(answer.csrfToken);
    checked.value = true;
    return answer.user;
  }

  async function signOut(): Promise<void> {
    await api.DELETE('/api/v1/session').catch(() => undefined);
    forget();
  }

  function forget(): void {
    user.value = null;
    useCsrfToken(undefined);
  }

  const has = (...roles: Role[]) => user.value !== null && roles.some((r) => user.value!.roles.includes(r));

  return { user, checked, load, signIn, signOut, forget, has };
});
