import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Logs are JSON lines on stderr, so stdout stays free for what chainwatch says to people
 * (the console publisher, replay output). Redaction is a second line of defence: tokens and
 * URLs should never be handed to the logger in the first place.
 */
export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info', destination = 2): Logger {
  return pino(
    {
      name: 'chainwatch',
      level,
      redact: {
        paths: ['token', '*.token', 'url', '*.url', 'password', '*.password', 'headers.authorization', '*.headers.authorization'],
        censor: '[redacted]',
      },
    },
    pino.destination({ fd: destination, sync: true }),
  );
}
