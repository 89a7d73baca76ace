import { Entity, OneToMany, PrimaryColumn, Column } from 'typeorm';
import { TenantScoped } from '../../../src/core';
import { Member } from './member.entity';

/** A test-only tenant-scoped entity with a one-to-many relation (joins of tenant-scoped relations). */
@TenantScoped()
@Entity({ name: 'test_teams' })
export class Team {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 64 })
  name!: string;

  @OneToMany(() => Member, (member) => member.team)
  members!: Member[];
}
