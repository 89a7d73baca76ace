import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, MaxLength } from 'class-validator';

/** The body of `POST /streams/tickets`. */
export class StreamTicketRequestDto {
  /** The path of the stream the ticket opens, without query (`/items/events`). */
  @ApiProperty({ example: '/items/events' })
  @IsString()
  @MaxLength(2048)
  @Matches(/^\/[^?#\s]*$/, { message: 'path must be an absolute path without query or fragment' })
  path!: string;
}
