// npm run client:generate — rewrites clients/typescript/src/schema.d.ts from the current router.
import { writeFileSync } from 'node:fs';
import { CLIENT_SCHEMA_FILE, clientSchemaText } from './client-schema';

writeFileSync(CLIENT_SCHEMA_FILE, await clientSchemaText());
process.stdout.write(`wrote ${CLIENT_SCHEMA_FILE}\n`);
