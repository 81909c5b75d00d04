import { defineConfig, type Plugin } from "vite";
import react from "@vitejs/plugin-react";

// GraphiQL's stylesheet embeds its fonts as data: URLs (360 KB), which the
// console's CSP (font-src 'self') refuses with an error per font; the
// explorer uses the system fonts instead, so the rules go at build time.
function stripGraphiQLFonts(): Plugin {
  return {
    name: "pushd:strip-graphiql-fonts",
    enforce: "pre",
    transform(code, id) {
      if (!/[\\/]graphiql[\\/]dist[\\/]style\.css($|\?)/.test(id)) return null;
      return { code: code.replace(/@font-face\s*\{[^}]*\}/g, ""), map: null };
    },
  };
}

// The console is served by pushd itself (web/dist, embedded with go:embed):
// same origin for /graphql and its WebSocket, no CDN.
export default defineConfig({
  plugins: [react(), stripGraphiQLFonts()],
  build: { outDir: "dist", emptyOutDir: true, assetsDir: "assets", sourcemap: false },
  server: {
    proxy: { "/graphql": { target: "http://127.0.0.1:8080", ws: true } },
  },
});
