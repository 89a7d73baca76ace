import { IsInt, IsOptional, IsString, Length, Matches, Max, MaxLength, Min } from 'class-validator';

/** The body of `POST /items`. */
export class CreateItemDto {
  /** Stock-keeping unit: 3–64 characters, letters, digits and `-`/`_`; unique. */
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{3,64}$/, { message: 'sku must be 3-64 letters, digits, "-" or "_"' })
  sku!: string;

  /** Display name, 1–200 characters. */
  @IsString()
  @Length(1, 200)
  name!: string;

  /** Optional description, up to 2000 characters. */
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;

  /** Price in minor units (cents), 0–100,000,000. */
  @IsInt()
  @Min(0)
  @Max(100_000_000)
  priceCents!: number;

  /** ISO 4217 currency code, three capital letters. */
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code such as EUR' })
  currency!: string;
}
