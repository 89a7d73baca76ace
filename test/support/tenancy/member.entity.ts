import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { TenantScoped } from '../../../src/core';
import { Team } from './team.entity';

/** A test-only tenant-scoped entity with a many-to-one relation to {@link Team}. */
@TenantScoped()
@Entity({ name: 'test_members' })
export class Member {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 64 })
  name!: string;

  @Column({ type: 'varchar', length: 36, name: 'team_id', nullable: true })
  teamId!: string | null;

  @ManyToOne(() => Team, (team) => team.members, { nullable: true, createForeignKeyConstraints: false })
  @JoinColumn({ name: 'team_id' })
  team!: Team | null;
}
