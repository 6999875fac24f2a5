import vue from '@vitejs/plugin-vue';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/** The console is built into dist/console, which the standalone service serves at `/` (same origin as the API). */
export default defineConfig({
  root,
  base: '/',
  plugins: [vue()],
  resolve: { alias: { '@': `${root}src` } },
  define: { __VUE_OPTIONS_API__: 'false', __VUE_PROD_DEVTOOLS__: 'false', __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false', __INTLIFY_PROD_DEVTOOLS__: 'false' },
  build: {
    outDir: fileURLToPath(new URL('../../dist/console', import.meta.url)),
    emptyOutDir: true,
    // Read by npm run bench:console to weigh each route's first load.
    manifest: true,
    // No inline scripts: the service's CSP allows its own scripts only.
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 900,
    rollupOptions: {
      output: {
        manualChunks(id: string) {
          if (id.includes('node_modules/echarts') || id.includes('node_modules/zrender')) return 'charts';
          return undefined;
        },
      },
    },
  },
  server: { proxy: { '/api': 'http://localhost:3000', '/health': 'http://localhost:3000' } },
  test: { include: ['src/**/*.unit.spec.ts'], environment: 'node' },
} as never);
