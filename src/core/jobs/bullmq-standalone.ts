import type { Backoffs as BackoffsType, UnrecoverableError as UnrecoverableErrorType } from 'bullmq';

/*
 * Two BullMQ classes the in-process engine shares with the BullMQ engine, so both
 * behave alike: its back-off strategies and its UnrecoverableError. They are loaded
 * from their own files, which require nothing: BullMQ's index loads all of BullMQ
 * (ioredis, msgpackr, cron-parser, luxon), which a start without Redis never needs
 * (docs/performance.md#cold-start). bullmq-standalone.spec.ts checks that they are
 * the very classes BullMQ's index exports.
 */
/* eslint-disable @typescript-eslint/no-require-imports */

/** BullMQ's `Backoffs` (fixed and exponential delays, with jitter), as its workers compute them. */
export const Backoffs = (require('bullmq/dist/cjs/classes/backoffs') as { Backoffs: typeof BackoffsType }).Backoffs;

/** BullMQ's `UnrecoverableError`: a job failing with it is not retried. */
export const UnrecoverableError = (
  require('bullmq/dist/cjs/classes/errors/unrecoverable-error') as { UnrecoverableError: typeof UnrecoverableErrorType }
).UnrecoverableError;
