#!/usr/bin/env node
// Entry point of the `hisob` command. The sources are TypeScript run through tsx's loader, so
// there is no build step between a checkout and a running product (docs/decisions/001-stack.md).
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
