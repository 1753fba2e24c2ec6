import { inject } from "vitest";

process.env.DATABASE_URL = inject("databaseUrl");
process.env.VOUCH_DATA_DIR = inject("dataDir");

// As every entry point does before it starts: the encryption key checked against the database (and
// created in this project's data folder while the database holds no secret).
const { verifyEncryptionKey } = await import("../../lib/encryption-key");
await verifyEncryptionKey();
