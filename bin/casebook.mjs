#!/usr/bin/env node
// Entry point of the `casebook` command. The CLI is TypeScript run through tsx's
// loader, so the same sources serve the CLI, the tests and the desktop build.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../main/cli/main.ts');
process.exitCode = await main(process.argv);
