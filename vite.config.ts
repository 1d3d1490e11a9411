import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The web app lives in src/web and is built into dist/web, which the server serves.
// In development, `vite` proxies the API to a server started with `npm run dev`.
export default defineConfig({
  root: fileURLToPath(new URL('./src/web', import.meta.url)),
  plugins: [react()],
  build: {
    outDir: '../../dist/web',
    emptyOutDir: true,
    // Ant Design's core (layout, menu, form, modal) is most of the entry chunk; the admin pages'
    // heavier widgets (table, tree select, date picker) load with those pages.
    chunkSizeWarningLimit: 800,
    rolldownOptions: {
      output: {
        // React and the router change less often than the app: their own chunk stays cached across releases.
        codeSplitting: {
          groups: [{ name: 'react', test: /node_modules[\\/](react|react-dom|react-router|react-router-dom|scheduler)[\\/]/, priority: 20 }],
        },
      },
    },
  },
  server: {
    proxy: {
      // The web's own src/web/api/*.ts modules are served under /api too: only non-module paths go to the server.
      '^/api(/(?!.*\\.tsx?(\\?|$)).*)?$': `http://localhost:${process.env.PORT ?? 3000}`,
    },
  },
});
