import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { StreamTicketRequestDto } from './stream-ticket-request.dto';
import { type IssuedTicket, StreamTickets } from './stream-tickets';

/** `POST /streams/tickets`: a single-use ticket for a browser's `EventSource` (docs/streaming.md#browsers). */
@ApiTags('streams')
@Controller('streams/tickets')
export class StreamTicketController {
  constructor(private readonly tickets: StreamTickets) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'A short-lived, single-use ticket that opens one stream at `path` as the caller (`?ticket=`)' })
  issue(@Req() request: FastifyRequest, @Body() body: StreamTicketRequestDto): Promise<IssuedTicket> {
    // The authentication guard ran: the route is not public.
    return this.tickets.issue(request.principal!, body.path);
  }
}
