import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { TenantScopeError } from '../../src/core';
import { runInRequestContext } from '../../src/core/context/request-context';
import { Badge } from '../support/tenancy/badge.entity';
import { Member } from '../support/tenancy/member.entity';
import { Team } from '../support/tenancy/team.entity';
import { bootTestApp, type TestApp } from '../support/test-app';

/**
 * Joins of `@TenantScoped()` entities (docs/tenancy.md): relations loaded
 * through find options and query-builder joins carry the tenant condition in
 * their `ON`, whichever entity the query starts from. On the real app's data
 * source (SQLite; PostgreSQL with TEST_DATABASE_URL), with test entities whose
 * foreign keys deliberately point into another tenant, as a forged id would.
 */
describe('tenant query scope: joins (e2e)', () => {
  let t: TestApp;
  let dataSource: DataSource;
  beforeAll(async () => {
    t = await bootTestApp({ TENANT_CLAIM: 'tenant_id' }, { after: [TypeOrmModule.forFeature([Team, Member, Badge])] });
    dataSource = t.app.get(DataSource);
    // The test entities have no migration: their tables are created from the metadata (the app's own tables already match).
    await dataSource.synchronize();
    await asTenant('ja', () => dataSource.getRepository(Team).save({ id: 'team-a', name: 'Alpha' }));
    await asTenant('jb', () => dataSource.getRepository(Team).save({ id: 'team-b', name: 'Beta' }));
    await asTenant('ja', () => dataSource.getRepository(Member).save({ id: 'member-a', name: 'Ann', teamId: 'team-a' }));
    // Tenant jb's member names tenant ja's team: the join must not load it.
    await asTenant('jb', () => dataSource.getRepository(Member).save({ id: 'member-b', name: 'Bob', teamId: 'team-a' }));
    await dataSource.getRepository(Badge).save([
      { id: 'badge-a', memberId: 'member-a' },
      { id: 'badge-b', memberId: 'member-b' },
    ]);
  });
  afterAll(async () => t.close());

  const asTenant = <T>(tenantId: string, work: () => Promise<T>): Promise<T> =>
    runInRequestContext(
      { requestId: `join-${tenantId}`, correlationId: `join-${tenantId}`, signal: new AbortController().signal, tenantId },
      work,
    );

  it('filters a many-to-one relation loaded through find options (relations) in the join', async () => {
    const members = () => dataSource.getRepository(Member).find({ relations: { team: true }, order: { id: 'ASC' } });
    expect(await asTenant('jb', members)).toEqual([expect.objectContaining({ id: 'member-b', teamId: 'team-a', team: null })]);
    expect(await asTenant('ja', members)).toEqual([
      expect.objectContaining({ id: 'member-a', team: expect.objectContaining({ name: 'Alpha' }) }),
    ]);
  });

  it('filters a one-to-many relation, also with pagination (TypeORM’s two-query form)', async () => {
    const teams = () => dataSource.getRepository(Team).find({ relations: { members: true }, order: { id: 'ASC' }, take: 5 });
    expect(await asTenant('ja', teams)).toEqual([
      expect.objectContaining({ id: 'team-a', members: [expect.objectContaining({ id: 'member-a' })] }),
    ]);
    expect(await asTenant('jb', teams)).toEqual([expect.objectContaining({ id: 'team-b', members: [] })]);
  });

  it('filters query-builder joins: leftJoinAndSelect, innerJoinAndSelect and a join of an entity by condition', async () => {
    const builder = () => dataSource.getRepository(Member).createQueryBuilder('member');
    const left = await asTenant('jb', () => builder().leftJoinAndSelect('member.team', 'team').getMany());
    expect(left).toEqual([expect.objectContaining({ id: 'member-b', team: null })]);
    expect(await asTenant('jb', () => builder().innerJoinAndSelect('member.team', 'team').getMany())).toEqual([]);
    expect(await asTenant('jb', () => builder().innerJoin('member.team', 'team').getCount())).toBe(0);
    const byCondition = () => builder().innerJoinAndMapOne('member.team', Team, 'joined', 'joined.id = member.teamId').getMany();
    expect(await asTenant('jb', byCondition)).toEqual([]);
    expect(await asTenant('ja', byCondition)).toEqual([
      expect.objectContaining({ id: 'member-a', team: expect.objectContaining({ id: 'team-a' }) }),
    ]);
  });

  it('filters a tenant-scoped relation of an entity that is not tenant-scoped', async () => {
    const badges = () => dataSource.getRepository(Badge).find({ relations: { member: true }, order: { id: 'ASC' } });
    expect(await asTenant('ja', badges)).toEqual([
      expect.objectContaining({ id: 'badge-a', member: expect.objectContaining({ id: 'member-a' }) }),
      expect.objectContaining({ id: 'badge-b', member: null }),
    ]);
    const inner = () => dataSource.getRepository(Badge).createQueryBuilder('badge').innerJoinAndSelect('badge.member', 'member').getMany();
    expect((await asTenant('jb', inner)).map((badge) => badge.id)).toEqual(['badge-b']);
  });

  it('refuses a join of a tenant-scoped entity outside a request with a tenant', async () => {
    await expect(dataSource.getRepository(Badge).find({ relations: { member: true } })).rejects.toBeInstanceOf(TenantScopeError);
    expect(await dataSource.getRepository(Badge).count()).toBe(2);
  });
});
