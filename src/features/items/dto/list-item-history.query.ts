import { PaginationQuery } from '../../../core';

/** Query of `GET /items/{id}/history`: pagination; newest first. */
export class ListItemHistoryQuery extends PaginationQuery {}
