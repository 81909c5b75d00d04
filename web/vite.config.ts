import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// The console is served by pushd itself (web/dist, embedded with go:embed):
// same origin for /graphql and its WebSocket, no CDN.
export default defineConfig({
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true, assetsDir: "assets", sourcemap: false },
  server: {
    proxy: { "/graphql": { target: "http://127.0.0.1:8080", ws: true } },
  },
});
