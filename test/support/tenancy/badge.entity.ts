import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Member } from './member.entity';

/** A test-only entity that is NOT tenant-scoped, with a relation to the tenant-scoped {@link Member}. */
@Entity({ name: 'test_badges' })
export class Badge {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 36, name: 'member_id' })
  memberId!: string;

  @ManyToOne(() => Member, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'member_id' })
  member!: Member | null;
}
