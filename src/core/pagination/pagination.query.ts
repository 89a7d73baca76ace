import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** Largest page a client may ask for. */
export const MAX_PAGE_SIZE = 100;
/** Page size when the client does not say. */
export const DEFAULT_PAGE_SIZE = 20;
/** Largest offset: deeper pages should use a filter, not a scan. */
export const MAX_OFFSET = 100_000;

/**
 * Query parameters for an offset-paginated list: `?limit=20&offset=40`.
 * Extend it in a feature's list DTO to add filters and an allow-listed `sort`.
 */
export class PaginationQuery {
  /** Items per page, 1–100 (default 20). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit: number = DEFAULT_PAGE_SIZE;

  /** Items to skip, 0–100000 (default 0). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_OFFSET)
  offset: number = 0;
}
