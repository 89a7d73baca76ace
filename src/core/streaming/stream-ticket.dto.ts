import { ApiProperty } from '@nestjs/swagger';

/** The answer of `POST /streams/tickets`. */
export class StreamTicketDto {
  /** The opaque ticket, for `?ticket=` on the stream's URL; good once. */
  @ApiProperty({ example: 'q3Jx0m1d2GZ8b1o0dA8wq3Jx0m1d2GZ8b1o0dA8wq3J' })
  ticket!: string;

  /** The stream path it opens. */
  @ApiProperty({ example: '/items/events' })
  path!: string;

  /** How long it stays valid, in seconds (SSE_TICKET_TTL_SECONDS). */
  @ApiProperty({ example: 30 })
  expiresInSeconds!: number;
}
