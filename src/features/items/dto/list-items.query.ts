import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { PaginationQuery, sortValues } from '../../../core';

/** Fields a list may be sorted by. */
export const ITEM_SORT_FIELDS = ['name', 'createdAt', 'priceCents', 'sku'] as const;

/** Query of `GET /items`: pagination, an allow-listed sort, and a name filter. */
export class ListItemsQuery extends PaginationQuery {
  /** Sort key; prefix with `-` for descending. Default `-createdAt`. */
  @IsOptional()
  @IsIn(sortValues(ITEM_SORT_FIELDS))
  sort: string = '-createdAt';

  /** Case-insensitive substring of the name. */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;
}
