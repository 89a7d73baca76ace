import { CreateItems1763700000000 } from './1763700000000-create-items';
import { AddItemsVersion1764800000000 } from './1764800000000-add-items-version';
import { AddItemsTenant1765000000000 } from './1765000000000-add-items-tenant';
import { CreateOutbox1765200000000 } from './1765200000000-create-outbox';
import { CreateItemHistory1765200000001 } from './1765200000001-create-item-history';

/**
 * Every migration, oldest first. Add each new migration here (a test fails
 * when a file in this folder is missing from the list). Listed explicitly
 * because glob discovery uses a dynamic import() that Jest cannot follow.
 */
export const migrations = [
  CreateItems1763700000000,
  AddItemsVersion1764800000000,
  AddItemsTenant1765000000000,
  CreateOutbox1765200000000,
  CreateItemHistory1765200000001,
];
