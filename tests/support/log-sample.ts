// Writes two log lines through the app's logger, as `npm start` would: run by
// tests/terminal-logs.test.ts once on a pseudo-terminal and once into a pipe.
import { createLogger } from '../../src/lib/server/log';

const log = createLogger('info');
log.info({ password: 'hunter2', user: { token: 'abc123' } }, 'log sample: signed in');
log.warn({ port: 3000 }, 'log sample: port in use');
