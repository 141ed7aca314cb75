import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
  // The verified fetcher lives in tools/content-node (shared with the content node's tests).
  server: { fs: { allow: ['..'] } },
  test: { environment: 'node' },
});
