import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig, type Plugin } from "vite";
import { fileURLToPath } from "node:url";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

/**
 * The render thread (app/modules/messaging/render.thread.ts) as its own file beside the server
 * bundle, build/server/render-thread.js, where render-pool.ts starts it from.
 */
function renderThread(): Plugin {
  let ssr = false;
  return {
    name: "render-thread",
    apply: "build",
    configResolved(config) {
      ssr = Boolean(config.build.ssr);
    },
    buildStart() {
      if (ssr) this.emitFile({ type: "chunk", id: fileURLToPath(new URL("./app/modules/messaging/render.thread.ts", import.meta.url)), fileName: "render-thread.js" });
    },
  };
}

export default defineConfig({
  resolve: { alias: { "~": fileURLToPath(new URL("./app", import.meta.url)) } },
  server: { port: Number(process.env.PORT || 3000), hmr: { port: 64999 }, fs: { allow: ["app", "node_modules"] } },
  plugins: [
    remix({
      ignoredRouteFiles: ["**/.*"],
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        v3_lazyRouteDiscovery: true,
        v3_singleFetch: false,
        v3_routeConfig: false,
      },
    }),
    renderThread(),
  ],
  // The server entry awaits the database connection at the top level.
  build: { target: "es2022", assetsInlineLimit: 0 },
  optimizeDeps: { include: ["@shopify/app-bridge-react", "@shopify/polaris"] },
});
