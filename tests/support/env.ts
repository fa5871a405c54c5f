// Runs in every test worker before any app module is imported.
import { testDatabaseUrl } from "./databases";

process.env.DATABASE_URL = testDatabaseUrl(process.env.TEST_DATABASE);
process.env.SHOPIFY_API_KEY = "test-api-key";
process.env.SHOPIFY_API_SECRET = "test-api-secret";
process.env.SHOPIFY_APP_URL = "https://aftercare.test";
process.env.NODE_ENV = "test";
process.env.SHOPIFY_LOG_LEVEL = "error";
