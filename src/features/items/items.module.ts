import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ItemHistory } from './entities/item-history.entity';
import { Item } from './entities/item.entity';
import { ItemHistoryRecorder } from './item-history.recorder';
import { ItemsController } from './items.controller';
import { ItemsService } from './items.service';

/** The items feature. Registered in FeaturesModule; everything non-functional comes from the chassis. */
@Module({
  imports: [TypeOrmModule.forFeature([Item, ItemHistory])],
  controllers: [ItemsController],
  providers: [ItemsService, ItemHistoryRecorder],
})
export class ItemsModule {}
