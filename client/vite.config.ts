// Vite build of the dashboard (index.html) and the public status page (status.html) into client/dist.
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const api = process.env['VIGIE_API'] ?? 'http://127.0.0.1:8080';

/** Prints the total JavaScript shipped (raw and gzip) after a build. */
function bundleSize(): Plugin {
  return {
    name: 'vigie-bundle-size',
    apply: 'build',
    generateBundle(_options, bundle) {
      let raw = 0;
      let gzip = 0;
      for (const file of Object.values(bundle)) {
        if (file.type !== 'chunk') continue;
        raw += file.code.length;
        gzip += gzipSync(file.code).length;
      }
      const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} kB`;
      console.log(`\nJS bundle total: ${kb(raw)} (gzip ${kb(gzip)})`);
    },
  };
}

/** In dev, /status and /status/<slug> are the status page (the server does the same with the built files). */
function statusRoute(): Plugin {
  return {
    name: 'vigie-status-route',
    configureServer(server) {
      server.middlewares.use((req, _res, next) => {
        if (req.url && /^\/status(\/[^/?]+)?\/?(\?|$)/.test(req.url)) req.url = '/status.html';
        next();
      });
    },
  };
}

export default defineConfig({
  root,
  base: '/',
  publicDir: false,
  plugins: [bundleSize(), statusRoute()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: true,
    rollupOptions: {
      input: { index: `${root}index.html`, status: `${root}status.html` },
    },
  },
  server: {
    // Dev mode with hot reload: the API and its WebSocket come from a running Vigie (VIGIE_API, default :8080).
    // The browser's Origin (http://localhost:5173) is forwarded as it is, so that Vigie needs
    // ORIGINES_AUTORISEES=http://localhost:5173; rewriting it here would let any page post through this proxy.
    proxy: {
      '/graphql': { target: api, ws: true, changeOrigin: true },
      '/api': { target: api, changeOrigin: true },
    },
  },
});
