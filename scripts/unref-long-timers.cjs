// Preloaded for Prisma CLI calls: the WASM schema engine leaves a 60 s timer pending after
// its work is done, which would hold every `prisma` command open for a minute.
const original = global.setTimeout;
global.setTimeout = function patchedSetTimeout(fn, ms, ...args) {
  const timer = original(fn, ms, ...args);
  if (typeof ms === "number" && ms >= 60_000 && timer && typeof timer.unref === "function") timer.unref();
  return timer;
};
