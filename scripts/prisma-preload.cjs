// Preloaded into the Prisma CLI process only (never the app) by scripts/prisma.mjs.
// 1. The WebAssembly schema engine leaves long timers armed, so finished commands hang 10-60 s:
//    let the process exit when only such timers remain.
const setTimeoutOrig = global.setTimeout;
global.setTimeout = function (fn, ms, ...args) {
  const t = setTimeoutOrig(fn, ms, ...args);
  if (typeof ms === "number" && ms >= 5000 && t && typeof t.unref === "function") t.unref();
  return t;
};
const setIntervalOrig = global.setInterval;
global.setInterval = function (fn, ms, ...args) {
  const t = setIntervalOrig(fn, ms, ...args);
  if (typeof ms === "number" && ms >= 5000 && t && typeof t.unref === "function") t.unref();
  return t;
};
// 2. The engine reads pg_catalog columns of internal types (name, char, oid, regproc...) that the
//    pg adapter cannot deserialize: report them as text / text[].
try {
  const pg = require("pg");
  const TEXT = 25,
    TEXT_ARRAY = 1009;
  const asText = new Set([18, 19, 22, 24, 30, 194, 2205, 2206]);
  const addFields = pg.Result.prototype.addFields;
  pg.Result.prototype.addFields = function (fieldDescriptions) {
    for (const f of fieldDescriptions) {
      if (asText.has(f.dataTypeID)) f.dataTypeID = TEXT;
      else if (f.dataTypeID === 1003) f.dataTypeID = TEXT_ARRAY;
    }
    return addFields.call(this, fieldDescriptions);
  };
} catch {
  // pg not installed: nothing to patch.
}
