import { Module } from '@nestjs/common';
import { ItemsModule } from './items/items.module';

/**
 * The extension surface: every feature module is listed here.
 * `nest g resource <name>` adds its module to this list automatically.
 */
@Module({
  imports: [ItemsModule],
})
export class FeaturesModule {}
