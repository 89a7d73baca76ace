import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { TenantScoped } from '../../../core';

/** A catalogue item, of one tenant when tenancy is on (docs/tenancy.md); skus are unique per tenant. */
@TenantScoped()
@Index('UQ_items_tenant_sku', ['tenantId', 'sku'], { unique: true })
@Entity({ name: 'items' })
export class Item {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** The creator's subject (`sub` of their token). Only they may change the item. */
  @Index('IDX_items_owner_id')
  @Column({ type: 'varchar', length: 255, name: 'owner_id' })
  ownerId!: string;

  /** Stock-keeping unit, unique in the tenant's catalogue. */
  @Column({ type: 'varchar', length: 64 })
  sku!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'varchar', length: 2000, nullable: true })
  description!: string | null;

  /** Price in the currency's minor unit (cents), to avoid floating point. */
  @Column({ type: 'integer', name: 'price_cents' })
  priceCents!: number;

  /** ISO 4217 code, e.g. EUR. */
  @Column({ type: 'varchar', length: 3 })
  currency!: string;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at' })
  updatedAt!: Date;

  /** Incremented by every update; the item's ETag (`"<version>"`) for conditional requests. */
  @VersionColumn({ default: 1 })
  version!: number;
}
