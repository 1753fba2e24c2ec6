import { inject } from "vitest";

process.env.DATABASE_URL = inject("databaseUrl");
process.env.VOUCH_DATA_DIR = inject("dataDir");
