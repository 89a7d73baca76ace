import { PartialType } from '@nestjs/swagger';
import { CreateItemDto } from './create-item.dto';

/** The body of `PATCH /items/:id`: any subset of the create fields. */
export class UpdateItemDto extends PartialType(CreateItemDto) {}
