import type { EntitySubscriberInterface, TransactionCommitEvent, TransactionRollbackEvent } from 'typeorm';
import { committed, rolledBack } from './domain-events';
import type { OutboxRelay } from './outbox-relay';

/** A TypeORM subscriber that nudges the outbox relay once a transaction that published an event has committed. */
export class OutboxCommitSubscriber implements EntitySubscriberInterface {
  constructor(private readonly relay: OutboxRelay) {}

  afterTransactionCommit(event: TransactionCommitEvent): void {
    committed(event.queryRunner, this.relay);
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    rolledBack(event.queryRunner);
  }
}
