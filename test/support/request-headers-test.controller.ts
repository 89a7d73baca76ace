import { Controller, Get } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { Public, RequestHeaders } from '../../src/core';

/** Headers a test route declares: one required, one optional and converted to a number. */
export class VersionedHeaders {
  /** An API version date. */
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'x-api-version must be a date such as 2026-01-31' })
  'x-api-version'!: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  'x-page-size'?: number;
}

/** A test-only route whose headers are validated by `@RequestHeaders()`; it returns what it received. */
@Public()
@Controller('request-headers-test')
export class RequestHeadersTestController {
  @Get()
  echo(@RequestHeaders() headers: VersionedHeaders): unknown {
    return { headers, isDto: headers instanceof VersionedHeaders };
  }
}
