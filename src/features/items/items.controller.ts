import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import {
  ApiEventStreamResponse,
  ApiPageResponse,
  ApiProblemResponses,
  CurrentPrecondition,
  CurrentPrincipal,
  EventStream,
  Idempotent,
  LastEventId,
  type Page,
  type Precondition,
  type Principal,
  RequestSignal,
  Scopes,
  type ServerSentEvent,
  VersionedResource,
} from '../../core';
import { CreateItemDto } from './dto/create-item.dto';
import { ListItemHistoryQuery } from './dto/list-item-history.query';
import { ListItemsQuery } from './dto/list-items.query';
import { UpdateItemDto } from './dto/update-item.dto';
import { ItemHistory } from './entities/item-history.entity';
import { Item } from './entities/item.entity';
import { ItemsService } from './items.service';

/**
 * Items of the calling principal. Authenticated like every route (the
 * chassis's global guard); reads need scope `items:read`, writes
 * `items:write`. Another principal's item answers 404.
 */
@ApiTags('items')
@Controller('items')
export class ItemsController {
  constructor(private readonly items: ItemsService) {}

  /** Creates an item owned by the caller; a retry with the same `Idempotency-Key` gets the same answer. */
  @Post()
  @Scopes('items:write')
  @Idempotent()
  @ApiCreatedResponse({ type: Item })
  @ApiProblemResponses(409)
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateItemDto): Promise<Item> {
    return this.items.create(principal, body);
  }

  /** Lists the caller's items (every item for an `admin`), a page at a time. */
  @Get()
  @Scopes('items:read')
  @ApiPageResponse(Item)
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListItemsQuery): Promise<Page<Item>> {
    return this.items.list(principal, query);
  }

  /**
   * The caller's item changes as Server-Sent Events: `created` and `updated`
   * (data: the item) and `deleted` (data: `{ id }`), each with an `id:`. A
   * client reconnecting with `Last-Event-ID` first gets the changes it missed,
   * from any replica, or a `reset` event when they have left the replay
   * window (reload the list, then keep reading).
   */
  @Get('events')
  @Scopes('items:read')
  @EventStream()
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'The id of the last event received, to resume after it.' })
  @ApiEventStreamResponse(
    'The caller\'s item changes: `event: created|updated` with the item as data, `event: deleted` with `{ "id" }`, `event: reset` when a replay is unavailable.',
    ['created', 'updated', 'deleted'],
  )
  @ApiProblemResponses(429)
  events(
    @CurrentPrincipal() principal: Principal,
    @LastEventId() lastEventId: string | undefined,
    @RequestSignal() signal: AbortSignal,
  ): AsyncIterable<ServerSentEvent> {
    return this.items.changes(principal, lastEventId, signal);
  }

  /** Reads one of the caller's items (any item for an `admin`), with its `ETag`; 304 when `If-None-Match` is current. */
  @Get(':id')
  @Scopes('items:read')
  @VersionedResource()
  @ApiOkResponse({ type: Item })
  @ApiProblemResponses(404)
  get(@CurrentPrincipal() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string): Promise<Item> {
    return this.items.get(principal, id);
  }

  /**
   * The history of one of the caller's items, newest first, a page at a time:
   * each create, update and delete, recorded from its domain event shortly
   * after the change commits (also once the item is deleted).
   */
  @Get(':id/history')
  @Scopes('items:read')
  @ApiPageResponse(ItemHistory)
  @ApiProblemResponses(404)
  history(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() query: ListItemHistoryQuery,
  ): Promise<Page<ItemHistory>> {
    return this.items.historyOf(principal, id, query);
  }

  /** Changes some fields of one of the caller's items; with `If-Match`, only if it is still the version read (else 412). */
  @Patch(':id')
  @Scopes('items:write')
  @VersionedResource()
  @ApiOkResponse({ type: Item })
  @ApiProblemResponses(404, 409)
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: UpdateItemDto,
    @CurrentPrecondition() precondition: Precondition,
  ): Promise<Item> {
    return this.items.update(principal, id, body, precondition);
  }

  /** Deletes one of the caller's items; with `If-Match`, only if it is still the version read (else 412). */
  @Delete(':id')
  @HttpCode(204)
  @Scopes('items:write')
  @VersionedResource()
  @ApiProblemResponses(404)
  async remove(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentPrecondition() precondition: Precondition,
  ): Promise<void> {
    await this.items.remove(principal, id, precondition);
  }
}
