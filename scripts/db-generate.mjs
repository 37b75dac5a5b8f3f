#!/usr/bin/env node
// Generates a migration from the schema files (src-main/db/schema) with drizzle-kit.
// Usage: npm run db:generate -- --name add_orders
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
const nameIdx = args.indexOf('--name');
if (nameIdx < 0 || !args[nameIdx + 1]) {
  console.error('Give the migration a name: npm run db:generate -- --name what_it_does');
  process.exit(2);
}
const result = spawnSync('npx', ['drizzle-kit', 'generate', ...args], { stdio: 'inherit' });
process.exit(result.status ?? 1);
