import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig, type Plugin } from "vite";
import { fileURLToPath } from "node:url";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

/** Entry points built beside the Remix server bundle (build/server/<name>.js), each loading only the modules it runs. */
const SERVER_ENTRIES = {
  // The web server (`npm start`); it loads the Remix build, index.js, beside it.
  main: "./server/main.ts",
  // The worker (`npm run worker`), without the web's pages.
  worker: "./server/worker.ts",
  // The render thread, which render-pool.ts starts from build/server/render-thread.js.
  "render-thread": "./app/modules/messaging/render.thread.ts",
};

function serverEntries(): Plugin {
  let ssr = false;
  return {
    name: "server-entries",
    apply: "build",
    configResolved(config) {
      ssr = Boolean(config.build.ssr);
    },
    buildStart() {
      if (!ssr) return;
      for (const [name, path] of Object.entries(SERVER_ENTRIES))
        this.emitFile({ type: "chunk", id: fileURLToPath(new URL(path, import.meta.url)), fileName: `${name}.js` });
    },
    // The code the entries share sits beside them, so that a module finding a file next to itself
    // (render-pool.ts and render-thread.js) finds it whichever entry loaded it.
    outputOptions(options) {
      return ssr ? { ...options, chunkFileNames: "[name]-[hash].js" } : options;
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
    serverEntries(),
  ],
  // The server entry awaits the database connection at the top level.
  build: { target: "es2022", assetsInlineLimit: 0 },
  optimizeDeps: { include: ["@shopify/app-bridge-react", "@shopify/polaris"] },
});
