import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiProblemResponses, type Page } from '../../core';
import { CreateItemDto } from './dto/create-item.dto';
import { ListItemsQuery } from './dto/list-items.query';
import { UpdateItemDto } from './dto/update-item.dto';
import { Item } from './entities/item.entity';
import { ItemsService } from './items.service';

@ApiTags('items')
@ApiProblemResponses(400, 401, 429, 500)
@Controller('items')
export class ItemsController {
  constructor(private readonly items: ItemsService) {}

  /** Creates an item. */
  @Post()
  @ApiProblemResponses(409, 413, 415)
  create(@Body() body: CreateItemDto): Promise<Item> {
    return this.items.create(body);
  }

  /** Lists items, a page at a time. */
  @Get()
  list(@Query() query: ListItemsQuery): Promise<Page<Item>> {
    return this.items.list(query);
  }

  /** Reads one item. */
  @Get(':id')
  @ApiProblemResponses(404)
  get(@Param('id', new ParseUUIDPipe()) id: string): Promise<Item> {
    return this.items.get(id);
  }

  /** Changes some fields of an item. */
  @Patch(':id')
  @ApiProblemResponses(404, 409)
  update(@Param('id', new ParseUUIDPipe()) id: string, @Body() body: UpdateItemDto): Promise<Item> {
    return this.items.update(id, body);
  }

  /** Deletes an item. */
  @Delete(':id')
  @HttpCode(204)
  @ApiProblemResponses(404)
  async remove(@Param('id', new ParseUUIDPipe()) id: string): Promise<void> {
    await this.items.remove(id);
  }
}
